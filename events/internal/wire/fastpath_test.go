package wire_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/camarahooks/camarahooks/events/internal/wire"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// FuzzFastPath holds the fast path to encoding/json: whenever it accepts a
// body, encoding/json must decode the same body without error into the same
// value. Seeds: every receivertest fixture.
func FuzzFastPath(f *testing.F) {
	for _, name := range receivertest.Fixtures() {
		b, err := receivertest.Fixture(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"id":"1","source":"s","type":"t","specversion":"1.0","data":{"device":{"ipv4Address":{"publicPort":80}},"roaming":false,"countryCode":-3}}`))
	f.Add([]byte(`{"ſource":"x","id":"1"}`))
	f.Add([]byte(`{"sessionId":"s9","qosStatus":"UNAVAILABLE","statusInfo":"DELETE_REQUESTED","device":{"phoneNumber":"+1"}}`))
	f.Add([]byte(`{"id":"1","data":null,"data":{"sessionId":"a"},"data":{"qosStatus":"AVAILABLE"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if fast, ok := wire.FastDecodeData(body); ok { // binary mode: the body is the data
			var std wire.Data
			if err := json.Unmarshal(body, &std); err != nil {
				t.Fatalf("fast data path accepted what encoding/json refuses (%v): %q", err, body)
			}
			if !reflect.DeepEqual(*fast, std) {
				t.Fatalf("fast data path decoded %q\n as %+v\nencoding/json as %+v", body, *fast, std)
			}
		}
		fast, ok := wire.FastDecode(body)
		if !ok {
			return
		}
		var std wire.Event
		if err := json.Unmarshal(body, &std); err != nil {
			t.Fatalf("fast path accepted what encoding/json refuses (%v): %q", err, body)
		}
		if !reflect.DeepEqual(*fast, std) {
			t.Fatalf("fast path decoded %q\n as %+v\nencoding/json as %+v", body, *fast, std)
		}
	})
}

func TestFastPathTakesTheCommonCase(t *testing.T) {
	for _, name := range []string{"qod-v1.2-qos-status-changed-network-terminated", "device-roaming-v0.6-roaming-status",
		"device-reachability-v0.7-reachability-disconnected-ipv4", "device-reachability-v0.8-subscription-ended"} {
		b, err := receivertest.Fixture(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := wire.FastDecode(b); !ok {
			t.Errorf("%s: the fast path gave up on a plain CloudEvent", name)
		}
	}
	for _, body := range []string{`{"id":5}`, `{"ID":"x"}`, `{"id":"a\u00e9"}`, `{"event":{}}`, "{\"id\":\"1\"}\x00", `{"data":{"countryName":["E\u0053"]}}`} {
		if _, ok := wire.FastDecode([]byte(body)); ok {
			t.Errorf("fast path accepted %q, which encoding/json must decode", body)
		}
	}
}
