package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Modes of delivery.
const (
	modeStructured = "structured"
	modeBinary     = "binary"
)

// idWidth is the width of every event id, so that a request's length never
// changes: 8 hex digits of a per-run nonce, "-", 16 of a counter.
const idWidth = 25

// idPlaceholder marks where the id goes in a request template.
var idPlaceholder = bytes.Repeat([]byte{'#'}, idWidth)

// idGen hands out distinct event ids: every request of a run carries its own.
type idGen struct {
	nonce uint32
	next  atomic.Uint64
}

func (g *idGen) put(dst []byte) {
	n := g.next.Add(1)
	const hex = "0123456789abcdef"
	for i := 7; i >= 0; i-- {
		dst[i] = hex[(g.nonce>>(4*(7-i)))&0xf]
	}
	dst[8] = '-'
	for i := 24; i >= 9; i-- {
		dst[i] = hex[n&0xf]
		n >>= 4
	}
}

const (
	evSource = "https://api.example.com/quality-on-demand/v1/sessions/3fa85f64-5717-4562-b3fc-2c963f66afa6"
	evType   = "org.camaraproject.quality-on-demand.v1.qos-status-changed"
	evTime   = "2024-06-01T12:40:28+02:00"
	evData   = `{"sessionId":"3fa85f64-5717-4562-b3fc-2c963f66afa6","qosStatus":"UNAVAILABLE","statusInfo":"NETWORK_TERMINATED"}`
	// evTraceparent is the creation context of traced requests (-traceparent).
	evTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
)

// template is one request's bytes with the id's offset.
type template struct {
	buf  []byte
	idAt int
}

// newTemplate builds a POST of a QoD qos-status-changed event in mode, its
// id a placeholder. pad, if positive, adds an ignored data member so that
// the body is exactly pad bytes long (structured mode only). chunked sends
// the body with Transfer-Encoding: chunked, in one chunk, instead of a
// Content-Length. traced adds the CloudEvents distributed-tracing
// extension, a traceparent (member, or Ce-Traceparent header), as a traced
// sender sends it; never the HTTP traceparent header, whose sampled flag
// would decide the receiver's sampling.
func newTemplate(mode string, pad int, chunked, traced bool) (template, error) {
	var body []byte
	var hdr bytes.Buffer
	fmt.Fprintf(&hdr, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n", benchPath, benchToken)
	switch mode {
	case modeStructured:
		hdr.WriteString("Content-Type: " + structuredMedia + "\r\n")
		ext := ""
		if traced {
			ext = `"traceparent":"` + evTraceparent + `",`
		}
		body = fmt.Appendf(nil, `{"id":"%s","source":"%s","specversion":"1.0","type":"%s","datacontenttype":"application/json","time":"%s",%s"data":%s}`,
			idPlaceholder, evSource, evType, evTime, ext, evData)
		if pad > 0 {
			// {... "data":{..., "padding":"xxx"}}
			fill := pad - len(body) - len(`,"padding":""`)
			if fill < 0 {
				return template{}, fmt.Errorf("pad %d is below the event's size", pad)
			}
			body = body[:len(body)-2]
			body = append(body, `,"padding":"`...)
			body = append(body, bytes.Repeat([]byte{'x'}, fill)...)
			body = append(body, `"}}`...)
		}
	case modeBinary:
		fmt.Fprintf(&hdr, "Content-Type: application/json\r\nCe-Id: %s\r\nCe-Source: %s\r\nCe-Specversion: 1.0\r\nCe-Type: %s\r\nCe-Time: %s\r\n",
			idPlaceholder, evSource, evType, evTime)
		if traced {
			hdr.WriteString("Ce-Traceparent: " + evTraceparent + "\r\n")
		}
		body = []byte(evData)
	default:
		return template{}, fmt.Errorf("unknown mode %q", mode)
	}
	if chunked {
		hdr.WriteString("Transfer-Encoding: chunked\r\n\r\n")
		fmt.Fprintf(&hdr, "%x\r\n", len(body))
		body = append(body, "\r\n0\r\n\r\n"...)
	} else {
		fmt.Fprintf(&hdr, "Content-Length: %d\r\n\r\n", len(body))
	}
	buf := append(hdr.Bytes(), body...)
	at := bytes.Index(buf, idPlaceholder)
	if at < 0 || bytes.Contains(buf[at+idWidth:], idPlaceholder) {
		return template{}, errors.New("template: id placeholder not found exactly once")
	}
	return template{buf: buf, idAt: at}, nil
}

// response is what the client reads of an answer.
type response struct {
	status int
	close  bool
}

// readResponse reads one HTTP/1.1 response and discards its body.
func readResponse(br *bufio.Reader) (response, error) {
	var res response
	line, err := br.ReadSlice('\n')
	if err != nil {
		return res, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return res, fmt.Errorf("bad status line %q", line)
	}
	res.status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return res, fmt.Errorf("bad status line %q", line)
	}
	length, chunked := int64(-1), false
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return res, err
		}
		if len(line) <= 2 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return res, fmt.Errorf("bad header line %q", line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			length, err = strconv.ParseInt(string(value), 10, 64)
			if err != nil {
				return res, err
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			res.close = bytes.EqualFold(value, []byte("close"))
		}
	}
	switch {
	case res.status == 204 || res.status == 304 || res.status < 200:
	case chunked:
		for {
			line, err = br.ReadSlice('\n')
			if err != nil {
				return res, err
			}
			hexLen, _, _ := bytes.Cut(bytes.TrimSpace(line), []byte(";"))
			n, err := strconv.ParseInt(string(hexLen), 16, 64)
			if err != nil {
				return res, fmt.Errorf("bad chunk size %q", line)
			}
			if _, err := br.Discard(int(n) + 2); err != nil {
				return res, err
			}
			if n == 0 {
				break
			}
		}
	case length >= 0:
		if _, err := br.Discard(int(length)); err != nil {
			return res, err
		}
	default:
		res.close = true // body until close: nothing of ours answers so
	}
	return res, nil
}

