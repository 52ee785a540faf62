package wire_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/events/internal/wire"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// FuzzDecode holds the decoder to encoding/json: on any object it refuses
// exactly what encoding/json refuses as JSON, and otherwise decodes the same
// value and reports the same first type error (Field and JSON kind), so
// that replacing encoding/json changed no answer. Seeds: every receivertest
// fixture.
func FuzzDecode(f *testing.F) {
	for _, name := range receivertest.Fixtures() {
		b, err := receivertest.Fixture(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if !startsObject(body) {
			return
		}
		var std wire.Event
		stdErr := json.Unmarshal(body, &std)
		got, errs, valid, _ := wire.FirstPass(body)
		compare(t, "event", body, got, &std, errs, valid, stdErr)

		// The trace members the decoder locates are what a search of
		// the bytes finds.
		if parent, state, ok := wire.TraceMembers(body); ok {
			for name, got := range map[string]string{"traceparent": parent, "tracestate": state} {
				if want, _ := wire.StringMember(body, name); got != want {
					t.Fatalf("%s located as %q, StringMember reads %q: %q", name, got, want, body)
				}
			}
		}

		// Cost per byte: the decoder's work, every pass and every value
		// re-read counted, stays within maxWork of the body's length.
		if work := wire.Work(body, anyKnown); work > maxWork*len(body) {
			t.Fatalf("work %d for %d bytes (%.1f per byte, want at most %d): %q", work, len(body), float64(work)/float64(len(body)), maxWork, body)
		}

		var stdData wire.Data
		stdErr = json.Unmarshal(body, &stdData)
		gotData, errs, valid := wire.DataPass(body)
		compare(t, "data", body, gotData, &stdData, errs, valid, stdErr)
	})
}

var decodeSeeds = []string{
	`{"id":"1","source":"s","type":"t","specversion":"1.0","data":{"device":{"ipv4Address":{"publicPort":80}},"roaming":false,"countryCode":-3}}`,
	`{"ſource":"x","id":"1","\u0069d":"2","ID":3,"DATA":{"ſessionId":"a"}}`,
	`{"sessionId":"s9","qosStatus":"UNAVAILABLE","statusInfo":"DELETE_REQUESTED","device":{"phoneNumber":"+1"}}`,
	`{"id":"1","data":null,"data":{"sessionId":"a"},"data":{"qosStatus":"AVAILABLE"}}`,
	`{"event":{"eventType":"X","eventDetail":{"ueId":{"msisdn":5},"uePort":"80","countryName":["a",null]}},"event":"S","event":null}`,
	`{"subject":"a\u00e9\ud83d\ude00\ud800x\\\/\b\f\n\r\t","source":"\xff\xfe","time":"2024-06-01T12:00:00Z","eventTime":5}`,
	`{"data":{"countryName":[1,"a"],"device":7,"roaming":"yes"},"data_base64":null,"sessionId":1.5e3}`,
	`{"x":[[[[{"y":-0.0e+1}]]]],"id":true,"eventId":false,"eventSubscriptionId":123456789012345678901234567890}`,
	`{"resource":"s","RESOURCE":5,"action":{},"state":null,"current_slice_state":["x"],"outcome":true}`,
	`{"data":{"area":{"areaType":"CIRCLE","center":{"latitude":"1","longitude":2},"radius":3,"radius":"4"},"area":null,"AREA":7}}`,
	`{"data":{"serviceArea":{"boundary":[{"latitude":1},null,5]},"sliceId":9,"status":"SUCCESS","Status":[1]}}`,
	`{"area":{"poiName":"x","areaType":"POI"},"serviceArea":{},"sliceId":"a","status":false}`,
	`{"data":{"deviceDetails":{"bookingDetails":{"bookingId":"b","bookingDetails":null},"status":"SUCCESSFUL"},"bookingDetails":7,"additionalKpis":{"signalStrength":1,"connectivityType":"4G"},"phoneNumber":5}}`,
	`{"traceparent":"00-a","trace\u0070arent":"b\u00e9","tracestate":7,"TRACESTATE":"x","tracestate":"k=\xff"}`,
	`{"operationId":12,"status":["x"],"statusInfo":"s\u00e9","timedPopulationDensityData":null,"timedConnectivityData":{"a":1},"STATUS":true,"operationId":"op"}`,
}

func startsObject(b []byte) bool {
	s := strings.TrimLeft(string(b), " \t\r\n")
	return s != "" && s[0] == '{'
}

