package receiver

import (
	"context"
	"net/http"
)

// correlatorHeader is the CAMARA correlation header, echoed on every
// response when valid.
const correlatorHeader = "x-correlator"

// canonicalCorrelator is correlatorHeader as http.Header keys it, computed
// once: canonicalising on each request would allocate.
var canonicalCorrelator = http.CanonicalHeaderKey(correlatorHeader)

// contextKey is the type of this package's context keys, as in package
// auth: pointer values of an unexported type cannot collide.
type contextKey struct{ name string }

var correlatorKey = &contextKey{"receiver.correlator"}

// CorrelatorFromContext returns the request's x-correlator, as passed to
// callbacks, and whether the request had a valid one.
func CorrelatorFromContext(ctx context.Context) (string, bool) {
	v, ok := ctx.Value(correlatorKey).(string)
	return v, ok
}

// validCorrelator reports whether v matches the CAMARA pattern
// ^[a-zA-Z0-9-_:;./<>{}]{0,256}$. An invalid value is neither echoed nor
// passed on: echoing it would let a sender inject arbitrary header bytes.
func validCorrelator(v string) bool {
	if len(v) > 256 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-' || c == '_' || c == ':' || c == ';' || c == '.' || c == '/' || c == '<' || c == '>' || c == '{' || c == '}':
		default:
			return false
		}
	}
	return true
}
