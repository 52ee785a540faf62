package events_test

import (
	"net/http"
	"testing"

	"github.com/camarahooks/camarahooks/events"
)

func TestAttribute(t *testing.T) {
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	structured := func(extra string) []byte {
		return []byte(`{"specversion":"1.0","id":"1","source":"/s","type":"org.example.unmodelled"` + extra + `,"data":{"traceparent":"inner"}}`)
	}
	tests := []struct {
		name   string
		ct     string
		header http.Header
		body   []byte
		want   string
	}{
		{"structured", "application/cloudevents+json", nil, structured(`,"traceparent":"` + tp + `"`), tp},
		{"absent", "application/cloudevents+json", nil, structured(``), ""},
		{"nested member is not the attribute", "application/cloudevents+json", nil, structured(`,"x":{"traceparent":"no"}`), ""},
		{"escaped name", "application/cloudevents+json", nil, structured(`,"trace\u0070arent":"` + tp + `"`), tp},
		{"last of two wins", "application/cloudevents+json", nil, structured(`,"traceparent":"a","traceparent":"b"`), "b"},
		{"not a string", "application/cloudevents+json", nil, structured(`,"traceparent":7`), ""},
		{"a string, then not one", "application/cloudevents+json", nil, structured(`,"traceparent":"a","traceparent":{"x":"y"}`), ""},
		{"escaped value", "application/cloudevents+json", nil, structured(`,"traceparent":"\u0030` + tp[1:] + `"`), tp},
		{"after a byte order mark", "application/cloudevents+json", nil, append([]byte("\xef\xbb\xbf"), structured(`,"traceparent":"`+tp+`"`)...), tp},
		{"in a batch", "application/cloudevents-batch+json", nil, append(append([]byte(` [ `), structured(`,"traceparent":"`+tp+`"`)...), ']'), tp},
		{"other letter case", "application/cloudevents+json", nil, structured(`,"TraceParent":"a"`), ""},
		{"binary", "application/json", http.Header{
			"Ce-Specversion": {"1.0"}, "Ce-Id": {"1"}, "Ce-Source": {"/s"}, "Ce-Type": {"org.example.unmodelled"},
			"Ce-Traceparent": {tp},
		}, []byte(`{}`), tp},
		{"binary absent", "application/json", http.Header{
			"Ce-Specversion": {"1.0"}, "Ce-Id": {"1"}, "Ce-Source": {"/s"}, "Ce-Type": {"org.example.unmodelled"},
		}, []byte(`{}`), ""},
		{"legacy shape", "application/json", nil, []byte(`{"event":{"eventType":"QOS_STATUS_CHANGED","eventTime":"2024-01-01T00:00:00Z","eventDetail":{}},"traceparent":"` + tp + `"}`), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			evs, err := events.Parse(tc.ct, h, tc.body)
			if err != nil || len(evs) != 1 {
				t.Fatalf("Parse: %d events, %v", len(evs), err)
			}
			if got := evs[0].Meta().Attribute("traceparent"); got != tc.want {
				t.Errorf("Attribute(traceparent) = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAttributeTraceState(t *testing.T) {
	evs, err := events.Parse("application/cloudevents-batch+json", http.Header{}, []byte(`[
		{"specversion":"1.0","id":"1","source":"/s","type":"t","tracestate":"a=1"},
		{"specversion":"1.0","id":"2","source":"/s","type":"t","tracestate":"b=2,c=\u0033","traceparent":"p"}]`))
	if err != nil || len(evs) != 2 {
		t.Fatalf("Parse: %d events, %v", len(evs), err)
	}
	for i, want := range [][2]string{{"", "a=1"}, {"p", "b=2,c=3"}} {
		env := evs[i].Meta()
		if got := [2]string{env.Attribute("traceparent"), env.Attribute("tracestate")}; got != want {
			t.Errorf("event %d: traceparent, tracestate = %q, want %q", i, got, want)
		}
	}
}

func TestAttributeAllocatesNothingWhenAbsent(t *testing.T) {
	evs, err := events.Parse("application/cloudevents+json", http.Header{},
		[]byte(`{"specversion":"1.0","id":"1","source":"/s","type":"t","data":{"a":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	env := evs[0].Meta()
	if n := testing.AllocsPerRun(100, func() { _ = env.Attribute("traceparent") }); n != 0 {
		t.Errorf("Attribute of an absent attribute allocates %v times, want 0", n)
	}
}

func TestAttributeCore(t *testing.T) {
	evs, err := events.Parse("application/cloudevents+json", http.Header{}, []byte(`{"specversion":"1.0","id":"7","source":"/s",
		"type":"t","time":"2026-12-01T10:00:00Z","subject":"sub","datacontenttype":"application/json","data":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	env := evs[0].Meta()
	for name, want := range map[string]string{"specversion": "1.0", "id": "7", "source": "/s", "type": "t",
		"time": "2026-12-01T10:00:00Z", "subject": "sub", "datacontenttype": "application/json", "dataschema": ""} {
		if got := env.Attribute(name); got != want {
			t.Errorf("Attribute(%q) = %q, want %q", name, got, want)
		}
	}
}
