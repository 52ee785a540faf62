package events

import (
	"net/http"
	"strings"
	"unicode/utf8"
)

// binaryHeaders are the ce-* headers parseBinary reads, decoded.
type binaryHeaders struct {
	id, source, typ, spec, time, subject, dataSchema, subscriptionID string
}

// readBinaryHeaders reads the core attributes and the subscription id
// from h in one pass, and refuses what no two parsers would read alike:
//
//   - an identity header (ce-id, ce-source, ce-type, ce-specversion,
//     ce-subscriptionid) sent more than once, since a proxy or SDK that
//     reads the last copy would see another event than the one authorized
//     from the first (as Parse refuses duplicate identity members in
//     structured mode);
//   - any ce-* value that is malformed quoting or not UTF-8 once decoded
//     (HTTP binding 1.0.2, section 3.1.3.2: such values MUST be rejected).
//
// Keys are matched as net/http canonicalizes them. Of several faults, the
// one reported does not depend on the map's order: a repeated identity
// header before an invalid value, and of each the smallest key.
func readBinaryHeaders(h http.Header) (binaryHeaders, error) {
	var (
		b                   binaryHeaders
		repeatedKey, badKey string
	)
	first := func(key, old string) string { // the smaller of two keys, "" being none
		if old == "" || key < old {
			return key
		}
		return old
	}
	for key, vals := range h {
		if !isCEHeader(key) || len(vals) == 0 {
			continue
		}
		var dst *string
		identity := true
		switch key {
		case "Ce-Id":
			dst = &b.id
		case "Ce-Source":
			dst = &b.source
		case "Ce-Type":
			dst = &b.typ
		case "Ce-Specversion":
			dst = &b.spec
		case "Ce-Subscriptionid":
			dst = &b.subscriptionID
		case "Ce-Time":
			dst, identity = &b.time, false
		case "Ce-Subject":
			dst, identity = &b.subject, false
		case "Ce-Dataschema":
			dst, identity = &b.dataSchema, false
		default:
			identity = false
		}
		if identity && len(vals) > 1 {
			repeatedKey = first(key, repeatedKey)
		}
		for i, v := range vals {
			d, ok := decodeHeader(v)
			switch {
			case !ok:
				badKey = first(key, badKey)
			case i == 0 && dst != nil:
				*dst = d
			}
		}
	}
	if repeatedKey != "" {
		return binaryHeaders{}, newError(ErrNotEvent, strings.ToLower(repeatedKey), "sent more than once: parsers would disagree on its value")
	}
	if badKey != "" {
		return binaryHeaders{}, newError(ErrWrongType, strings.ToLower(badKey), "not valid UTF-8 once unquoted and percent-decoded")
	}
	return b, nil
}

// isCEHeader reports whether key names a ce-* header, in any letter case:
// a byte test, as strings.EqualFold costs a hundred instructions a header
// on every binary request.
func isCEHeader(key string) bool {
	return len(key) > 3 && key[0]|0x20 == 'c' && key[1]|0x20 == 'e' && key[2] == '-'
}

// headerValue returns the first value of a canonical header key, decoded
// as the CloudEvents HTTP binding requires (see decodeHeader). Call it
// after readBinaryHeaders, which refuses the values it cannot decode.
func headerValue(h http.Header, key string) string {
	v := h[key]
	if len(v) == 0 {
		return ""
	}
	s, _ := decodeHeader(v[0])
	return s
}

// decodeHeader decodes a ce-* header value as the HTTP binding 1.0.2
// (section 3.1.3.2) says: surrounding white space dropped, double-quoted
// strings unquoted with their backslash escapes (RFC 7230 section 3.2.6;
// older senders quoted values holding spaces), then one round of
// percent-decoding. A '%' not followed by two hex digits is kept as sent:
// nothing else can be meant by it. ok is false for an unterminated quoted
// string and for a result that is not valid UTF-8 (e.g. "%C0%A0", an
// overlong space). Values without quotes or '%' are returned without
// copying.
func decodeHeader(v string) (s string, ok bool) {
	if plainHeader(v) {
		return v, true
	}
	v = strings.TrimSpace(v)
	if strings.IndexByte(v, '"') >= 0 {
		if v, ok = unquoteHeader(v); !ok {
			return "", false
		}
	}
	if strings.IndexByte(v, '%') >= 0 {
		v = percentDecode(v)
	}
	return v, utf8.ValidString(v)
}

// plainHeader reports whether v is printable ASCII without quotes or '%':
// the usual value, which decodes to itself, told in one pass.
func plainHeader(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '%' {
			return false
		}
	}
	return v != ""
}

// unquoteHeader removes the quoted-string syntax from v: text outside
// quotes is kept, text inside loses its quotes and backslashes.
func unquoteHeader(v string) (string, bool) {
	var b strings.Builder
	b.Grow(len(v))
	quoted := false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"':
			quoted = !quoted
		case c == '\\' && quoted:
			if i++; i == len(v) {
				return "", false
			}
			b.WriteByte(v[i])
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), !quoted
}

// percentDecode replaces every %XY (hex, either case) with its byte.
func percentDecode(v string) string {
	b := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		if v[i] == '%' && i+2 < len(v) && isHex(v[i+1]) && isHex(v[i+2]) {
			b = append(b, unhex(v[i+1])<<4|unhex(v[i+2]))
			i += 2
			continue
		}
		b = append(b, v[i])
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
