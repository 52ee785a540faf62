// Package exampletest runs an example sink program (examples/nethttp,
// examples/echo) end to end for its test: it builds the program, starts it
// on a free port, delivers every payload of [receivertest.Fixtures] through
// a real connection and checks the status of each, the event lines on
// stdout, the absence of the token and a clean exit on SIGTERM.
package exampletest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
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

	t.Run("token required", func(t *testing.T) {
		out, err := exec.Command(bin, "-addr", "127.0.0.1:0").CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(string(out), "usage") {
			t.Errorf("without -token: got %v and %q, want exit status 2 and a usage message", err, out)
		}
	})

	p := start(t, bin)
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
		if attr, ok := keyFields[kind]; ok && rec[attr] == nil {
			t.Errorf("stdout line %d %q: a %s line without its key field %s", i+1, l, kind, attr)
		}
		got = append(got, line{kind, id})
	}
	if len(got) != len(want) {
		t.Fatalf("got %d event lines, want %d (one per distinct notification)\n%s", len(got), len(want), stdout)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event line %d: got kind %q id %q, want kind %q id %q", i+1, got[i].kind, got[i].id, want[i].kind, want[i].id)
		}
	}
	for name, out := range map[string]string{"stdout": stdout, "stderr": stderr} {
		if strings.Contains(out, Token) {
			t.Errorf("%s contains the token", name)
		}
	}
}

type process struct {
	cmd            *exec.Cmd
	url            string
	stdout, stderr bytes.Buffer // written until readers is closed
	readers        chan struct{}
}

// start runs bin on a free port and waits for its "listening" record.
func start(t *testing.T, bin string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, "-addr", "127.0.0.1:0", "-token", Token), readers: make(chan struct{})}
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
		p.url = "http://" + a
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
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// stop sends SIGTERM, checks that the program exits with status 0 within
// 5 s, and returns what it printed.
func (p *process) stop(t *testing.T) (stdout, stderr string) {
	t.Helper()
	http.DefaultClient.CloseIdleConnections()
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

// keyFields names the attribute that each kind's event line carries
// besides kind and id: what a reader of the log needs first.
var keyFields = map[string]string{
	string(events.KindSIMSwapped):              "phone_number",
	string(events.KindNetworkQuality):          "meets_requirements",
	string(events.KindDataVolume):              "percent",
	string(events.KindQoSBookingStatusChanged): "booking_id",
	string(events.KindCongestion):              "level",
	string(events.KindAsyncResult):             "operation_id",
}