// compare checks one decoding against encoding/json's.
func compare(t *testing.T, what string, body []byte, got, std any, errs []*json.UnmarshalTypeError, valid bool, stdErr error) {
	t.Helper()
	var se *json.SyntaxError
	if errors.As(stdErr, &se) || (stdErr != nil && !json.Valid(body)) {
		if valid {
			t.Fatalf("%s: accepted what encoding/json refuses (%v): %q", what, stdErr, body)
		}
		return
	}
	if !valid {
		t.Fatalf("%s: refused as JSON what encoding/json reads (%v): %q", what, stdErr, body)
	}
	var te *json.UnmarshalTypeError
	switch {
	case stdErr == nil && len(errs) > 0:
		t.Fatalf("%s: type error %s (%s) where encoding/json has none: %q", what, errs[0].Field, errs[0].Value, body)
	case stdErr == nil:
		if !reflect.DeepEqual(got, std) {
			t.Fatalf("%s: decoded %q\n as %+v\nencoding/json as %+v", what, body, got, std)
		}
	case errors.As(stdErr, &te):
		if len(errs) == 0 {
			t.Fatalf("%s: no type error where encoding/json has %v: %q", what, stdErr, body)
		}
		// encoding/json stops at the first error an UnmarshalJSON method
		// returns, and otherwise reports the first of the others: that
		// error must be among ours, of the same JSON kind.
		// Embedded structs: their names are not JSON names.
		wantField := strings.TrimPrefix(strings.TrimPrefix(te.Field, "LegacyObject."), "NaCSlice.")
		wantField = strings.ReplaceAll(wantField, "Extra.", "") // embedded in Data
		wantField = strings.TrimPrefix(wantField, "Result.")
		for _, e := range errs {
			if e.Field == wantField && firstWord(e.Value) == firstWord(te.Value) {
				return
			}
		}
		t.Fatalf("%s: type errors %s, encoding/json %s (%s): %q", what, fields(errs), wantField, te.Value, body)
	default:
		t.Fatalf("%s: encoding/json error %T %v: %q", what, stdErr, stdErr, body)
	}
}

func fields(errs []*json.UnmarshalTypeError) string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Field+" ("+e.Value+")")
	}
	return strings.Join(out, ", ")
}

func firstWord(s string) string {
	w, _, _ := strings.Cut(s, " ")
	return w
}

func TestDecodeTakesEveryFixture(t *testing.T) {
	for _, name := range receivertest.Fixtures() {
		b, err := receivertest.Fixture(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, errs, valid, amb := wire.FirstPass(b); !valid || len(errs) > 0 || amb != nil {
			t.Errorf("%s: valid %v, type errors %v, ambiguity %v", name, valid, errs, amb)
		}
	}
}

// TestDepthLimit: nesting is refused where encoding/json refuses it.
func TestDepthLimit(t *testing.T) {
	for _, n := range []int{9999, 10000, 10001} {
		body := `{"x":` + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + `}`
		_, _, valid, _ := wire.FirstPass([]byte(body))
		if want := json.Valid([]byte(body)); valid != want {
			t.Errorf("depth %d: valid %v, encoding/json %v", n, valid, want)
		}
	}
}

// maxWork bounds the bytes the decoder touches per byte of body: one pass
// reads each byte once, and a value it keeps (copied, unquoted or handed
// to an UnmarshalJSON method) once more.
const maxWork = 2

// anyKnown models the QoD type only, so that data is used for it and set
// aside for the others.
func anyKnown(typ string, cloudEvent bool) bool {
	return typ == "org.camaraproject.quality-on-demand.v1.qos-status-changed" || typ == "QOS_STATUS_CHANGED"
}

// TestDecodeWorkIsLinear: the bodies of the reliability review's finding 3
// (about 96,000 small members and up to 8 members of the wrong type, which
// cost a re-encoding of the whole object each) and worse ones cost the
// decoder at most maxWork bytes touched per byte of body.
func TestDecodeWorkIsLinear(t *testing.T) {
	const unknown = `"id":"1","source":"/s","specversion":"1.0","type":"org.camaraproject.other-api.v0.thing"`
	pad := func(head, member string) []byte {
		var sb strings.Builder
		sb.WriteString("{" + head)
		for i := 0; sb.Len() < 1<<20; i++ {
			sb.WriteString("," + strings.ReplaceAll(member, "N", strconv.Itoa(i)))
		}
		sb.WriteString("}")
		return []byte(sb.String())
	}
	for name, body := range map[string][]byte{
		"one wrong-typed data member":     pad(unknown+`,"data":{"subscriptionId":"a","device":7}`, `"mN":1`),
		"eight wrong-typed members":       pad(unknown+`,"data":{"device":7},"sessionId":{},"eventType":{},"eventTime":{},"eventId":{},"eventDetail":{},"event":{},"eventid":[]`, `"mN":1`),
		"a wrong-typed member each time":  pad(unknown, `"sessionid":N`),
		"long strings in decoded members": pad(unknown, `"subject":"`+strings.Repeat("x", 1000)+`"`),
		"escaped decoded members":         pad(unknown, `"Subject":"\u00e9\n"`),
		"result members":                  pad(unknown, `"operationId":"N","status":N,"timedConnectivityData":[N]`),
		"nested data objects":             pad(unknown, `"data":{"deviceDetails":{"bookingDetails":{"bookingId":"N"}},"additionalKpis":{"jitter":N}}`),
	} {
		w := wire.Work(body, anyKnown)
		if w > maxWork*len(body) {
			t.Errorf("%s: work %d for %d bytes (%.2f per byte), want at most %d per byte", name, w, len(body), float64(w)/float64(len(body)), maxWork)
		}
		t.Logf("%s: %.2f bytes touched per byte", name, float64(w)/float64(len(body)))
	}
}
