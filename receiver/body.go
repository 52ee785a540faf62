package receiver

import (
	"errors"
	"io"
	"net/http"
)

// upfront bounds what is allocated for a body before its bytes arrive: a
// Content-Length is only a claim, and a sender that announces megabytes and
// sends nothing must not pin megabytes.
const upfront = 64 << 10

var errTruncated = errors.New("receiver: the body could not be read in full")

// readBody reads the whole body under the cap. It returns the outcome to
// answer with when it fails.
func (rc *Receiver) readBody(r *http.Request) ([]byte, Outcome, error) {
	limit := rc.cfg.MaxBodyBytes
	if r.ContentLength > limit {
		return nil, OutcomeTooLarge, &http.MaxBytesError{Limit: limit}
	}
	size := int64(512)
	if r.ContentLength >= 0 {
		// One spare byte probes for more than Content-Length: middleware
		// that replaced r.Body (decompression, say) and left ContentLength
		// as it was must not get its body cut short, a 400 and a lost event.
		size = min(r.ContentLength, upfront) + 1
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Body.Read(buf[len(buf):min(int64(cap(buf)), limit+1)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, OutcomeTooLarge, &http.MaxBytesError{Limit: limit}
		}
		if err == io.EOF {
			return buf, "", nil
		}
		if err != nil {
			return nil, OutcomeMalformed, errTruncated
		}
	}
}
