package main

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
)

// TestMain lets the test binary act as the server the driver re-executes.
func TestMain(m *testing.M) {
	if os.Getenv(roleEnv) == "serve" {
		args := os.Args[1:]
		if len(args) > 0 && args[0] == "serve" {
			args = args[1:]
		}
		if err := serveMain(args); err != nil {
			fmt.Fprintln(os.Stderr, "serve:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	killChildren()
	os.Exit(code)
}

func ms(xs ...int) []time.Duration {
	d := make([]time.Duration, len(xs))
	for i, x := range xs {
		d[i] = time.Duration(x) * time.Millisecond
	}
	return d
}

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	for _, tc := range []struct {
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{nil, 50, 0},
		{ms(7), 50, 7 * time.Millisecond},
		{ms(7), 99, 7 * time.Millisecond},
		{ms(1, 2), 50, 1 * time.Millisecond},
		{ms(1, 2, 3), 50, 2 * time.Millisecond},
		{ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{ms(1, 2, 3, 4), 75, 3 * time.Millisecond},
		{ms(1, 2, 3, 4), 76, 4 * time.Millisecond},
		{hundred, 50, 50 * time.Millisecond},
		{hundred, 99, 99 * time.Millisecond},
		{hundred, 99.5, 100 * time.Millisecond},
		{hundred, 100, 100 * time.Millisecond},
		{hundred, 0, 1 * time.Millisecond},
		{hundred, 0.5, 1 * time.Millisecond},
		{hundred, 1, 1 * time.Millisecond},
		{hundred, 1.5, 2 * time.Millisecond},
		{hundred, -3, 1 * time.Millisecond},
		{hundred, 130, 100 * time.Millisecond},
	} {
		if got := percentile(tc.in, tc.p); got != tc.want {
			t.Errorf("percentile(%d samples, %v) = %v, want %v", len(tc.in), tc.p, got, tc.want)
		}
	}
}

func TestMedianAndMinMax(t *testing.T) {
	if !math.IsNaN(median(nil)) {
		t.Error("median(nil) is not NaN")
	}
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{3, 1}, 2},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{9, 1, 1, 1, 100}, 1},
		{[]float64{0.9, 1.1, 0.95, 1.0, 0.97}, 0.97},
	} {
		in := slices.Clone(tc.in)
		if got := median(in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		if !slices.Equal(in, tc.in) {
			t.Errorf("median reordered its input: %v", in)
		}
	}
	if lo, hi := minMax([]float64{3, -1, 7, 2}); lo != -1 || hi != 7 {
		t.Errorf("minMax = %v, %v, want -1, 7", lo, hi)
	}
	if lo, hi := minMax(nil); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("minMax(nil) = %v, %v, want NaN, NaN", lo, hi)
	}
}

func TestParseStatCPU(t *testing.T) {
	// utime 250 and stime 50 ticks; the command name holds ") (" and spaces.
	stat := "4242 (a) (b c) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 100 1000 10 18446744073709551615"
	got, err := parseStatCPU(stat)
	if err != nil || got != 3*time.Second {
		t.Fatalf("parseStatCPU = %v, %v, want 3s", got, err)
	}
	if _, err := parseStatCPU("4242 (x) S 1"); err == nil {
		t.Error("short stat accepted")
	}
	if d, err := procCPU(os.Getpid()); err != nil || d < 0 {
		t.Errorf("procCPU(self) = %v, %v", d, err)
	}
	if kb, err := procStatusKB(os.Getpid(), "VmHWM"); err != nil || kb <= 0 {
		t.Errorf("VmHWM(self) = %v, %v", kb, err)
	}
}

