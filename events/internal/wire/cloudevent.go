package wire

import "time"

// CloudEventParts are the attributes of a CloudEvents notification as
// package events decoded them, for package events/cloudevent, which builds
// the sdk-go event from them: so that only importers of that package
// compile sdk-go.
type CloudEventParts struct {
	ID, Source, Type, Subject, DataSchema, DataContentType string
	Time                                                   time.Time
	Extensions                                             map[string]any // string, float64 or bool values, as sent
	Data                                                   []byte         // nil when absent
}

// CloudEventPartsOf returns the parts of ev, an events.Event, and false
// when it is not a CloudEvent. Package events sets it in an init function.
var CloudEventPartsOf func(ev any) (CloudEventParts, bool)
