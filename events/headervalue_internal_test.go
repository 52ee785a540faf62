package events

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeHeader holds decodeHeader to its contract for any bytes: what
// it accepts is UTF-8, and a value with neither quotes nor '%' is only
// trimmed.
func FuzzDecodeHeader(f *testing.F) {
	for _, seed := range []string{"probe", `"probe 2"`, `"a \"b\""`, "x%C0%A0", "%E2%82%AC", "100%", `"open`, "a%2541", "\xff"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		s, ok := decodeHeader(v)
		if ok && !utf8.ValidString(s) {
			t.Fatalf("decodeHeader(%q) = %q, not UTF-8", v, s)
		}
		if ok && len(s) > len(v) {
			t.Fatalf("decodeHeader(%q) = %q, longer than its input", v, s)
		}
		if !strings.ContainsAny(v, `"%`) && utf8.ValidString(v) && (!ok || s != strings.TrimSpace(v)) {
			t.Fatalf("decodeHeader(%q) = %q, %v; want it trimmed only", v, s, ok)
		}
	})
}

func TestIsCEHeader(t *testing.T) {
	for key, want := range map[string]bool{
		"Ce-Id": true, "ce-id": true, "CE-ID": true, "cE-x": true,
		"Ce-": false, "Ce": false, "": false, "Cx-Id": false, "Ce_Id": false,
		"Content-Type": false, "\x03\x05-Id": false, "Ce--": true,
	} {
		if got := isCEHeader(key); got != want {
			t.Errorf("isCEHeader(%q) = %v, want %v", key, got, want)
		}
	}
}

func TestIsJSONMediaType(t *testing.T) {
	for mt, want := range map[string]bool{
		"application/json": true, "APPLICATION/JSON": true, "Application/Json": true, "text/json": true, "TEXT/JSON": true,
		"application/cloudevents+json": true, "application/vnd.x+JSON": true, "application/merge-patch+json": true,
		"+json": false, "application/jsonx": false, "application/xml": false, "text/plain": false, "": false,
		"application/json5": false, "applicatio/json": false,
	} {
		if got := isJSONMediaType(mt); got != want {
			t.Errorf("isJSONMediaType(%q) = %v, want %v", mt, got, want)
		}
	}
}
