package events

import (
	"bytes"
	"net/http"

	"github.com/camarahooks/camarahooks/events/internal/wire"
)

// Extension returns the value of the CloudEvents extension attribute name
// (lower case, as the specification spells attribute names: "traceparent",
// "tracestate" of the distributed-tracing extension, say): the structured
// member of that name when its value is a JSON string, or in binary mode the
// ce-<name> header, percent-decoded. It returns "" for legacy shapes, for an
// absent attribute and for a member whose value is not a string. It reads
// the event's bytes on each call and allocates nothing when the attribute is
// absent, so that tracing costs nothing for events that carry no trace.
func (e *Envelope) Extension(name string) string {
	if !e.Shape.IsCloudEvent() || name == "" {
		return ""
	}
	if e.Mode == ModeBinary {
		if e.header == nil {
			return ""
		}
		return headerValue(e.header, http.CanonicalHeaderKey("ce-"+name))
	}
	// A member name can only hide from a plain search behind a \u escape.
	if !bytes.Contains(e.raw, []byte(name)) && !bytes.Contains(e.raw, []byte(`\u`)) {
		return ""
	}
	v, _ := wire.StringMember(e.raw, name)
	return v
}
