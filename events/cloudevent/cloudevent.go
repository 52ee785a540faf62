// Package cloudevent converts the CloudEvents notifications of package
// events into github.com/cloudevents/sdk-go/v2 events, for applications
// that hand them on to the sdk. It is the only package of this module's
// core that imports sdk-go.
package cloudevent

import (
	"errors"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/events/internal/wire"
	"github.com/cloudevents/sdk-go/v2/event"
)

// ErrNotCloudEvent is returned by [From] for events of legacy shapes, which
// carry no CloudEvents attributes, and for a nil event.
var ErrNotCloudEvent = errors.New("cloudevent: the notification is not a CloudEvent")

// From returns a new sdk-go event for a CloudEvents notification (shapes
// ShapeCloudEvents and ShapeNaCHybrid, any mode): spec version 1.0 (later
// 1.x versions only add to it, and sdk-go models 1.0), the attributes as
// sent and the data. Extensions are copied; members that are not valid
// CloudEvents extension names (such as the legacy "event" object of a NaC
// hybrid) are left out. It returns ErrNotCloudEvent for legacy shapes, and
// the sdk's error if it refuses the data.
func From(ev events.Event) (*event.Event, error) {
	p, ok := wire.CloudEventPartsOf(ev)
	if !ok {
		return nil, ErrNotCloudEvent
	}
	e := event.New(event.CloudEventsVersionV1)
	e.SetID(p.ID)
	e.SetSource(p.Source)
	e.SetType(p.Type)
	if !p.Time.IsZero() {
		e.SetTime(p.Time)
	}
	if p.Subject != "" {
		e.SetSubject(p.Subject)
	}
	if p.DataSchema != "" {
		e.SetDataSchema(p.DataSchema)
	}
	for name, v := range p.Extensions {
		if f, ok := v.(float64); ok && f == float64(int32(f)) {
			v = int32(f)
		}
		_ = e.Context.SetExtension(name, v) // refused names are left out
	}
	switch {
	case p.Data != nil:
		if err := e.SetData(p.DataContentType, p.Data); err != nil {
			return nil, err
		}
	case p.DataContentType != "":
		e.SetDataContentType(p.DataContentType)
	}
	return &e, nil
}
