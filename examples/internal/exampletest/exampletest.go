// Package exampletest runs an example sink program (examples/nethttp,
// examples/echo) end to end for its test: it builds the program, checks
// that it refuses to start without a token or with half a TLS pair,
// starts it on a free port over HTTPS with a certificate generated for the
// test and the token in a file, delivers every payload of
// [receivertest.Fixtures] and checks the status of each, the event lines
// on stdout, GET /healthz, the absence of the token and a clean exit on
// SIGTERM; then starts it over plain HTTP with the tokens in the
// environment.
package exampletest

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// Token is the sink token the program is started with.
const Token = "example-test-token-5f1c"

// Origin is a WebHook-Request-Origin the program is started to grant.
const Origin = "events.example.com"

// Message is the message of every line the program prints on stdout.
const Message = "notification"

// wait bounds each wait for the program; it guards against a hang and is
// not a performance assertion.
const wait = 30 * time.Second

// Run builds the main package in the current directory and checks it
// against every fixture: those named qod-* or nac-qod-* go to /qod, the
// others to /notifications.
func Run(t *testing.T) {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	bin := filepath.Join(t.TempDir(), "sink")
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	t.Run("refuses to start", func(t *testing.T) {
		leaf := NewCA(t).Issue(t, t.TempDir(), "sink")
		for _, tt := range []struct {
			name, tokens string
			args         []string
			want         string
		}{
			{"no token", "", []string{"-addr", "127.0.0.1:0"}, "no sink token"},
			{"half a TLS pair", Token, []string{"-addr", "127.0.0.1:0", "-tls-cert", leaf.CertFile}, "both -tls-cert and -tls-key"},
		} {
			cmd := exec.Command(bin, tt.args...)
			cmd.Env = environ(tt.tokens)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(string(out), tt.want) || strings.Contains(string(out), Token) {
				t.Errorf("%s: got %v and %q, want exit status 2 and %q, never the token", tt.name, err, out, tt.want)
			}
		}
	})

	ca := NewCA(t)
	dir := t.TempDir()
	leaf := ca.Issue(t, dir, "sink")
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(Token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := start(t, bin, environ(""), ca, "-token-file", tokenFile, "-tls-cert", leaf.CertFile, "-tls-key", leaf.KeyFile)
	files := receivertest.Fixtures()
	if len(files) == 0 {
		t.Fatal("receivertest.Fixtures() is empty")
	}
	// The specifications' examples reuse ids: a notification with the
	// (subscription, source, type, id) of an earlier one is a duplicate, which
	// the receiver acknowledges without a callback, so without a line.
	type line struct{ kind, id string }
	var want []line
	seen := map[string]bool{}
	var firstWithID string
	for _, f := range files {
		body, err := receivertest.Fixture(f)
		if err != nil {
			t.Fatal(err)
		}
		ct := "application/json"
		if bytes.Contains(body, []byte(`"specversion"`)) {
			ct = "application/cloudevents+json"
		}
		evs, err := events.Parse(ct, nil, body)
		if err != nil || len(evs) != 1 {
			t.Fatalf("%s: Parse gave %d events, %v; want 1", f, len(evs), err)
		}
		m := evs[0].Meta()
		key := f // notifications without an id differ in their bytes
		if m.ID != "" {
			key = m.SubscriptionID + "\x00" + m.Source + "\x00" + m.Type + "\x00" + m.ID
			if firstWithID == "" {
				firstWithID = f
			}
		}
		if !seen[key] {
			seen[key] = true
			want = append(want, line{string(events.KindOf(evs[0])), m.ID})
		}
		if got := p.post(t, f, ct, "Bearer "+Token, body); got != http.StatusNoContent {
			t.Errorf("%s: got status %d, want 204", f, got)
		}
	}

	// A duplicate and refused requests: answered, and no line.
	body, err := receivertest.Fixture(firstWithID)
	if err != nil {
		t.Fatal(err)
	}
	refused := []struct {
		name, auth string
		status     int
	}{
		{"duplicate", "Bearer " + Token, http.StatusNoContent},
		{"wrong token", "Bearer not-the-token", http.StatusUnauthorized},
		{"no token", "", http.StatusUnauthorized},
	}
	for _, r := range refused {
		if got := p.post(t, firstWithID, "application/cloudevents+json", r.auth, body); got != r.status {
			t.Errorf("%s: got status %d, want %d", r.name, got, r.status)
		}
	}

	if got := p.get(t, "/healthz"); got != http.StatusOK {
		t.Errorf("GET /healthz: got %d, want 200", got)
	}

	stdout, stderr := p.stop(t)
	var got []line
	for i, l := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("stdout line %d %q is not JSON: %v", i+1, l, err)
		}
		if rec["msg"] != Message {
			t.Errorf("stdout line %d: got msg %v, want %q (stdout holds event lines only)", i+1, rec["msg"], Message)
		}
		kind, _ := rec["kind"].(string)
		id, ok := rec["id"].(string)
		if kind == "" || !ok {
			t.Errorf("stdout line %d %q: want a kind and an id", i+1, l)
		}
		got = append(got, line{kind, id})
		for _, attr := range keyAttrs[kind] {
			if v := rec[attr]; v == nil || v == "" {
				t.Errorf("stdout line %d %q: a %s line without its key field %s", i+1, l, kind, attr)
			}
		}
	}
	if len(got) != len(want) {
		t.Fatalf("got %d event lines, want %d (one per distinct notification)\n%s", len(got), len(want), stdout)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event line %d: got kind %q id %q, want kind %q id %q", i+1, got[i].kind, got[i].id, want[i].kind, want[i].id)
		}
	}
	noToken(t, stdout, stderr)

	// Two tokens in the environment, as during a rotation, over plain HTTP.
	// The webhook handshake and the smuggling check too: the raw
	// connection of the latter speaks plain HTTP.
	p = start(t, bin, environ("old-"+Token+","+Token), nil, "-allow-origin", Origin, "-allow-origin", "other.example.net")
	// The webhook handshake: the origins given with -allow-origin are
	// granted, exactly; no token is needed to ask.
	for origin, want := range map[string]int{Origin: http.StatusOK, "other.example.net": http.StatusOK,
		Origin + ".evil.net": http.StatusForbidden, "": http.StatusForbidden} {
		req, err := http.NewRequest(http.MethodOptions, p.url+"/notifications", nil)
		if err != nil {
			t.Fatal(err)
		}
		if origin != "" {
			req.Header.Set("WebHook-Request-Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		granted, wantGrant := resp.Header.Get("WebHook-Allowed-Origin"), ""
		if want == http.StatusOK {
			wantGrant = origin
		}
		if resp.StatusCode != want || granted != wantGrant || resp.Header.Get("Allow") != "OPTIONS, POST" {
			t.Errorf("OPTIONS from %q: status %d, WebHook-Allowed-Origin %q, Allow %q; want %d, a grant only with 200, and Allow: OPTIONS, POST",
				origin, resp.StatusCode, granted, resp.Header.Get("Allow"), want)
		}
	}

	// Request smuggling: Content-Length with Transfer-Encoding gets 400
	// and a closed connection, so the request hidden after the chunked
	// body is never served (no event line for it).
	_, hidden, err := receivertest.Encode(receivertest.Notification{Kind: events.KindRoaming, ID: "smuggled-1"})
	if err != nil {
		t.Fatal(err)
	}
	p.smuggle(t, hidden)
	for _, r := range refused {
		if got := p.post(t, firstWithID, "application/cloudevents+json", r.auth, body); got != r.status {
			t.Errorf("tokens from %s, %s: got status %d, want %d", TokenEnv, r.name, got, r.status)
		}
	}
	if got := p.post(t, firstWithID, "application/cloudevents+json", "Bearer old-"+Token, body); got != http.StatusNoContent {
		t.Errorf("tokens from %s, the old one: got status %d, want 204 (a duplicate)", TokenEnv, got)
	}
	stdout, stderr = p.stop(t)
	noToken(t, stdout, stderr)
	if strings.Contains(stdout, "smuggled-1") {
		t.Errorf("the request smuggled after a chunked body was served:\n%s", stdout)
	}
}

// TokenEnv is the environment variable the programs read their tokens from.
const TokenEnv = "CAMARAHOOKS_TOKEN"

// environ is the test's environment without TokenEnv, plus
// TokenEnv=tokens if tokens is not empty.
func environ(tokens string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, TokenEnv+"=") {
			env = append(env, kv)
		}
	}
	if tokens != "" {
		env = append(env, TokenEnv+"="+tokens)
	}
	return env
}

