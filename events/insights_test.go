package events_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/camarahooks/camarahooks/events"
)

// TestNewKindsPredicates holds the predicates of the new kinds' enums.
func TestNewKindsPredicates(t *testing.T) {
	for typ, want := range map[string]int{"data-50-percent": 50, "data-75-percent": 75, "data-90-percent": 90, "data-exceeded": 100} {
		evs, err := events.Parse("application/json", nil, []byte(`{"id":"1","source":"s","specversion":"1.0","type":"org.camaraproject.device-data-volume-subscriptions.v0.`+typ+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		if got := evs[0].(*events.DataVolume).Percent; got != want {
			t.Errorf("%s: Percent %d, want %d", typ, got, want)
		}
	}
	for l, want := range map[events.CongestionLevel]bool{"none": false, "None": false, "low": true, "Medium": true,
		"HIGH": true, "extreme": false, "": false} {
		if got := l.IsCongested(); got != want {
			t.Errorf("%q.IsCongested() = %v, want %v", l, got, want)
		}
	}
	for s, want := range map[events.QoSBookingStatus]bool{events.QoSBookingStatusTerminated: true, events.QoSBookingStatusFailure: true,
		events.QoSBookingStatusActivated: false, events.QoSBookingStatusPartialSuccess: false, "UNAVAILABLE": false} {
		if got := s.IsTerminal(); got != want {
			t.Errorf("%q.IsTerminal() = %v, want %v", s, got, want)
		}
	}
	if !(&events.NetworkQuality{}).MeetsRequirements() ||
		!(&events.NetworkQuality{Confidence: map[string]events.QualityConfidence{"jitter": events.QualityConfidenceMeets, "packetDelayBudget": "maybe"}}).MeetsRequirements() ||
		(&events.NetworkQuality{Confidence: map[string]events.QualityConfidence{"jitter": events.QualityConfidenceMeets, "packetlossErrorRate": events.QualityConfidenceUnable}}).MeetsRequirements() {
		t.Error("MeetsRequirements")
	}
}

// TestCongestionBySource: a CloudEvent typed "event", structured or binary,
// is classified by its source, with or without a path after the API; the
// type form decodes too; other "event" types stay Unknown.
func TestCongestionBySource(t *testing.T) {
	tests := []struct {
		typ, source string
		want        events.Kind
	}{
		{"event", "org.camaraproject.congestioninsights.v0.event", events.KindCongestion},
		{"event", "org.camaraproject.congestioninsights.v1.event/3fa85f64-5717", events.KindCongestion},
		{"org.camaraproject.congestioninsights.v0.event", "https://nac.example/congestion", events.KindCongestion},
		{"event", "https://nac.example/congestion", events.KindUnknown},
		{"event", "org.camaraproject.congestioninsights.v0.other", events.KindUnknown},
		{"Event", "org.camaraproject.congestioninsights.v0.event", events.KindUnknown},
		{"event", "org.camaraproject.sim-swap-subscriptions.v0.swapped", events.KindSIMSwapped},
	}
	for _, tt := range tests {
		structured := `{"id":"1","source":"` + tt.source + `","type":"` + tt.typ + `","specversion":"1.0","time":"2025-04-18T12:54:21.495311","data":{"level":"high"}}`
		binary := http.Header{"Ce-Id": {"1"}, "Ce-Source": {tt.source}, "Ce-Type": {tt.typ}, "Ce-Specversion": {"1.0"},
			"Ce-Time": {"2025-04-18T12:54:21.495311"}}
		for mode, parse := range map[string]func() ([]events.Event, error){
			"structured": func() ([]events.Event, error) { return events.Parse("application/json", nil, []byte(structured)) },
			"binary": func() ([]events.Event, error) {
				return events.Parse("application/json", binary, []byte(`{"level":"high"}`))
			},
		} {
			evs, err := parse()
			if err != nil {
				t.Fatalf("%s %s %s: %v", mode, tt.typ, tt.source, err)
			}
			if got := events.KindOf(evs[0]); got != tt.want {
				t.Errorf("%s: type %q source %q: kind %s, want %s", mode, tt.typ, tt.source, got, tt.want)
			}
			if c, ok := evs[0].(*events.Congestion); ok && c.Level != events.CongestionLevelHigh {
				t.Errorf("%s: level %q", mode, c.Level)
			}
		}
	}
}

// TestResultMembersNeverRefuse: the top-level members of asynchronous
// results are also plausible CloudEvents extensions; a value of any type
// there refuses neither a CloudEvent nor a legacy body.
func TestResultMembersNeverRefuse(t *testing.T) {
	for _, body := range []string{
		`{"id":"1","source":"s","type":"org.camaraproject.qod.v0.qos-status-changed","specversion":"1.0","status":5,"statusInfo":{"a":1},"operationId":[1],"timedConnectivityData":7,"data":{"sessionId":"s1","qosStatus":"AVAILABLE"}}`,
		`{"event":{"eventType":"QOS_STATUS_CHANGED","eventTime":"2024-06-01T12:00:00Z","eventDetail":{"sessionId":"s1"}},"status":true}`,
	} {
		evs, err := events.Parse("application/json", nil, []byte(body))
		if err != nil || events.KindOf(evs[0]) != events.KindQoSStatusChanged {
			t.Errorf("%s: %v", body, err)
		}
	}
	// A body without envelope that holds no result is still no event.
	if _, err := events.Parse("application/json", nil, []byte(`{"status":"SUPPORTED_AREA","operationId":"x"}`)); !errors.Is(err, events.ErrNotEvent) {
		t.Errorf("got %v, want ErrNotEvent", err)
	}
	// Binary mode is a CloudEvent: its body is data, never a result.
	h := http.Header{}
	for k, v := range map[string]string{"Ce-Specversion": "1.0", "Ce-Id": "1", "Ce-Source": "/x", "Ce-Type": "t"} {
		h.Set(k, v)
	}
	evs, err := events.Parse("application/json", h, []byte(`{"timedPopulationDensityData":[],"status":"SUPPORTED_AREA"}`))
	if err != nil || events.KindOf(evs[0]) != events.KindUnknown {
		t.Errorf("binary: %v %v", err, evs)
	}
}

// TestNewKindsBadData: a member of the wrong type in the data of a modelled
// kind is refused, naming the member, as for the other kinds.
func TestNewKindsBadData(t *testing.T) {
	for typ, data := range map[string]string{
		"org.camaraproject.qos-booking.v0.status-changed":                          `{"bookingStatus":1}`,
		"org.camaraproject.qos-booking-and-assignment.v0.status-changed":           `{"bookingDetails":"b"}`,
		"org.camaraproject.connectivity-insights-subscriptions.v0.network-quality": `{"additionalKpis":{"signalStrength":[]}}`,
		"org.camaraproject.qos-provisioning.v0.status-changed":                     `{"status":{}}`,
	} {
		body := `{"id":"1","source":"s","type":"` + typ + `","specversion":"1.0","data":` + data + `}`
		var pe *events.Error
		if _, err := events.Parse("application/json", nil, []byte(body)); !errors.Is(err, events.ErrWrongType) || !errors.As(err, &pe) || pe.Field == "" {
			t.Errorf("%s %s: got %v, want ErrWrongType naming the member", typ, data, err)
		}
	}
}
