package events_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestParseRefusesAmbiguousIdentity: a member that decides identity or
// authorization (id, source, type, specversion, the subscription ids, and
// the legacy eventId, eventType and eventDetail.subscriptionId) sent twice,
// or under a name differing from its own only in case, is refused with
// ErrNotEvent naming it: encoding/json reads the last and matches case
// insensitively, other parsers the first or exactly, so no value could be
// authorized that every parser reads (reliability review, finding 12).
func TestParseRefusesAmbiguousIdentity(t *testing.T) {
	const ce = `"source":"/x","type":"org.camaraproject.device-roaming-status-subscriptions.v0.roaming-on","specversion":"1.0"`
	const unknown = `"id":"1","source":"/x","type":"org.camaraproject.other-api.v0.thing","specversion":"1.0"`
	tests := []struct {
		name, body, field string
	}{
		{"eventSubscriptionId twice", `{"id":"1",` + ce + `,"eventSubscriptionId":"sub-B","eventSubscriptionId":"sub-A","data":{}}`, "eventSubscriptionId"},
		{"EVENTSUBSCRIPTIONID", `{"id":"1",` + ce + `,"EVENTSUBSCRIPTIONID":"sub-A","data":{}}`, "eventSubscriptionId"},
		{"eventSubscriptionId and a case variant", `{"id":"1",` + ce + `,"eventSubscriptionId":"sub-B","EVENTSUBSCRIPTIONID":"sub-A"}`, "eventSubscriptionId"},
		{"data.subscriptionId and SubscriptionID", `{"id":"1",` + ce + `,"data":{"subscriptionId":"sub-B","SubscriptionID":"sub-A"}}`, "data.subscriptionId"},
		{"data.subscriptionId twice", `{"id":"1",` + ce + `,"data":{"subscriptionId":"sub-B","subscriptionId":"sub-A"}}`, "data.subscriptionId"},
		{"subscriptionId in two data members", `{"id":"1",` + ce + `,"data":{"subscriptionId":"sub-B"},"data":{"subscriptionId":"sub-A"}}`, "data.subscriptionId"},
		{"subscriptionId under DATA", `{"id":"1",` + ce + `,"DATA":{"subscriptionId":"sub-A"}}`, "data.subscriptionId"},
		{"unknown type, data and DATA each with one", `{` + unknown + `,"data":{"subscriptionId":"sub-A"},"DATA":{"subscriptionId":{}}}`, "data.subscriptionId"},
		{"id twice", `{"id":"1","id":"2",` + ce + `}`, "id"},
		{"ID", `{"ID":"1",` + ce + `}`, "id"},
		{"escaped case variant of id", `{"\u0049d":"1",` + ce + `}`, "id"},
		{"long-s variant of source", "{\"id\":\"1\",\"\u017fource\":\"/x\",\"type\":\"t\",\"specversion\":\"1.0\"}", "source"},
		{"source twice", `{"id":"1","source":"/a",` + ce + `}`, "source"},
		{"type case variant", `{"id":"1","source":"/x","TYPE":"t","specversion":"1.0"}`, "type"},
		{"specversion twice", `{"id":"1",` + ce + `,"specversion":"1.0"}`, "specversion"},
		{"legacy eventSubscriptionId twice", `{"eventSubscriptionId":"sub-B","eventSubscriptionId":"sub-A","event":{"eventType":"ROAMING_STATUS","eventDetail":{"roaming":true}}}`, "eventSubscriptionId"},
		{"legacy eventDetail.subscriptionId case variant", `{"event":{"eventType":"SUBSCRIPTION_ENDS","eventDetail":{"subscriptionId":"sub-B","subscriptionid":"sub-A"}}}`, "event.eventDetail.subscriptionId"},
		{"legacy eventType twice", `{"eventSubscriptionId":"s","event":{"eventType":"ROAMING_STATUS","eventType":"SUBSCRIPTION_ENDS"}}`, "event.eventType"},
		{"legacy eventId case variant", `{"eventSubscriptionId":"s","event":{"EventId":"1","eventType":"ROAMING_STATUS"}}`, "event.eventId"},
		{"unwrapped legacy eventType twice", `{"eventType":"ROAMING_STATUS","eventType":"SUBSCRIPTION_ENDS"}`, "eventType"},
		{"unknown data_base64 with two", `{` + unknown + `,"data_base64":"eyJzdWJzY3JpcHRpb25JZCI6InN1Yi1CIiwic3Vic2NyaXB0aW9uSWQiOiJzdWItQSJ9"}`, "subscriptionId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := events.Parse("application/cloudevents+json", nil, []byte(tt.body))
			var pe *events.Error
			if !errors.Is(err, events.ErrNotEvent) || !errors.As(err, &pe) || pe.Field != tt.field {
				var sub string
				if len(evs) > 0 {
					sub = evs[0].Meta().SubscriptionID
				}
				t.Fatalf("got %v (subscription %q), want ErrNotEvent naming %q", err, sub, tt.field)
			}
		})
	}
	// Binary mode: the body is the data.
	h := http.Header{"Ce-Id": {"1"}, "Ce-Source": {"/s"}, "Ce-Specversion": {"1.0"},
		"Ce-Type": {"org.camaraproject.device-roaming-status-subscriptions.v0.roaming-on"}}
	for _, typ := range []string{"org.camaraproject.device-roaming-status-subscriptions.v0.roaming-on", "org.camaraproject.other-api.v0.thing"} {
		h.Set("Ce-Type", typ)
		_, err := events.Parse("application/json", h, []byte(`{"subscriptionId":"sub-B","SubscriptionId":"sub-A"}`))
		var pe *events.Error
		if !errors.Is(err, events.ErrNotEvent) || !errors.As(err, &pe) || pe.Field != "subscriptionId" {
			t.Errorf("binary %s: got %v, want ErrNotEvent naming subscriptionId", typ, err)
		}
	}
}

