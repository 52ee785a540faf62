package events

import (
	"bytes"
	"net/http"
	"time"

	"github.com/camarahooks/camarahooks/events/internal/wire"
)

// Attribute returns the CloudEvents context attribute name (lower case, as
// the specification spells attribute names) as a string: a core attribute
// ("specversion", "id", "source", "type", "time" in RFC 3339,
// "datacontenttype", "subject", "dataschema") as decoded, or an extension
// ("traceparent" and "tracestate" of the distributed-tracing extension,
// say): the structured member of that name when its value is a JSON
// string, or in binary mode the ce-<name> header, percent-decoded. It
// returns "" for legacy shapes, for an absent attribute and for an
// extension whose value is not a string. The decoder notes where the two
// trace attributes lie; any other extension is read from the event's bytes
// on each call, with no allocation when it is absent.
func (e *Envelope) Attribute(name string) string {
	if !e.Shape.IsCloudEvent() || name == "" {
		return ""
	}
	switch name {
	case "specversion":
		return e.specVersion
	case "id":
		return e.ID
	case "source":
		return e.Source
	case "type":
		return e.Type
	case "time":
		if e.Time == (time.Time{}) {
			return ""
		}
		return e.Time.Format(time.RFC3339Nano)
	case "datacontenttype":
		return e.dataContentType
	case "subject":
		return e.subject
	case "dataschema":
		return e.dataSchema
	case "traceparent", "tracestate":
		if e.traceFound {
			if name == "traceparent" {
				return e.trace[wire.TraceParent].String(e.raw)
			}
			return e.trace[wire.TraceState].String(e.raw)
		}
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
