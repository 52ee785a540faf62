package receiver

import (
	"net/http"
	"strconv"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/internal/errorinfo"
)

// result is the answer the receiver decided for one request or event. Its
// ErrorInfo holds the status, and for an error answer the CAMARA code and
// message (Code is "" on success).
type result struct {
	auth.ErrorInfo

	retryAfter time.Duration
	challenge  string
	allow      string
	correlator string

	allowedOrigin, allowedRate string // a webhook handshake's grant
}

// header sets the response headers of res on h: x-correlator, Retry-After,
// WWW-Authenticate and Allow, as applicable.
func (res result) header(h http.Header) {
	if res.correlator != "" {
		h.Set(correlatorHeader, res.correlator)
	}
	if res.retryAfter > 0 {
		h.Set("Retry-After", strconv.FormatInt(int64((res.retryAfter+time.Second-1)/time.Second), 10))
	}
	if res.challenge != "" {
		h.Set("WWW-Authenticate", res.challenge)
	}
	if res.allow != "" {
		h.Set("Allow", res.allow)
	}
	if res.allowedOrigin != "" {
		h.Set("WebHook-Allowed-Origin", res.allowedOrigin)
		h.Set("WebHook-Allowed-Rate", res.allowedRate)
	}
}

// write writes res to w: the headers, the status, and for errors the
// ErrorInfo JSON body.
func (res result) write(w http.ResponseWriter) {
	if res.Code == "" {
		// Calling w.Header() makes net/http clone the header map when the
		// status is written: skip it when there is nothing to set, the
		// common success without x-correlator.
		if res.correlator != "" || res.retryAfter > 0 || res.allow != "" {
			res.header(w.Header())
		}
		w.WriteHeader(res.Status)
		return
	}
	res.header(w.Header())
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
