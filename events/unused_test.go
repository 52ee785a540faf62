package events_test

import (
	"encoding/base64"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/events/cloudevent"
)

// TestParseIgnoresUnusedMembers: a JSON value of an unexpected type refuses
// the event only in a member the event uses. CloudEvents extensions that
// happen to share a legacy member's name (encoding/json matches names
// without regard to case), a hybrid's legacy part when data is present, the
// data of an unknown type, and stray CloudEvents attributes in a legacy
// body are all set aside.
func TestParseIgnoresUnusedMembers(t *testing.T) {
	const qod = `"id":"1","source":"/qod","type":"org.camaraproject.quality-on-demand.v1.qos-status-changed","specversion":"1.0"`
	const legacyRoaming = `"eventSubscriptionId":"s","event":{"eventType":"ROAMING_STATUS","eventTime":"2023-01-19T13:18:23.682Z","eventDetail":{"roaming":true}}`
	tests := []struct {
		name    string
		body    string
		kind    events.Kind
		shape   events.Shape
		session string // QoD events: the session id that must survive
		sub     string // the subscription id that must survive
	}{
		{"extension sessionid number", `{` + qod + `,"sessionid":42,"data":{"sessionId":"s1","qosStatus":"AVAILABLE"}}`, events.KindQoSStatusChanged, events.ShapeCloudEvents, "s1", ""},
		{"extension event number", `{` + qod + `,"event":1,"data":{"sessionId":"s1"}}`, events.KindQoSStatusChanged, events.ShapeCloudEvents, "s1", ""},
		{"extension eventid object", `{` + qod + `,"eventid":{"a":1},"data":{"sessionId":"s1"}}`, events.KindQoSStatusChanged, events.ShapeCloudEvents, "s1", ""},
		{"extension eventdetail string", `{` + qod + `,"eventdetail":"x","data":{"sessionId":"s1"}}`, events.KindQoSStatusChanged, events.ShapeCloudEvents, "s1", ""},
		{"extension eventtype number", `{` + qod + `,"eventtype":7,"data":{"sessionId":"s1"}}`, events.KindQoSStatusChanged, events.ShapeCloudEvents, "s1", ""},
		{"several at once", `{` + qod + `,"sessionid":1,"eventtype":2,"eventtime":3,"data":{"sessionId":"s1"}}`, events.KindQoSStatusChanged, events.ShapeCloudEvents, "s1", ""},
		{"hybrid with bad legacy detail", `{` + qod + `,"event":{"eventType":"QOS_STATUS_CHANGED","eventDetail":{"sessionId":"s","qosStatus":1}},"data":{"sessionId":"s1","qosStatus":"AVAILABLE"}}`,
			events.KindQoSStatusChanged, events.ShapeNaCHybrid, "s1", ""},
		{"unknown type, data of other types", `{"id":"1","source":"/x","type":"org.camaraproject.other-api.v0.thing","specversion":"1.0","data":{"subscriptionId":"sub-1","countryCode":"ES","device":[1]}}`,
			events.KindUnknown, events.ShapeCloudEvents, "", "sub-1"},
		{"legacy with stray id", `{"id":"abc",` + legacyRoaming + `}`, events.KindRoaming, events.ShapeLegacy, "", "s"},
		{"legacy with stray source number", `{"source":5,` + legacyRoaming + `}`, events.KindRoaming, events.ShapeLegacy, "", "s"},
		{"legacy with stray type", `{"type":"x",` + legacyRoaming + `}`, events.KindRoaming, events.ShapeLegacy, "", "s"},
		{"legacy with stray data", `{"data":"x",` + legacyRoaming + `}`, events.KindRoaming, events.ShapeLegacy, "", "s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := events.Parse("application/json", nil, []byte(tt.body))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			ev := evs[0]
			if events.KindOf(ev) != tt.kind || ev.Meta().Shape != tt.shape || ev.Meta().SubscriptionID != tt.sub {
				t.Errorf("kind %s shape %s subscription %q, want %s %s %q", events.KindOf(ev), ev.Meta().Shape, ev.Meta().SubscriptionID, tt.kind, tt.shape, tt.sub)
			}
			if q, ok := ev.(*events.QoSStatusChanged); ok && q.SessionID != tt.session {
				t.Errorf("session %q, want %q", q.SessionID, tt.session)
			}
		})
	}
}

