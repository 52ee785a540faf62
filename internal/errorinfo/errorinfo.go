// Package errorinfo writes CAMARA ErrorInfo response bodies.
//
// CAMARA Commonalities defines every error response as a JSON object
// {"status": 400, "code": "INVALID_ARGUMENT", "message": "..."}. Both the auth
// middleware and the receiver answer with it, so the one writer lives here.
// Messages are chosen by this module's code, never copied from a token or a
// request body.
package errorinfo

import (
	"net/http"
	"strconv"
)

// CAMARA error codes used by this module.
const (
	CodeInvalidArgument  = "INVALID_ARGUMENT"
	CodeUnauthenticated  = "UNAUTHENTICATED"
	CodePermissionDenied = "PERMISSION_DENIED"
	CodeNotFound         = "NOT_FOUND"
	CodeGone             = "GONE"
	CodeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	CodeTooLarge         = "PAYLOAD_TOO_LARGE"
	CodeUnsupportedMedia = "UNSUPPORTED_MEDIA_TYPE"
	CodeQuotaExceeded    = "QUOTA_EXCEEDED"
	CodeTooManyRequests  = "TOO_MANY_REQUESTS"
	CodeInternal         = "INTERNAL"
	CodeUnavailable      = "UNAVAILABLE"
)

// CodeFor returns the CAMARA code of an error status.
func CodeFor(status int) string {
	switch status {
	case http.StatusBadRequest:
		return CodeInvalidArgument
	case http.StatusUnauthorized:
		return CodeUnauthenticated
	case http.StatusForbidden:
		return CodePermissionDenied
	case http.StatusNotFound:
		return CodeNotFound
	case http.StatusMethodNotAllowed:
		return CodeMethodNotAllowed
	case http.StatusGone:
		return CodeGone
	case http.StatusRequestEntityTooLarge:
		return CodeTooLarge
	case http.StatusUnsupportedMediaType:
		return CodeUnsupportedMedia
	case http.StatusTooManyRequests:
		return CodeTooManyRequests
	case http.StatusServiceUnavailable:
		return CodeUnavailable
	}
	if status >= 500 {
		return CodeInternal
	}
	return CodeInvalidArgument
}

// Write sends status with an ErrorInfo body. Headers already set on w (for
// example WWW-Authenticate or Retry-After) are kept.
func Write(w http.ResponseWriter, status int, code, message string) {
	body := Append(make([]byte, 0, 64+len(message)), status, code, message)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// Append appends the ErrorInfo JSON object to dst and returns the result.
func Append(dst []byte, status int, code, message string) []byte {
	dst = append(dst, `{"status":`...)
	dst = strconv.AppendInt(dst, int64(status), 10)
	dst = append(dst, `,"code":`...)
	dst = strconv.AppendQuote(dst, code)
	dst = append(dst, `,"message":`...)
	dst = appendJSONString(dst, message)
	return append(dst, '}')
}

// appendJSONString quotes s as a JSON string. strconv.Quote is not used for
// the message because its \x escapes are not valid JSON.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20 || c == '<' || c == '>' || c == '&':
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
