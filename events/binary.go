package events

import (
	"net/http"
	"time"

	"github.com/camarahooks/camarahooks/events/internal/wire"
)

// binaryCore lists the ce-* headers that map to core attributes; the others
// are extensions.
var binaryCore = map[string]bool{
	"Ce-Id": true, "Ce-Source": true, "Ce-Type": true, "Ce-Specversion": true,
	"Ce-Time": true, "Ce-Subject": true, "Ce-Dataschema": true,
}

// parseBinary decodes a binary-mode CloudEvent: attributes in ce-* headers,
// data in the body, which is JSON when isJSON (mt labels JSON, or is "").
func parseBinary(mt string, isJSON bool, h http.Header, body []byte) (Event, error) {
	ce, err := readBinaryHeaders(h)
	if err != nil {
		return nil, err
	}
	id, source, typ := ce.id, ce.source, ce.typ
	if err := checkCloudEvent(id, source, typ, ce.spec, "ce-", -1); err != nil {
		return nil, err
	}
	t, err := parseTime(ce.time, "ce-time", -1)
	if err != nil {
		return nil, err
	}
	env := Envelope{
		ID: id, Source: source, Type: typ, specVersion: ce.spec, Time: t,
		dataContentType: mt, subject: ce.subject, dataSchema: ce.dataSchema,
		Shape: ShapeCloudEvents, Mode: ModeBinary, raw: body,
	}
	env.header = h // extensions are read from it only if CloudEvent is asked for
	ks, ceName := classifyCloudEvent(typ, source)
	var data *wire.Data
	if firstByte(body) != 0 && isJSON {
		if ks == nil {
			if !wire.Valid(body) {
				return nil, newError(ErrNotJSON, "", "the body is labelled JSON but is not")
			}
			if env.SubscriptionID, err = wire.SubscriptionID(body); err != nil {
				return nil, jsonError(err, -1)
			}
		} else {
			if firstByte(body) != '{' {
				if !wire.Valid(body) {
					return nil, newError(ErrNotJSON, "", "the body is not valid JSON")
				}
				return nil, newError(ErrWrongType, "data", "got a JSON "+wire.JSONKind([]byte{firstByte(body)})+", want an object")
			}
			if data, err = wire.DecodeData(body); err != nil {
				return nil, jsonError(err, -1)
			}
		}
	} else if firstByte(body) != 0 && ks != nil {
		return nil, newError(ErrUnsupportedMediaType, "Content-Type", "the data of "+string(ks.kind)+" events is JSON")
	}
	if data != nil {
		env.SubscriptionID = string(data.SubscriptionID)
	}
	if env.SubscriptionID == "" {
		env.SubscriptionID = ce.subscriptionID
	}
	return newEvent(ks, &env, data, typeNames{ce: ceName}), nil
}

// parseTime reads an RFC 3339 time with any fraction and offset. "" gives
// the zero time.
func parseTime(s, field string, index int) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, ok := wire.ParseRFC3339(s)
	if !ok {
		return time.Time{}, withIndex(newError(ErrWrongType, field, "want RFC 3339, e.g. 2024-06-01T13:00:00Z"), index)
	}
	return sentTime(t), nil
}