// TestParseStillRefusesUsedMembers: the members an event uses keep their
// types.
func TestParseStillRefusesUsedMembers(t *testing.T) {
	tests := []struct {
		name, body, field string
	}{
		{"known kind, bad data", `{"id":"1","source":"/qod","type":"org.camaraproject.quality-on-demand.v1.qos-status-changed","specversion":"1.0","sessionid":1,"data":{"qosStatus":5}}`, "data.qosStatus"},
		{"hybrid without data, bad detail", `{"id":"1","source":"/qod","type":"org.camaraproject.quality-on-demand.v1.qos-status-changed","specversion":"1.0","event":{"eventType":"QOS_STATUS_CHANGED","eventDetail":{"qosStatus":1}}}`, "event.eventDetail.qosStatus"},
		{"legacy, bad detail", `{"event":{"eventType":"ROAMING_STATUS","eventDetail":{"roaming":"yes"}}}`, "event.eventDetail.roaming"},
		{"bad source", `{"id":"1","source":5,"type":"t","specversion":"1.0"}`, "source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := events.Parse("application/json", nil, []byte(tt.body))
			var pe *events.Error
			if !errors.Is(err, events.ErrWrongType) || !errors.As(err, &pe) || pe.Field != tt.field {
				t.Fatalf("got %v, want ErrWrongType naming %q", err, tt.field)
			}
		})
	}
}

// TestUnknownKeepsSubscriptionID: the subscription id of an unknown event
// is read however its data arrives, so per-subscription tokens work for it.
func TestUnknownKeepsSubscriptionID(t *testing.T) {
	const typ = "org.camaraproject.other-api.v0.thing"
	data := `{"subscriptionId":"sub-9","countryCode":"ES"}`
	binary := http.Header{}
	for k, v := range map[string]string{"Ce-Specversion": "1.0", "Ce-Id": "1", "Ce-Source": "/x", "Ce-Type": typ} {
		binary.Set(k, v)
	}
	tests := []struct {
		name, contentType string
		header            http.Header
		body              string
	}{
		{"structured data", "application/cloudevents+json", nil, `{"id":"1","source":"/x","type":"` + typ + `","specversion":"1.0","data":` + data + `}`},
		{"structured data_base64", "application/cloudevents+json", nil, `{"id":"1","source":"/x","type":"` + typ + `","specversion":"1.0","data_base64":"` + base64.StdEncoding.EncodeToString([]byte(data)) + `"}`},
		{"binary", "application/json", binary, data},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := events.Parse(tt.contentType, tt.header, []byte(tt.body))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if events.KindOf(evs[0]) != events.KindUnknown || evs[0].Meta().SubscriptionID != "sub-9" {
				t.Errorf("kind %s subscription %q, want unknown, sub-9", events.KindOf(evs[0]), evs[0].Meta().SubscriptionID)
			}
		})
	}
}

