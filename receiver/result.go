package receiver

import (
	"net/http"
	"strconv"
	"time"

	"github.com/camarahooks/camarahooks/internal/errorinfo"
)

// Result is the answer the receiver decided for one request. [Receiver.Receive]
// returns it without writing, so framework adapters (receiver/echoreceiver)
// can render it their own way; [Result.Write] renders it for net/http.
type Result struct {
	// Status is the HTTP status: see the status contract in the package
	// documentation.
	Status int
	// Code and Message form the CAMARA ErrorInfo body of an error answer;
	// both are "" on success. Message never holds a token or body bytes.
	Code, Message string
	// RetryAfter, when positive, is sent as Retry-After in whole seconds.
	RetryAfter time.Duration
	// Challenge is the WWW-Authenticate value of a 401 or 403, else "".
	Challenge string
	// Allow is the Allow header value of a 405, else "".
	Allow string
	// Correlator is the request's valid x-correlator, echoed; else "".
	Correlator string
}

// OK reports whether the status is 2xx.
func (res Result) OK() bool { return res.Status >= 200 && res.Status < 300 }

// Header sets the response headers of res on h: x-correlator,
// Retry-After, WWW-Authenticate and Allow, as applicable.
func (res Result) Header(h http.Header) {
	if res.Correlator != "" {
		h.Set(CorrelatorHeader, res.Correlator)
	}
	if res.RetryAfter > 0 {
		h.Set("Retry-After", strconv.FormatInt(int64((res.RetryAfter+time.Second-1)/time.Second), 10))
	}
	if res.Challenge != "" {
		h.Set("WWW-Authenticate", res.Challenge)
	}
	if res.Allow != "" {
		h.Set("Allow", res.Allow)
	}
}

// Write writes res to w: the headers, the status, and for errors the
// ErrorInfo JSON body.
func (res Result) Write(w http.ResponseWriter) {
	if res.Code == "" {
		// Calling w.Header() makes net/http clone the header map when the
		// status is written: skip it when there is nothing to set, the
		// common success without x-correlator.
		if res.Correlator != "" || res.RetryAfter > 0 || res.Challenge != "" || res.Allow != "" {
			res.Header(w.Header())
		}
		w.WriteHeader(res.Status)
		return
	}
	res.Header(w.Header())
	errorinfo.Write(w, res.Status, res.Code, res.Message)
}

// severity ranks statuses for a batch: the answer is the most retry-worthy
// outcome, so that a sender retries whenever a retry can help.
func severity(status int) int {
	switch {
	case status >= 500:
		return 5
	case status == http.StatusTooManyRequests:
		return 4
	case status == http.StatusGone:
		return 3
	case status >= 400:
		return 2
	}
	return 1
}

func codeFor(status int) string {
	switch status {
	case http.StatusBadRequest:
		return errorinfo.CodeInvalidArgument
	case http.StatusUnauthorized:
		return errorinfo.CodeUnauthenticated
	case http.StatusForbidden:
		return errorinfo.CodePermissionDenied
	case http.StatusNotFound:
		return errorinfo.CodeNotFound
	case http.StatusMethodNotAllowed:
		return errorinfo.CodeMethodNotAllowed
	case http.StatusGone:
		return errorinfo.CodeGone
	case http.StatusRequestEntityTooLarge:
		return errorinfo.CodeTooLarge
	case http.StatusUnsupportedMediaType:
		return errorinfo.CodeUnsupportedMedia
	case http.StatusTooManyRequests:
		return errorinfo.CodeTooManyRequests
	case http.StatusServiceUnavailable:
		return errorinfo.CodeUnavailable
	}
	if status >= 500 {
		return errorinfo.CodeInternal
	}
	return errorinfo.CodeInvalidArgument
}

func failure(status int, message string) Result {
	return Result{Status: status, Code: codeFor(status), Message: message}
}