// TestParseKeepsUnambiguousMembers: what real senders send still decodes:
// every fixture, and members that only look like identity members
// (CloudEvents extensions, lower case by the spec, that fold to legacy
// names; a stray id in a legacy body; other members sent twice).
func TestParseKeepsUnambiguousMembers(t *testing.T) {
	for _, name := range receivertest.Fixtures() {
		b, err := receivertest.Fixture(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := events.Parse("application/json", nil, b); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	const ce = `"id":"1","source":"/x","type":"org.camaraproject.other-api.v0.thing","specversion":"1.0"`
	for _, body := range []string{
		`{` + ce + `,"eventid":"e","eventtype":"t","subject":"a","subject":"b"}`,
		`{"id":"a","ID":"b","eventSubscriptionId":"s","event":{"eventType":"ROAMING_STATUS","eventDetail":{"roaming":true}}}`,
		`{` + ce + `,"data":{"sessionId":"a","SESSIONID":"b"},"DATA":{"device":{}}}`,
	} {
		if _, err := events.Parse("application/json", nil, []byte(body)); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

// TestParseIsDeterministic: the same bytes give the same answer every
// time. An unknown type with data and DATA members, one of them of the
// wrong type, was decoded by picking a member in map iteration order: 204
// or 403 by chance (reliability review, finding 13).
func TestParseIsDeterministic(t *testing.T) {
	const ce = `"id":"1","source":"/x","type":"org.camaraproject.other-api.v0.thing","specversion":"1.0"`
	for _, body := range []string{
		`{` + ce + `,"data":{"subscriptionId":"sub-A"},"DATA":{"device":7}}`,
		`{` + ce + `,"DATA":{"device":7},"data":{"subscriptionId":"sub-A"},"Data":{"roaming":"x"}}`,
		`{` + ce + `,"data":{"subscriptionId":"sub-A"},"DATA":{"subscriptionId":{}}}`,
		`{` + ce + `,"eventSubscriptionId":"e","event":{"eventDetail":{"device":1}},"EVENT":{"eventDetail":{"subscriptionId":"x"}}}`,
	} {
		first := ""
		for i := range 200 {
			evs, err := events.Parse("application/cloudevents+json", nil, []byte(body))
			got := fmt.Sprint(err)
			if err == nil {
				got = fmt.Sprintf("%s %s %q", events.KindOf(evs[0]), evs[0].Meta().Shape, evs[0].Meta().SubscriptionID)
			}
			if i == 0 {
				first = got
			} else if got != first {
				t.Fatalf("%s:\ntry 0: %s\ntry %d: %s", body, first, i, got)
			}
		}
	}
}

// TestSentTimeIsNeverTheZeroValue: Envelope.Time is time.Time{} only when
// the notification has no time; a sent zero instant, in any zone and
// mode, keeps its instant but not the zero Value, so that the receiver
// judges it (reliability review, finding 16). A NaC hybrid without a
// CloudEvents time is dated by its legacy event.eventTime.
func TestSentTimeIsNeverTheZeroValue(t *testing.T) {
	const ce = `"id":"1","source":"/x","type":"org.camaraproject.quality-on-demand.v1.qos-status-changed","specversion":"1.0","data":{"sessionId":"s"}`
	for _, z := range []string{"0001-01-01T00:00:00Z", "0001-01-01T00:00:00+00:00", "0001-01-01T05:30:00+05:30", "0000-12-31T19:00:00-05:00"} {
		for _, body := range []string{
			`{` + ce + `,"time":"` + z + `"}`,
			`{` + ce + `,"event":{"eventType":"QOS_STATUS_CHANGED","eventTime":"` + z + `"}}`,
			`{"eventSubscriptionId":"s","event":{"eventType":"ROAMING_STATUS","eventTime":"` + z + `","eventDetail":{"roaming":true}}}`,
		} {
			evs, err := events.Parse("application/json", nil, []byte(body))
			if err != nil {
				t.Fatalf("%s: %v", body, err)
			}
			if tm := evs[0].Meta().Time; tm == (time.Time{}) || !tm.IsZero() {
				t.Errorf("%s: Time %v (zero Value %v), want the zero instant, not the zero Value", body, tm, tm == (time.Time{}))
			}
		}
		h := http.Header{"Ce-Id": {"1"}, "Ce-Source": {"/s"}, "Ce-Specversion": {"1.0"}, "Ce-Time": {z},
			"Ce-Type": {"org.camaraproject.quality-on-demand.v1.qos-status-changed"}}
		evs, err := events.Parse("application/json", h, []byte(`{"sessionId":"s"}`))
		if err != nil || evs[0].Meta().Time == (time.Time{}) {
			t.Errorf("binary ce-time %s: %v, sent time is the zero Value", z, err)
		}
	}
	evs, err := events.Parse("application/json", nil, []byte(`{`+ce+`}`))
	if err != nil || evs[0].Meta().Time != (time.Time{}) {
		t.Errorf("no time: %v, Time %v, want the zero Value", err, evs[0].Meta().Time)
	}
	evs, err = events.Parse("application/json", nil, []byte(`{`+ce+`,"event":{"eventType":"QOS_STATUS_CHANGED","eventTime":"2024-06-01T12:00:00Z"}}`))
	if want := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC); err != nil || !evs[0].Meta().Time.Equal(want) {
		t.Errorf("hybrid dated by event.eventTime: %v, Time %v, want %v", err, evs[0].Meta().Time, want)
	}
}