// TestHybridSubscriptionIDFromEnvelope: in a NaC hybrid, eventSubscriptionId
// names the subscription; data.subscriptionId does not override it.
func TestHybridSubscriptionIDFromEnvelope(t *testing.T) {
	body := `{"id":"9","source":"/device-status/v0/subscriptions/83b1","type":"org.camaraproject.device-status.v0.connectivity-data","specversion":"1.0",` +
		`"eventSubscriptionId":"83b1","event":{"eventType":"DEVICE_STATUS_CHANGED","eventDetail":{"subscriptionId":"2001:db8::1"}},"data":{"subscriptionId":"2001:db8::1","deviceStatus":"REACHABLE"}}`
	evs, err := events.Parse("application/json", nil, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if got := evs[0].Meta().SubscriptionID; got != "83b1" {
		t.Errorf("SubscriptionID %q, want the envelope's 83b1", got)
	}
	// Without eventSubscriptionId, data.subscriptionId is the one.
	evs, err = events.Parse("application/json", nil, []byte(`{"id":"9","source":"/s","type":"org.camaraproject.device-status.v0.connectivity-data","specversion":"1.0","data":{"subscriptionId":"d-1"}}`))
	if err != nil || evs[0].Meta().SubscriptionID != "d-1" {
		t.Errorf("got %v, %v; want subscription d-1", evs, err)
	}
}

// TestLegacySessionTerminatedInWrapper: the legacy wrapper's
// SESSION_TERMINATED keeps the session id of its eventDetail.
func TestLegacySessionTerminatedInWrapper(t *testing.T) {
	body := `{"eventSubscriptionId":"sub","event":{"eventType":"SESSION_TERMINATED","eventTime":"2023-01-17T13:18:23.682Z","eventDetail":{"sessionId":"s-1","qosStatus":"UNAVAILABLE","statusInfo":"DELETE_REQUESTED"}}}`
	evs, err := events.Parse("application/json", nil, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	q := evs[0].(*events.QoSStatusChanged)
	if q.SessionID != "s-1" || q.Status != events.QoSStatusUnavailable || q.StatusInfo != events.StatusInfoDeleteRequested {
		t.Errorf("got session %q status %q info %q, want s-1 UNAVAILABLE DELETE_REQUESTED", q.SessionID, q.Status, q.StatusInfo)
	}
}

// TestRFC3339Corners: what RFC 3339 allows and Go's parser refuses.
func TestRFC3339Corners(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2024-06-01t13:00:00z", time.Date(2024, 6, 1, 13, 0, 0, 0, time.UTC)},
		{"2024-06-01t13:00:00.5+02:00", time.Date(2024, 6, 1, 11, 0, 0, 5e8, time.UTC)},
		{"2016-12-31T23:59:60Z", time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)},
		// Without an offset (Network as Code congestion insights): UTC.
		{"2025-04-18T12:54:21.495311", time.Date(2025, 4, 18, 12, 54, 21, 495311000, time.UTC)},
		{"2024-06-01t13:00:00", time.Date(2024, 6, 1, 13, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			body := `{"id":"1","source":"/qod","type":"org.camaraproject.quality-on-demand.v1.qos-status-changed","specversion":"1.0","time":"` + tt.in + `"}`
			evs, err := events.Parse("application/json", nil, []byte(body))
			if err != nil {
				t.Fatalf("structured: %v", err)
			}
			if got := evs[0].Meta().Time; !got.Equal(tt.want) {
				t.Errorf("structured: time %v, want %v", got, tt.want)
			}
			h := http.Header{}
			for k, v := range map[string]string{"Ce-Specversion": "1.0", "Ce-Id": "1", "Ce-Source": "/x", "Ce-Type": "t", "Ce-Time": tt.in} {
				h.Set(k, v)
			}
			evs, err = events.Parse("application/json", h, []byte(`{}`))
			if err != nil {
				t.Fatalf("binary: %v", err)
			}
			if got := evs[0].Meta().Time; !got.Equal(tt.want) {
				t.Errorf("binary: time %v, want %v", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"2024-06-01 13:00:00Z", "2024-06-01T13:00:61Z", "2024-06-01T13:00",
		"2024-06-01T13:00:00.", "2024-06-01T13:00:00+", "2024-06-01T13:00:00+0200", "2024-06-01", "yesterday"} {
		body := `{"id":"1","source":"/qod","type":"t","specversion":"1.0","time":"` + bad + `"}`
		if _, err := events.Parse("application/json", nil, []byte(body)); !errors.Is(err, events.ErrWrongType) {
			t.Errorf("time %q: got %v, want ErrWrongType", bad, err)
		}
	}
}

// TestCloudEventLaterMinorVersion: a 1.x event other than 1.0 builds an
// sdk-go event (as 1.0, the version sdk-go models) instead of panicking.
func TestCloudEventLaterMinorVersion(t *testing.T) {
	h := http.Header{}
	for k, v := range map[string]string{"Ce-Specversion": "1.1", "Ce-Id": "1", "Ce-Source": "/x", "Ce-Type": "org.camaraproject.quality-on-demand.v1.qos-status-changed"} {
		h.Set(k, v)
	}
	for name, parse := range map[string]func() ([]events.Event, error){
		"structured": func() ([]events.Event, error) {
			return events.Parse("application/cloudevents+json", nil, []byte(`{"id":"1","source":"/qod","type":"org.camaraproject.quality-on-demand.v1.qos-status-changed","specversion":"1.1","data":{"sessionId":"s1"}}`))
		},
		"binary": func() ([]events.Event, error) {
			return events.Parse("application/json", h, []byte(`{"sessionId":"s1"}`))
		},
	} {
		t.Run(name, func(t *testing.T) {
			evs, err := parse()
			if err != nil {
				t.Fatal(err)
			}
			if events.KindOf(evs[0]) != events.KindQoSStatusChanged {
				t.Errorf("kind %s, want %s", events.KindOf(evs[0]), events.KindQoSStatusChanged)
			}
			ce, err := cloudevent.From(evs[0])
			if err != nil {
				t.Fatal(err)
			}
			if ce.SpecVersion() != "1.0" || ce.ID() != "1" || string(ce.Data()) != `{"sessionId":"s1"}` {
				t.Errorf("got specversion %q id %q data %s", ce.SpecVersion(), ce.ID(), ce.Data())
			}
		})
	}
}

// TestCloudEventTextData: structured data of a non-JSON content type is a
// JSON string; the sdk-go event holds its value, as sdk-go's own decoder
// does.
func TestCloudEventTextData(t *testing.T) {
	body := `{"id":"1","source":"/x","type":"com.example.other","specversion":"1.0","datacontenttype":"text/plain","data":"hello \"you\""}`
	evs, err := events.Parse("application/cloudevents+json", nil, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	ce, err := cloudevent.From(evs[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := string(ce.Data()); got != `hello "you"` {
		t.Errorf("data %q, want the string's value", got)
	}
	if got := string(evs[0].Meta().Data()); got != `"hello \"you\""` {
		t.Errorf("Envelope.Data %q, want the JSON value as sent", got)
	}
}