func TestRotate(t *testing.T) {
	xs := []string{"a", "b", "c"}
	for n, want := range [][]string{{"a", "b", "c"}, {"b", "c", "a"}, {"c", "a", "b"}, {"a", "b", "c"}} {
		if got := rotate(xs, n); !slices.Equal(got, want) {
			t.Errorf("rotate(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestIDsAreDistinctAndFixedWidth(t *testing.T) {
	g := &idGen{nonce: 0xdeadbeef}
	seen := map[string]bool{}
	buf := make([]byte, idWidth)
	for range 10000 {
		g.put(buf)
		id := string(buf)
		if seen[id] || !strings.HasPrefix(id, "deadbeef-") || len(id) != idWidth {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}

func TestTemplates(t *testing.T) {
	for _, tc := range []struct {
		mode    string
		pad     int
		chunked bool
	}{{modeStructured, 0, false}, {modeBinary, 0, false}, {modeStructured, maxBody, false}, {modeStructured, 2 * maxBody, true}} {
		tmpl, err := newTemplate(tc.mode, tc.pad, tc.chunked, false)
		if err != nil {
			t.Fatal(err)
		}
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(tmpl.buf)))
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		body := new(bytes.Buffer)
		if _, err := body.ReadFrom(req.Body); err != nil {
			t.Fatal(err)
		}
		if tc.pad > 0 && body.Len() != tc.pad {
			t.Errorf("%+v: body of %d bytes, want %d", tc, body.Len(), tc.pad)
		}
		if req.Header.Get("Authorization") != "Bearer "+benchToken {
			t.Errorf("%+v: no token", tc)
		}
	}
	// Each server answers a template request with 2xx.
	for _, kind := range allKinds {
		h, err := newHandler(kind, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, mode := range []string{modeStructured, modeBinary} {
			tmpl, _ := newTemplate(mode, 0, false, false)
			(&idGen{nonce: 1}).put(tmpl.buf[tmpl.idAt : tmpl.idAt+idWidth])
			req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(tmpl.buf)))
			if err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code < 200 || rec.Code > 299 {
				t.Errorf("%s %s: status %d: %s", kind, mode, rec.Code, rec.Body)
			}
		}
	}
}

// TestTracedTemplates: -traceparent gives every event the CloudEvents
// traceparent, in both modes, and never the HTTP header.
func TestTracedTemplates(t *testing.T) {
	for _, mode := range []string{modeStructured, modeBinary} {
		tmpl, err := newTemplate(mode, 0, false, true)
		if err != nil {
			t.Fatal(err)
		}
		(&idGen{nonce: 1}).put(tmpl.buf[tmpl.idAt : tmpl.idAt+idWidth])
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(tmpl.buf)))
		if err != nil {
			t.Fatal(err)
		}
		body := new(bytes.Buffer)
		if _, err := body.ReadFrom(req.Body); err != nil {
			t.Fatal(err)
		}
		evs, err := events.Parse(req.Header.Get("Content-Type"), req.Header, body.Bytes())
		if err != nil || len(evs) != 1 {
			t.Fatalf("%s: %d events, %v", mode, len(evs), err)
		}
		if got := evs[0].Meta().Attribute("traceparent"); got != evTraceparent {
			t.Errorf("%s: traceparent %q, want %q", mode, got, evTraceparent)
		}
		if req.Header.Get("Traceparent") != "" {
			t.Errorf("%s: the HTTP traceparent header is set", mode)
		}
	}
}

func TestReadResponse(t *testing.T) {
	raw := "HTTP/1.1 204 No Content\r\nDate: x\r\n\r\n" +
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" +
		"HTTP/1.1 500 Internal Server Error\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n" +
		"HTTP/1.1 413 Request Entity Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
	br := bufio.NewReader(strings.NewReader(raw))
	for _, want := range []response{{204, false}, {200, false}, {500, false}, {413, true}} {
		got, err := readResponse(br)
		if err != nil || got != want {
			t.Fatalf("readResponse = %+v, %v, want %+v", got, err, want)
		}
	}
	if _, err := readResponse(bufio.NewReader(strings.NewReader("garbage\r\n"))); err == nil {
		t.Error("garbage accepted")
	}
}

// TestClientCountsNon2xx: the client reports every non-2xx answer, which
// fails the run.
func TestClientCountsNon2xx(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%3 == 0 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	tmpl, _ := newTemplate(modeStructured, 0, false, false)
	lc, err := dialClient(strings.TrimPrefix(srv.URL, "http://"), 1, tmpl, &idGen{})
	if err != nil {
		t.Fatal(err)
	}
	defer lc.close()
	marked := false
	r, err := lc.run(0, 10*time.Second, 30, func() { marked = true })
	if err != nil {
		t.Fatal(err)
	}
	if !marked || r.requests != 30 || r.answered != 30 || r.non2xx != 10 || r.firstBad != 500 || len(r.latencies) != 30 {
		t.Errorf("marked %v, requests %d, answered %d, non-2xx %d, first %d, %d latencies; want true, 30, 30, 10, 500, 30",
			marked, r.requests, r.answered, r.non2xx, r.firstBad, len(r.latencies))
	}
}

// TestQuickEndToEnd runs "loadbench -quick" on loopback: every server, both
// connection counts and both modes get a row, and no answer is non-2xx (a
// non-2xx answer fails the run).
func TestQuickEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts five servers and loads each for about 5s")
	}
	var out bytes.Buffer
	cfg, err := parseFlags([]string{"-quick"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if err := run(cfg); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Log("\n" + out.String())
	for _, conns := range []int{32, 256} {
		for _, mode := range []string{modeStructured, modeBinary} {
			for _, kind := range allKinds {
				row := fmt.Sprintf("| %s | %d | %s | ", kind, conns, mode)
				if !strings.Contains(out.String(), row) {
					t.Errorf("no row %q", row)
				}
			}
		}
	}
	if strings.Contains(out.String(), "NaN") {
		t.Error("NaN in the table")
	}
}

// TestFloodSmall runs the memory flood with a few connections.
func TestFloodSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("floods nine servers")
	}
	var out bytes.Buffer
	cfg, err := parseFlags([]string{"-flood", "-flood-conns", "8", "-flood-requests", "2"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	// Under -race the servers' RSS is several times larger: only the
	// statuses are checked here, not the bounds.
	if _, err := runFlood(cfg); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Log("\n" + out.String())
}
