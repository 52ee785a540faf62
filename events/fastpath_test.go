package events

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzFastPath holds the fast path to encoding/json: whenever it accepts a
// body, encoding/json must decode the same body without error into the same
// value. Seeds: every payload in testdata/.
func FuzzFastPath(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, file := range files {
		b, err := os.ReadFile(file)
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
		var fastData binaryData
		if fastDecodeData(body, &fastData) { // binary mode: the body is the data
			var stdData wireData
			if err := json.Unmarshal(body, &stdData); err != nil {
				t.Fatalf("fast data path accepted what encoding/json refuses (%v): %q", err, body)
			}
			if !reflect.DeepEqual(fastData.wireData, stdData) {
				t.Fatalf("fast data path decoded %q\n as %+v\nencoding/json as %+v", body, fastData, stdData)
			}
		}
		var fast wireEvent
		if !fastDecode(body, &fast) {
			return
		}
		var std wireEvent
		if err := json.Unmarshal(body, &std); err != nil {
			t.Fatalf("fast path accepted what encoding/json refuses (%v): %q", err, body)
		}
		fast.scan = fastScanner{} // not decoded data
		if !reflect.DeepEqual(fast, std) {
			t.Fatalf("fast path decoded %q\n as %+v\nencoding/json as %+v", body, fast, std)
		}
	})
}

func TestFastPathTakesTheCommonCase(t *testing.T) {
	for _, name := range []string{"qod-v1.2-qos-status-changed-network-terminated.json", "device-roaming-v0.6-roaming-status.json",
		"device-reachability-v0.7-reachability-disconnected-ipv4.json", "device-reachability-v0.8-subscription-ended.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		var w wireEvent
		if !fastDecode(b, &w) {
			t.Errorf("%s: the fast path gave up on a plain CloudEvent", name)
		}
	}
	for _, body := range []string{`{"id":5}`, `{"ID":"x"}`, `{"id":"a\u00e9"}`, `{"event":{}}`, "{\"id\":\"1\"}\x00", `{"data":{"countryName":["E\u0053"]}}`} {
		var w wireEvent
		if fastDecode([]byte(body), &w) {
			t.Errorf("fast path accepted %q, which encoding/json must decode", body)
		}
	}
}
