package receiverotel

import "testing"

func TestParseTraceparent(t *testing.T) {
	const tid, sid = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	tests := []struct {
		in      string
		ok      bool
		sampled bool
	}{
		{"00-" + tid + "-" + sid + "-01", true, true},
		{"00-" + tid + "-" + sid + "-00", true, false},
		{"00-" + tid + "-" + sid + "-09", true, true}, // unknown flags ignored
		{"01-" + tid + "-" + sid + "-01-later-field", true, true},
		{"01-" + tid + "-" + sid + "-01", true, true},
		{"00-" + tid + "-" + sid + "-01-", false, false}, // version 00 has exactly four fields
		{"01-" + tid + "-" + sid + "-01x", false, false},
		{"ff-" + tid + "-" + sid + "-01", false, false},
		{"00-" + "4BF92F3577B34DA6A3CE929D0E0E4736" + "-" + sid + "-01", false, false},
		{"00-00000000000000000000000000000000-" + sid + "-01", false, false},
		{"00-" + tid + "-0000000000000000-01", false, false},
		{"00-" + tid + "-" + sid, false, false},
		{"00_" + tid + "-" + sid + "-01", false, false},
		{"", false, false},
	}
	for _, tc := range tests {
		sc, ok := parseTraceparent(tc.in)
		if ok != tc.ok || ok && (sc.IsSampled() != tc.sampled || sc.TraceID().String() != tid || sc.SpanID().String() != sid || !sc.IsRemote()) {
			t.Errorf("parseTraceparent(%q) = %v sampled %v, ok %v; want ok %v sampled %v", tc.in, sc, sc.IsSampled(), ok, tc.ok, tc.sampled)
		}
	}
}
