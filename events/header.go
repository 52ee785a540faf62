package events

import (
	"net/http"
	"strings"
)

// Header returns, for a binary-mode event, the request headers its
// attributes were read from: Content-Type and every ce-* header, in a new
// map that the caller may keep and modify. With the body ([Envelope.Raw])
// they are all [Parse] needs to decode the event again, as a durable queue
// does on another process. Other headers (Authorization among them) are
// never included. It returns nil for other modes.
func (e *Envelope) Header() http.Header {
	if e.Mode != ModeBinary || e.header == nil {
		return nil
	}
	h := make(http.Header)
	for name, vals := range e.header {
		if name == "Content-Type" || (len(name) > 3 && strings.EqualFold(name[:3], "ce-")) {
			h[name] = append([]string(nil), vals...)
		}
	}
	return h
}
