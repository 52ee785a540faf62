package auth

import (
	"fmt"
	"log/slog"
)

// redacted is what a [Token] prints instead of its value.
const redacted = "[REDACTED]"

// Token is a bearer token: a secret shared with the sender of notifications.
//
// A Token redacts itself wherever Go code would commonly print or encode it:
// every fmt verb (%v, %+v, %#v, %s, %q, %x, ...), log/slog (as a value or a
// struct field reached through [slog.LogValuer]), encoding/json and
// encoding.TextMarshaler users all see "[REDACTED]" (or "[EMPTY]" for the
// zero value, so a missing configuration value can still be diagnosed). The
// only way to read the secret is an explicit string(t) conversion.
//
// One exception: encoding/json writes map keys of any string type verbatim,
// without calling MarshalText, so never use a Token as a map key in data
// that is encoded. Keep secrets in maps keyed by name instead.
//
// Decoding is not affected: encoding/json still decodes a JSON string into a
// Token, so tokens can be loaded from configuration files. Round trips are
// therefore lossy by design.
//
// The zero value is the empty token, which [NewTokenSet] rejects. A Token is
// an immutable string and safe for concurrent use.
type Token string

// display is the text a Token shows instead of its value.
func (t Token) display() string {
	if t == "" {
		return "[EMPTY]"
	}
	return redacted
}

// String returns "[REDACTED]" ("[EMPTY]" for the zero Token), never the
// token. It exists so that code calling String explicitly is also safe.
func (t Token) String() string { return t.display() }

// Format implements [fmt.Formatter] so that every verb and flag, including
// %#v, %q and %x, prints the redacted form and never the token.
func (t Token) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		_, _ = fmt.Fprintf(f, "%q", t.display())
	default:
		_, _ = f.Write([]byte(t.display()))
	}
}

// LogValue implements [slog.LogValuer]: slog handlers record "[REDACTED]".
func (t Token) LogValue() slog.Value { return slog.StringValue(t.display()) }

// MarshalText implements [encoding.TextMarshaler] with the redacted form, so
// encoding/json and text encoders write the redacted form too.
func (t Token) MarshalText() ([]byte, error) { return []byte(t.display()), nil }
