package events_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/events/cloudevent"
)

// TestParseToleratesSenderQuirks: what real senders send and the specs
// allow is read, never refused (a 400 is never retried: the notification
// would be lost).
func TestParseToleratesSenderQuirks(t *testing.T) {
	const bom = "\xef\xbb\xbf"
	second := strings.Replace(qodEvent, `"e1"`, `"e2"`, 1)
	tests := []struct {
		name, contentType, body string
		ids                     []string
		mode                    events.Mode
	}{
		// Edge Application Management sends its batches this way.
		{"array as application/cloudevents+json", "application/cloudevents+json", "[" + qodEvent + "," + second + "]", []string{"e1", "e2"}, events.ModeBatch},
		{"array as application/cloudevents+json after space", "Application/CloudEvents+JSON; charset=utf-8", " \n[" + qodEvent + "]", []string{"e1"}, events.ModeBatch},
		{"empty array as application/cloudevents+json", "application/cloudevents+json", "[]", nil, ""},
		{"BOM structured", "application/cloudevents+json", bom + qodEvent, []string{"e1"}, events.ModeStructured},
		{"BOM application/json", "application/json", bom + qodEvent, []string{"e1"}, events.ModeStructured},
		{"BOM no content type", "", bom + qodEvent, []string{"e1"}, events.ModeStructured},
		{"BOM batch", "application/cloudevents-batch+json", bom + "[" + qodEvent + "]", []string{"e1"}, events.ModeBatch},
		{"BOM array as application/cloudevents+json", "application/cloudevents+json", bom + "[" + qodEvent + "]", []string{"e1"}, events.ModeBatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := events.Parse(tt.contentType, nil, []byte(tt.body))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(evs) != len(tt.ids) {
				t.Fatalf("got %d events, want %d", len(evs), len(tt.ids))
			}
			for i, ev := range evs {
				m := ev.Meta()
				if m.ID != tt.ids[i] || m.Mode != tt.mode {
					t.Errorf("event %d: id %q mode %q, want %q %q", i, m.ID, m.Mode, tt.ids[i], tt.mode)
				}
				if strings.HasPrefix(string(m.Raw()), bom) {
					t.Errorf("event %d: Raw keeps the byte order mark", i)
				}
			}
		})
	}
	t.Run("BOM in binary data", func(t *testing.T) {
		evs, err := events.Parse("application/json", binaryHeader(nil), []byte(bom+`{"sessionId":"s9","qosStatus":"AVAILABLE"}`))
		if err != nil {
			t.Fatal(err)
		}
		if q := evs[0].(*events.QoSStatusChanged); q.SessionID != "s9" {
			t.Errorf("session %q", q.SessionID)
		}
	})
	t.Run("a BOM is not JSON white space elsewhere", func(t *testing.T) {
		if _, err := events.Parse("application/json", nil, []byte(" "+bom+qodEvent)); !errors.Is(err, events.ErrNotJSON) {
			t.Errorf("got %v, want ErrNotJSON", err)
		}
	})
}

// binaryHeader returns the ce-* headers of a QoD event in binary mode with
// set applied on top (a nil value deletes the key).
func binaryHeader(set http.Header) http.Header {
	h := http.Header{
		"Ce-Id":          {"b1"},
		"Ce-Source":      {"https://api.example.com/qod"},
		"Ce-Type":        {"org.camaraproject.quality-on-demand.v1.qos-status-changed"},
		"Ce-Specversion": {"1.0"},
	}
	for k, v := range set {
		if v == nil {
			delete(h, k)
			continue
		}
		h[k] = v
	}
	return h
}