// noToken fails t if the program's output holds the token.
func noToken(t *testing.T, stdout, stderr string) {
	t.Helper()
	for name, out := range map[string]string{"stdout": stdout, "stderr": stderr} {
		if strings.Contains(out, Token) {
			t.Errorf("%s contains the token", name)
		}
	}
}

type process struct {
	cmd            *exec.Cmd
	url            string
	client         *http.Client
	stdout, stderr bytes.Buffer // written until readers is closed
	readers        chan struct{}
}

// start runs bin with env and args on a free port and waits for its
// "listening" record. With a CA, it speaks HTTPS to the program, trusting
// only that CA.
func start(t *testing.T, bin string, env []string, ca *CA, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...), readers: make(chan struct{}),
		client: &http.Client{Timeout: wait}}
	p.cmd.Env = env
	scheme := "http://"
	if ca != nil {
		scheme = "https://"
		p.client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool}}
	}
	outPipe, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errPipe, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.cmd.Process.Kill() }) // no-op once it exited
	addr := make(chan string, 1)
	outDone := make(chan struct{})
	go func() {
		defer close(outDone)
		_, _ = p.stdout.ReadFrom(outPipe)
	}()
	go func() {
		defer close(p.readers)
		sc := bufio.NewScanner(errPipe)
		for sc.Scan() {
			p.stderr.Write(sc.Bytes())
			p.stderr.WriteByte('\n')
			var rec struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "listening" {
				select {
				case addr <- rec.Addr:
				default:
				}
			}
		}
		<-outDone
	}()
	select {
	case a := <-addr:
		p.url = scheme + a
	case <-p.readers:
		t.Fatalf("the program ended before listening:\n%s", p.stderr.String())
	case <-time.After(wait):
		t.Fatal("the program did not listen")
	}
	return p
}