// loadResult is one measured interval of the closed-loop client.
type loadResult struct {
	requests  int64           // answers received within the measured interval
	tail      int64           // answers to requests in flight at its end
	answered  int64           // answers received from the start of the interval on, for CPU and allocations per request
	latencies []time.Duration // of every request sent within the interval, unsorted
	non2xx    int64           // over the warm-up and the interval
	firstBad  int             // the first non-2xx status seen
	stranded  int64           // requests still unanswered strandGrace after the end
}

// strandGrace is how long the client waits, once the interval is over, for
// the answers to the requests in flight. A request unanswered by then is
// "stranded" (sdk-go's NewHTTPReceiveHandler can strand one when traffic
// stops: cloudevents/sdk-go#1224); its connection is given up.
const strandGrace = time.Second

// conn is one keep-alive connection of the closed-loop client.
type conn struct {
	c   net.Conn
	br  *bufio.Reader
	req []byte
	at  int
	lat []time.Duration
}

// loadClient is a closed-loop HTTP/1.1 keep-alive client: each connection
// sends a request, waits for the answer, sends the next.
type loadClient struct {
	addr  string
	ids   *idGen
	conns []*conn
}

func dialClient(addr string, n int, tmpl template, ids *idGen) (*loadClient, error) {
	lc := &loadClient{addr: addr, ids: ids}
	for range n {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			lc.close()
			return nil, err
		}
		lc.conns = append(lc.conns, &conn{c: c, br: bufio.NewReaderSize(c, 4096),
			req: bytes.Clone(tmpl.buf), at: tmpl.idAt})
	}
	return lc, nil
}

func (lc *loadClient) close() {
	for _, c := range lc.conns {
		c.c.Close()
	}
}

// run drives every connection for warmup+dur, or until maxRequests
// requests have been sent, whichever comes first; mark is called (in its own
// goroutine, load going on) when the warm-up ends, and run returns after it
// returned. Answers to requests sent in the warm-up are not measured.
// A connection error ends the run with an error; non-2xx answers and
// stranded requests are counted.
func (lc *loadClient) run(warmup, dur time.Duration, maxRequests int64, mark func()) (loadResult, error) {
	var (
		sent     atomic.Int64
		non2xx   atomic.Int64
		stranded atomic.Int64
		firstBad atomic.Int64
		wg       sync.WaitGroup
		errMu    sync.Mutex
		firstErr error
	)
	fail := func(err error) {
		errMu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		errMu.Unlock()
	}
	start := time.Now()
	markAt := start.Add(warmup)
	end := markAt.Add(dur)
	perConn := int(dur/time.Millisecond) + 64
	counts := make([]struct{ in, tail, answered int64 }, len(lc.conns))
	for i, c := range lc.conns {
		c.lat = make([]time.Duration, 0, min(perConn, int(maxRequests)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.c.SetDeadline(end.Add(strandGrace)) //nolint:errcheck // bounds the run
			for {
				if sent.Add(1) > maxRequests {
					return
				}
				t0 := time.Now()
				if !t0.Before(end) {
					return
				}
				lc.ids.put(c.req[c.at : c.at+idWidth])
				_, err := c.c.Write(c.req)
				var res response
				if err == nil {
					res, err = readResponse(c.br)
				}
				if err != nil {
					var ne net.Error
					if errors.As(err, &ne) && ne.Timeout() && time.Now().After(end) {
						stranded.Add(1)
					} else {
						fail(fmt.Errorf("connection to %s: %w", lc.addr, err))
					}
					return
				}
				t1 := time.Now()
				if !t1.Before(markAt) {
					counts[i].answered++
				}
				if !t0.Before(markAt) {
					c.lat = append(c.lat, t1.Sub(t0))
					if t1.Before(end) {
						counts[i].in++
					} else {
						counts[i].tail++
					}
				}
				if res.status < 200 || res.status > 299 {
					non2xx.Add(1)
					firstBad.CompareAndSwap(0, int64(res.status))
				}
				if res.close {
					fail(fmt.Errorf("server %s closed a keep-alive connection (status %d)", lc.addr, res.status))
					return
				}
			}
		}()
	}
	marked := make(chan struct{})
	go func() {
		defer close(marked)
		time.Sleep(time.Until(markAt))
		mark()
	}()
	wg.Wait()
	<-marked
	r := loadResult{non2xx: non2xx.Load(), firstBad: int(firstBad.Load()), stranded: stranded.Load()}
	for i, c := range lc.conns {
		r.requests += counts[i].in
		r.tail += counts[i].tail
		r.answered += counts[i].answered
		r.latencies = append(r.latencies, c.lat...)
	}
	return r, firstErr
}