// TestParseBinaryHeaderValues: ce-* values are decoded as the CloudEvents
// HTTP binding 1.0.2 (section 3.1.3.2) says: double-quoted strings
// unquoted, then one round of percent-decoding, and a value that is not
// UTF-8 afterwards refused.
func TestParseBinaryHeaderValues(t *testing.T) {
	body := []byte(`{"sessionId":"s9","qosStatus":"AVAILABLE"}`)
	tests := []struct {
		name, header, value, want string
	}{
		{"quoted", "Ce-Id", `"probe 2"`, "probe 2"},
		{"quoted with escapes", "Ce-Id", `"a \"b\" \\c"`, `a "b" \c`},
		{"quoted then percent-decoded", "Ce-Id", `"x%20y"`, "x y"},
		{"quoted part", "Ce-Id", `id-"1 2"`, "id-1 2"},
		{"surrounding space", "Ce-Id", "  b7 ", "b7"},
		{"percent-encoded", "Ce-Source", "/s%20%E2%82%AC", "/s €"},
		{"lower-case hex", "Ce-Source", "/s%20%e2%82%ac", "/s €"},
		{"unnecessarily encoded", "Ce-Id", "%61%62", "ab"},
		{"one round only", "Ce-Id", "a%2541", "a%41"},
		{"lone percent kept", "Ce-Id", "100%", "100%"},
		{"percent without hex kept", "Ce-Id", "a%zzb", "a%zzb"},
		{"plus is no space", "Ce-Id", "a+b", "a+b"},
		{"quoted subscription id", "Ce-Subscriptionid", `"sub 1"`, "sub 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := events.Parse("application/json", binaryHeader(http.Header{tt.header: {tt.value}}), body)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			m := evs[0].Meta()
			got := map[string]string{"Ce-Id": m.ID, "Ce-Source": m.Source, "Ce-Subscriptionid": m.SubscriptionID}[tt.header]
			if got != tt.want {
				t.Errorf("%s %q read as %q, want %q", tt.header, tt.value, got, tt.want)
			}
		})
	}
	t.Run("extension", func(t *testing.T) {
		evs, err := events.Parse("application/json", binaryHeader(http.Header{"Ce-Tenant": {`"acme corp"`}}), body)
		if err != nil {
			t.Fatal(err)
		}
		ce, err := cloudevent.From(evs[0])
		if err != nil {
			t.Fatal(err)
		}
		if got := ce.Extensions()["tenant"]; got != "acme corp" {
			t.Errorf("extension tenant = %v, want %q", got, "acme corp")
		}
	})

	refused := []struct {
		name, header, value, field string
	}{
		{"overlong space", "Ce-Id", "x%C0%A0", "ce-id"},
		{"lone continuation byte", "Ce-Source", "/s%80", "ce-source"},
		{"truncated sequence", "Ce-Type", "org.camaraproject.quality-on-demand.v1.qos-status-changed%E2%82", "ce-type"},
		{"surrogate", "Ce-Id", "%ED%A0%80", "ce-id"},
		{"raw invalid byte", "Ce-Id", "x\xff", "ce-id"},
		{"in an extension", "Ce-Tenant", "%FF", "ce-tenant"},
		{"in ce-time", "Ce-Time", "%C0%A0", "ce-time"},
		{"unterminated quote", "Ce-Id", `"probe 2`, "ce-id"},
		{"escape at the end", "Ce-Id", `"probe\`, "ce-id"},
	}
	for _, tt := range refused {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			_, err := events.Parse("application/json", binaryHeader(http.Header{tt.header: {tt.value}}), body)
			var pe *events.Error
			if !errors.Is(err, events.ErrWrongType) || !errors.As(err, &pe) || pe.Field != tt.field {
				t.Errorf("%s %q: got %v, want ErrWrongType naming %s", tt.header, tt.value, err, tt.field)
			}
		})
	}
}

// TestParseBinaryRefusesDuplicateIdentityHeaders: an identity header sent
// twice (any letter case: net/http folds them into one key) is refused,
// so that no proxy or SDK reading the other copy sees another event than
// the one authorized (reliability review, finding 12).
func TestParseBinaryRefusesDuplicateIdentityHeaders(t *testing.T) {
	body := []byte(`{"sessionId":"s9","qosStatus":"AVAILABLE"}`)
	base := binaryHeader(nil)
	for _, key := range []string{"Ce-Id", "Ce-Source", "Ce-Type", "Ce-Specversion", "Ce-Subscriptionid"} {
		t.Run(key, func(t *testing.T) {
			h := base.Clone()
			first := "sub-A"
			if v := h[key]; len(v) > 0 {
				first = v[0]
			}
			h[key] = []string{first, first + "x"}
			_, err := events.Parse("application/json", h, body)
			var pe *events.Error
			if !errors.Is(err, events.ErrNotEvent) || !errors.As(err, &pe) || pe.Field != strings.ToLower(key) {
				t.Errorf("got %v, want ErrNotEvent naming %s", err, strings.ToLower(key))
			}
		})
	}
	t.Run("other headers may repeat", func(t *testing.T) {
		h := base.Clone()
		h["Ce-Tenant"] = []string{"a", "b"}
		h["Ce-Subject"] = []string{"a", "b"}
		if _, err := events.Parse("application/json", h, body); err != nil {
			t.Errorf("Parse: %v", err)
		}
	})
}

// TestParseBinaryFaultIsDeterministic: of several faulty ce-* headers, the
// one reported does not depend on the header map's iteration order (the
// same request always gets the same answer): a repeated identity header
// before an invalid value, and of each the smallest key.
func TestParseBinaryFaultIsDeterministic(t *testing.T) {
	body := []byte(`{"sessionId":"s9","qosStatus":"AVAILABLE"}`)
	tests := []struct {
		name  string
		bad   http.Header
		field string
	}{
		{"invalid values", http.Header{"Ce-Zeta": {"%FF"}, "Ce-Alpha": {"%FF"}, "Ce-Mid": {"ok", "%C0%A0"}}, "ce-alpha"},
		{"repeated identity before invalid values", http.Header{"Ce-Alpha": {"%FF"}, "Ce-Subscriptionid": {"a", "b"}, "Ce-Source": {"/s", "/t"}}, "ce-source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := binaryHeader(nil)
			for k, v := range tt.bad {
				h[k] = v
			}
			for i := range 200 {
				_, err := events.Parse("application/json", h, body)
				var pe *events.Error
				if !errors.As(err, &pe) || pe.Field != tt.field {
					t.Fatalf("try %d: got %v, want an error naming %s", i, err, tt.field)
				}
			}
		})
	}
}
