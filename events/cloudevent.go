package events

import (
	"encoding/json"
	"strings"

	"github.com/camarahooks/camarahooks/events/internal/wire"
)

func init() {
	wire.CloudEventPartsOf = func(ev any) (wire.CloudEventParts, bool) {
		e, ok := ev.(Event)
		if !ok || e == nil || !e.Meta().Shape.IsCloudEvent() {
			return wire.CloudEventParts{}, false
		}
		return e.Meta().cloudEventParts(), true
	}
}

// coreAttributes are the structured-mode members that are not extensions.
var coreAttributes = map[string]bool{
	"id": true, "source": true, "type": true, "specversion": true, "time": true,
	"datacontenttype": true, "dataschema": true, "subject": true, "data": true, "data_base64": true,
}

// cloudEventParts gathers what events/cloudevent needs to build the sdk-go
// event: built on each call, from the decoded attributes and the raw bytes,
// so decoding costs nothing for callers who never ask.
func (e *Envelope) cloudEventParts() wire.CloudEventParts {
	p := wire.CloudEventParts{ID: e.ID, Source: e.Source, Type: e.Type, Time: e.Time,
		Subject: e.subject, DataSchema: e.dataSchema, DataContentType: e.dataContentType,
		Extensions: make(map[string]any)}
	if e.Mode == ModeBinary {
		for name, vals := range e.header {
			if isCEHeader(name) && !binaryCore[name] && len(vals) > 0 {
				p.Extensions[strings.ToLower(name[3:])] = headerValue(e.header, name)
			}
		}
	} else {
		var members map[string]json.RawMessage
		if err := json.Unmarshal(e.raw, &members); err == nil {
			for name, value := range members {
				if coreAttributes[name] {
					continue
				}
				var v any
				if json.Unmarshal(value, &v) != nil {
					continue
				}
				switch v.(type) {
				case string, float64, bool:
					p.Extensions[name] = v
				}
			}
		}
	}
	if data, jsonValue := e.data(); data != nil {
		ct := e.dataContentType
		if ct == "" {
			ct = "application/json"
		}
		if jsonValue && data[0] == '"' && !isJSONMediaType(mediaType(ct)) {
			// Structured data of a non-JSON type is a JSON string holding
			// the value (CloudEvents JSON format, section 3.1).
			var s string
			if json.Unmarshal(data, &s) == nil {
				data = []byte(s)
			}
		}
		p.Data, p.DataContentType = data, ct
	}
	return p
}
