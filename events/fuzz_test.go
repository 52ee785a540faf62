package events_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/events/cloudevent"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

var fuzzContentTypes = []string{"application/json", "application/cloudevents+json", "application/cloudevents-batch+json", "", "text/plain"}

// FuzzParse feeds Parse arbitrary bodies under every content type, in
// structured and binary mode. Seeds: every receivertest fixture and the
// corpus in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	names := receivertest.Fixtures()
	if len(names) == 0 {
		f.Fatal("no seed payloads")
	}
	for _, name := range names {
		body, err := receivertest.Fixture(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(0), false, body)
		f.Add(uint8(1), true, body)
	}
	f.Fuzz(func(t *testing.T, ct uint8, binary bool, body []byte) {
		var h http.Header
		if binary {
			h = http.Header{
				"Ce-Id": {"1"}, "Ce-Source": {"/s"}, "Ce-Specversion": {"1.0"},
				"Ce-Type": {"org.camaraproject.device-status.v0.roaming-status"},
			}
		}
		contentType := fuzzContentTypes[int(ct)%len(fuzzContentTypes)]
		evs, err := events.Parse(contentType, h, body)
		if err != nil {
			// A batch returns its valid elements with the error joining
			// one *Error per invalid element; anything else, no events.
			// The batch media type wins over ce-* headers, and so does
			// an array labelled application/cloudevents+json.
			batch := contentType == "application/cloudevents-batch+json" ||
				contentType == "application/cloudevents+json" && strings.HasPrefix(strings.TrimLeft(strings.TrimPrefix(string(body), "\xef\xbb\xbf"), " \t\r\n"), "[")
			var joined interface{ Unwrap() []error }
			switch {
			case evs != nil && !batch:
				t.Fatalf("events and an error: %v", err)
			case batch && errors.As(err, &joined):
				for _, e := range joined.Unwrap() {
					if _, ok := e.(*events.Error); !ok {
						t.Fatalf("batch element error %T is not *events.Error", e)
					}
				}
			default:
				if _, ok := err.(*events.Error); !ok {
					t.Fatalf("error %T is not *events.Error", err)
				}
			}
			if !batch {
				return
			}
		}
		for _, ev := range evs {
			m := ev.Meta()
			switch {
			case m.Shape.IsCloudEvent():
				if m.ID == "" || m.Type == "" || m.Source == "" {
					t.Fatalf("accepted a CloudEvent without id, type or source: %+v", m)
				}
				// Building the sdk-go event must not panic (it did for
				// specversion 1.1), and must keep the identity (which
				// sdk-go trims of surrounding spaces).
				if ce, err := cloudevent.From(ev); err == nil && (ce.ID() != strings.TrimSpace(m.ID) || ce.Type() != strings.TrimSpace(m.Type)) {
					t.Fatalf("CloudEvent() id %q type %q, want %q %q", ce.ID(), ce.Type(), m.ID, m.Type)
				}
			case m.Shape == events.ShapeQoDSessionTerminated:
				if q, ok := ev.(*events.QoSStatusChanged); ok && q.SessionID == "" {
					t.Fatalf("accepted SESSION_TERMINATED without a session id")
				}
				if m.Type == "" {
					t.Fatalf("accepted a QoD 0.8 body without its event")
				}
			case m.Shape == events.ShapeNaCSlice:
				// No type: identified by its members, and given their key.
				if events.KindOf(ev) != events.KindSliceStatus || m.Type != "" || !strings.HasPrefix(m.ID, "nac-slice-") {
					t.Fatalf("slice notification decoded as %s, type %q, id %q", events.KindOf(ev), m.Type, m.ID)
				}
				continue
			default:
				if m.Type == "" {
					t.Fatalf("accepted a legacy event without eventType: %+v", m)
				}
			}
			typ := m.Type
			if typ == "event" { // classified by its source (NaC congestion insights)
				typ, _, _ = strings.Cut(m.Source, "/")
			}
			if events.KindOf(ev) != events.TypeKind(typ) && events.KindOf(ev) != events.KindUnknown {
				t.Fatalf("kind %s disagrees with TypeKind(%q) = %s", events.KindOf(ev), typ, events.TypeKind(typ))
			}
		}
	})
}