func (p *process) post(t *testing.T, fixture, contentType, authz string, body []byte) int {
	t.Helper()
	path := "/notifications"
	if strings.HasPrefix(fixture, "qod-") || strings.HasPrefix(fixture, "nac-qod-") {
		path = "/qod"
	}
	req, err := http.NewRequest(http.MethodPost, p.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	return p.do(t, req)
}

// get sends a GET of path and returns the status.
func (p *process) get(t *testing.T, path string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, p.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p.do(t, req)
}

func (p *process) do(t *testing.T, req *http.Request) int {
	t.Helper()
	resp, err := p.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// smuggle sends, on one raw connection, a request with Content-Length and
// Transfer-Encoding whose chunked body is empty, followed by a POST of
// body (a structured CloudEvent) with the token, and checks that the
// answer is 400 and the connection closed. Served, the hidden POST would
// print an event line, which Run's count of lines would catch too.
func (p *process) smuggle(t *testing.T, body []byte) {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(p.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(wait)); err != nil {
		t.Fatal(err)
	}
	hidden := fmt.Sprintf("POST /notifications HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/cloudevents+json\r\nContent-Length: %d\r\n\r\n%s", Token, len(body), body)
	req := fmt.Sprintf("POST /notifications HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"+
		"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n%s", 5+len(hidden), hidden)
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("Content-Length with Transfer-Encoding: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("Content-Length with Transfer-Encoding: status %d, want 400", resp.StatusCode)
	}
	if _, err := http.ReadResponse(br, nil); err == nil {
		t.Errorf("Content-Length with Transfer-Encoding: a second answer on the connection, want it closed")
	}
}

// stop sends SIGTERM, checks that the program exits with status 0 within
// 5 s, and returns what it printed.
func (p *process) stop(t *testing.T) (stdout, stderr string) {
	t.Helper()
	p.client.CloseIdleConnections()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() {
		<-p.readers // Wait must follow the reads of the pipes
		exited <- p.cmd.Wait()
	}()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("after SIGTERM: got %v, want exit status 0\n%s", err, p.stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("the program did not exit within 5 s of SIGTERM")
	}
	return p.stdout.String(), p.stderr.String()
}

// keyAttrs lists, per kind, the attributes its event line must carry
// besides kind and id, present and not "": what a reader of the log needs
// first.
var keyAttrs = map[string][]string{
	string(events.KindSliceStatus):             {"slice_resource", "slice_state"},
	string(events.KindGeofence):                {"area_type"},
	string(events.KindSliceBookingChanged):     {"slice_id", "area_type"},
	string(events.KindSliceAssignmentChanged):  {"slice_id", "status"},
	string(events.KindSIMSwapped):              {"swapped_at"},
	string(events.KindNetworkQuality):          {"meets_requirements"},
	string(events.KindDataVolume):              {"percent"},
	string(events.KindQoSBookingStatusChanged): {"booking_id"},
	string(events.KindCongestion):              {"level"},
	string(events.KindAsyncResult):             {"operation_id"},
}
