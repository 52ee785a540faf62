package receiver_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/internal/errorinfo"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/dedup"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// docRow is one row of doc.go's status contract.
type docRow struct {
	status  int
	code    string // the CAMARA code, "(or Config.SuccessStatus)", or "(no code)" for another success
	text    string
	written int // how many rows name the outcome
}

var contractRow = regexp.MustCompile(`^//\t([a-z_]+) +(\d{3}) +(\(or Config\.SuccessStatus\)|\(no code\)|[A-Z_]+) +(.*)$`)

// statusContract parses the "# Status contract" block of doc.go.
func statusContract(t *testing.T) map[receiver.Outcome]*docRow {
	t.Helper()
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[receiver.Outcome]*docRow{}
	in := false
	for line := range strings.Lines(string(src)) {
		line = strings.TrimRight(line, "\n")
		if strings.HasPrefix(line, "// # ") {
			in = line == "// # Status contract"
			continue
		}
		if !in || !strings.HasPrefix(line, "//\t") || strings.HasPrefix(line, "//\t ") {
			continue // prose, or the continuation of a row
		}
		m := contractRow.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("doc.go: status contract row %q does not read as outcome, status, code, text", line)
			continue
		}
		status, _ := strconv.Atoi(m[2])
		o := receiver.Outcome(m[1])
		if r, ok := rows[o]; ok {
			r.written++
			continue
		}
		rows[o] = &docRow{status: status, code: m[3], text: m[4], written: 1}
	}
	if len(rows) == 0 {
		t.Fatal("doc.go has no status contract rows")
	}
	return rows
}

// outcomeConstants returns the Outcome constants declared in the package's
// source, by value.
func outcomeConstants(t *testing.T) map[receiver.Outcome]string {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := gotoken.NewFileSet()
	consts := map[receiver.Outcome]string{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != gotoken.CONST {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Outcome" {
					continue
				}
				for i, name := range vs.Names {
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok {
						t.Fatalf("%s is not a string literal", name.Name)
					}
					v, _ := strconv.Unquote(lit.Value)
					consts[receiver.Outcome(v)] = name.Name
				}
			}
		}
	}
	if len(consts) == 0 {
		t.Fatal("no Outcome constants found")
	}
	return consts
}

// contractCase drives one outcome through a real request. cfg holds the
// Verifier, Observe and SuccessStatus; the case adds what it needs.
type contractCase struct {
	outcome receiver.Outcome
	run     func(t *testing.T, cfg receiver.Config) *httptest.ResponseRecorder
}

// contractHandler fails as the QoD session id asks.
var contractHandler = receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
	switch session(ev) {
	case "gone":
		return fmt.Errorf("the application was deleted: %w", receiver.ErrGone)
	case "permanent":
		return receiver.Permanent(errors.New("no such session"))
	case "plain":
		return errors.New("database down")
	case "panic":
		panic("handler bug")
	case "slow":
		<-ctx.Done() // a dependency that honours its context
		return ctx.Err()
	}
	return nil
})

func contractCases() []contractCase {
	req := func(n receivertest.Notification) *http.Request { return receivertest.NewRequest("/qod", n) }
	one := func(mod func(*receiver.Config), r *http.Request) func(*testing.T, receiver.Config) *httptest.ResponseRecorder {
		return func(t *testing.T, cfg receiver.Config) *httptest.ResponseRecorder {
			cfg.Handler = contractHandler
			if mod != nil {
				mod(&cfg)
			}
			return serve(newReceiver(t, cfg), r)
		}
	}
	now := time.Now()
	return []contractCase{
		{receiver.OutcomeAccepted, one(nil, req(qos("acc", "s", "AVAILABLE")))},
		{receiver.OutcomeDuplicate, func(t *testing.T, cfg receiver.Config) *httptest.ResponseRecorder {
			rc := newReceiver(t, cfg)
			if w := serve(rc, req(qos("dup", "s", "AVAILABLE"))); w.Code/100 != 2 {
				t.Fatalf("first copy: status %d", w.Code)
			}
			return serve(rc, req(qos("dup", "s", "AVAILABLE")))
		}},
		{receiver.OutcomeStale, func(t *testing.T, cfg receiver.Config) *httptest.ResponseRecorder {
			cfg.Ordering = receiver.OrderingDrop
			rc := newReceiver(t, cfg)
			if w := serve(rc, req(qosAt("new", "s", "UNAVAILABLE", now))); w.Code/100 != 2 {
				t.Fatalf("newer event: status %d", w.Code)
			}
			return serve(rc, req(qosAt("old", "s", "AVAILABLE", now.Add(-time.Minute))))
		}},
		{receiver.OutcomeMalformed, one(nil, rawRequest("application/json", "{nope"))},
		{receiver.OutcomeTooOld, one(func(c *receiver.Config) { c.MaxEventAge = time.Hour },
			req(qosAt("old", "s", "AVAILABLE", now.Add(-2*time.Hour))))},
		{receiver.OutcomeRejected, one(nil, req(qos("rej", "permanent", "AVAILABLE")))},
		{receiver.OutcomeUnauthorized, one(nil, req(withToken(qos("u", "s", "AVAILABLE"), "")))},
		{receiver.OutcomeForbidden, one(nil, req(withToken(roaming("f", "sub-7"), subToken)))},
		{receiver.OutcomeMethodNotAllowed, one(nil, func() *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/qod", nil)
			r.Header.Set("Authorization", "Bearer "+token)
			return r
		}())},
		{receiver.OutcomeGone, one(nil, req(qos("gone", "gone", "AVAILABLE")))},
		{receiver.OutcomeTooLarge, one(func(c *receiver.Config) { c.MaxBodyBytes = 1024 },
			req(qos("big", strings.Repeat("s", 2000), "AVAILABLE")))},
		{receiver.OutcomeUnsupportedMediaType, one(nil, func() *http.Request {
			r := req(qos("mt", "s", "AVAILABLE"))
			r.Header.Set("Content-Type", "text/plain")
			return r
		}())},
		{receiver.OutcomeInFlight, func(t *testing.T, cfg receiver.Config) *httptest.ResponseRecorder {
			// Two replicas share a store: the second gets the event while
			// the first is still processing it.
			store, err := dedup.NewMemory(dedup.MemoryConfig{})
			if err != nil {
				t.Fatal(err)
			}
			started, release := make(chan struct{}), make(chan struct{})
			first := cfg
			first.Dedup.Store = store
			first.Handler = receiver.HandlerFunc(func(context.Context, events.Event) error {
				close(started)
				<-release
				return nil
			})
			second := cfg
			second.Dedup.Store = store
			second.Handler = contractHandler
			done := make(chan int)
			go func() { done <- serve(newReceiver(t, first), req(qos("fl", "s", "AVAILABLE"))).Code }()
			waitChan(t, started, "the first replica's handler")
			w := serve(newReceiver(t, second), req(qos("fl", "s", "AVAILABLE")))
			close(release)
			if code := waitChan(t, done, "the first replica's answer"); code/100 != 2 {
				t.Errorf("first replica: status %d", code)
			}
			return w
		}},
		{receiver.OutcomeHandlerError, one(nil, req(qos("he", "plain", "AVAILABLE")))},
		{receiver.OutcomePanic, one(nil, req(qos("pa", "panic", "AVAILABLE")))},
		{receiver.OutcomeTimeout, one(func(c *receiver.Config) { c.CallbackTimeout = 20 * time.Millisecond },
			req(qos("to", "slow", "AVAILABLE")))},
		{receiver.OutcomeStoreError, one(func(c *receiver.Config) { c.Dedup.Store = failingStore{} },
			req(qos("se", "s", "AVAILABLE")))},
		{receiver.OutcomeHandshake, one(func(c *receiver.Config) { c.Handshake.AllowedOrigins = []string{"events.example.com"} },
			validationRequest("events.example.com"))},
		{receiver.OutcomeHandshakeRefused, one(func(c *receiver.Config) { c.Handshake.AllowedOrigins = []string{"events.example.com"} },
			validationRequest("events.example.com.evil.net"))},
		{receiver.OutcomeShuttingDown, func(t *testing.T, cfg receiver.Config) *httptest.ResponseRecorder {
			rc := newReceiver(t, cfg)
			if err := rc.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			return serve(rc, req(qos("sd", "s", "AVAILABLE")))
		}},
	}
}

// validationRequest is a webhook validation request from origin, without
// a token, as senders send it.
func validationRequest(origin string) *http.Request {
	r := httptest.NewRequest(http.MethodOptions, "/qod", nil)
	r.Header.Set("WebHook-Request-Origin", origin)
	return r
}

// TestStatusContract holds doc.go's status contract equal to the outcome
// table, and drives every row through a real request: status, CAMARA code,
// Retry-After, WWW-Authenticate, Allow and the Observation.
func TestStatusContract(t *testing.T) {
	rules := receiver.OutcomeRules()
	consts := outcomeConstants(t)
	rows := statusContract(t)

	t.Run("doc", func(t *testing.T) {
		for o, name := range consts {
			rule, ok := rules[o]
			if !ok {
				t.Errorf("%s (%q) has no row in the outcomes table", name, o)
				continue
			}
			row, ok := rows[o]
			if !ok {
				t.Errorf("%s (%q) is missing from doc.go's status contract", name, o)
				continue
			}
			if row.written != 1 {
				t.Errorf("%q is listed %d times in the status contract", o, row.written)
			}
			switch {
			case rule.Status == receiver.StatusSuccess:
				if row.status != http.StatusNoContent || row.code != "(or Config.SuccessStatus)" {
					t.Errorf("%q: doc says %d %s, want 204 (or Config.SuccessStatus)", o, row.status, row.code)
				}
			case row.status != rule.Status:
				t.Errorf("%q: doc says %d, the table %d", o, row.status, rule.Status)
			case rule.Status < 400:
				if row.code != "(no code)" {
					t.Errorf("%q: doc says code %s for a success", o, row.code)
				}
			case row.code != errorinfo.CodeFor(rule.Status):
				t.Errorf("%q: doc says code %s, the receiver sends %s", o, row.code, errorinfo.CodeFor(rule.Status))
			}
			if rule.Retry && !strings.Contains(row.text, "Retry-After") {
				t.Errorf("%q: the table sends Retry-After, the doc does not say so", o)
			}
		}
		for o := range rows {
			if _, ok := consts[o]; !ok {
				t.Errorf("doc.go lists %q, which is no Outcome constant", o)
			}
		}
		for o := range rules {
			if _, ok := consts[o]; !ok {
				t.Errorf("the outcomes table has %q, which is no Outcome constant", o)
			}
		}
	})

	t.Run("README", func(t *testing.T) {
		// The README's table is by status: it lists exactly the statuses
		// the receiver answers (the table's, the success statuses, and the
		// Handler-chosen 429 and 503), and no removed API.
		want := map[int]bool{200: true, 202: true, 204: true, 429: true, 503: true}
		for _, rule := range rules {
			if rule.Status != receiver.StatusSuccess {
				want[rule.Status] = true
			}
		}
		got := readmeStatuses(t)
		for s := range want {
			if _, ok := got[s]; !ok {
				t.Errorf("README's status table lacks %d", s)
			}
		}
		for s, row := range got {
			if !want[s] {
				t.Errorf("README's status table lists %d, which the receiver never answers: %s", s, row)
			}
		}
	})

	cases := contractCases()
	covered := map[receiver.Outcome]bool{}
	for _, c := range cases {
		covered[c.outcome] = true
	}
	for o, name := range consts {
		if !covered[o] {
			t.Errorf("no case drives %s", name)
		}
	}
	for _, success := range []int{0, http.StatusAccepted} {
		for _, c := range contractCases() { // requests are read once: new ones per round
			t.Run(fmt.Sprintf("%s/success=%d", c.outcome, success), func(t *testing.T) {
				rule := rules[c.outcome]
				var obs observer
				w := c.run(t, receiver.Config{Verifier: tokenSet(t), Observe: obs.observe, SuccessStatus: success})
				want := rule.Status
				if want == receiver.StatusSuccess {
					want = cmp.Or(success, http.StatusNoContent)
				}
				if w.Code != want {
					t.Fatalf("status %d, want %d (body %s)", w.Code, want, w.Body)
				}
				if want >= 400 {
					docCode := "(not in doc.go)"
					if row := rows[c.outcome]; row != nil {
						docCode = row.code
					}
					ei := decodeErrorInfo(t, w.Body.Bytes())
					if ei.Status != want || ei.Code != errorinfo.CodeFor(want) || ei.Code != docCode || ei.Message == "" {
						t.Errorf("ErrorInfo %+v, want status %d code %s and a message", ei, want, docCode)
					}
				} else if w.Body.Len() != 0 {
					t.Errorf("success with body %q", w.Body)
				}
				if got := w.Header().Get("Retry-After") != ""; got != rule.Retry {
					t.Errorf("Retry-After %q, want present = %v", w.Header().Get("Retry-After"), rule.Retry)
				}
				challenge := w.Header().Get("WWW-Authenticate")
				if authn := want == 401 || want == 403 && c.outcome == receiver.OutcomeForbidden; authn != strings.HasPrefix(challenge, "Bearer") {
					t.Errorf("WWW-Authenticate %q with status %d", challenge, want)
				}
				if allow := w.Header().Get("Allow"); (want == 405) != (allow == "POST") {
					t.Errorf("Allow %q with status %d", allow, want)
				}
				seen := false
				for _, ob := range obs.all() {
					seen = seen || ob.Outcome == c.outcome && ob.Status == want
				}
				if !seen {
					t.Errorf("observations %+v, want %s with status %d", obs.all(), c.outcome, want)
				}
			})
		}
	}
}

// TestUnauthorizedSameBody: every 401 has the same body, whatever the
// reason, so that a prober learns nothing; each has a Bearer challenge, and
// no handler runs.
func TestUnauthorizedSameBody(t *testing.T) {
	expired, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{
		{Name: "live", Token: token},
		{Name: "old", Token: "tok-expired-0123456789", ExpiresAt: time.Now().Add(-time.Hour)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var rec receivertest.Recorder
	rc := newReceiver(t, receiver.Config{Verifier: expired, Handler: &rec})
	header := func(v ...string) *http.Request {
		r := receivertest.NewRequest("/qod", withToken(qos("", "s", "AVAILABLE"), ""))
		r.Header["Authorization"] = v
		return r
	}
	tests := []struct {
		name string
		r    *http.Request
	}{
		{"missing", header()},
		{"empty", header("")},
		{"Basic scheme", header("Basic " + token)},
		{"wrong token", header("Bearer tok-nope-0123456789")},
		{"expired", header("Bearer tok-expired-0123456789")},
		{"doubled Bearer", header("Bearer Bearer " + token)},
		{"two headers", header("Bearer "+token, "Bearer "+token)},
		{"trailing garbage", header("Bearer " + token + "x")},
		{"control byte", header("Bearer tok\x01")},
	}
	var first string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := serve(rc, tt.r)
			if w.Code != 401 {
				t.Fatalf("status %d, want 401", w.Code)
			}
			if !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate %q", w.Header().Get("WWW-Authenticate"))
			}
			if first == "" {
				first = w.Body.String()
			} else if w.Body.String() != first {
				t.Errorf("body %s, want the same as every 401: %s", w.Body, first)
			}
			if strings.Contains(w.Body.String(), token) || strings.Contains(w.Body.String(), "tok-expired") {
				t.Errorf("body %s mentions the token", w.Body)
			}
		})
	}
	if rec.Len() != 0 {
		t.Errorf("%d events reached the handler", rec.Len())
	}
}

// TestVerifierOutcomes: a verifier that refuses answers 401 or 403; one that
// could not decide is a transient failure (500, or 503 with Retry-After
// for auth.ErrUnavailable), never a success.
func TestVerifierOutcomes(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		want       int
		outcome    receiver.Outcome
		retryAfter string
	}{
		{"unauthenticated", fmt.Errorf("jwt: bad signature: %w", auth.ErrUnauthenticated), 401, receiver.OutcomeUnauthorized, ""},
		{"forbidden", fmt.Errorf("jwt: wrong audience: %w", auth.ErrForbidden), 403, receiver.OutcomeForbidden, ""},
		{"undecided", errors.New("introspection endpoint down"), 500, receiver.OutcomeHandlerError, ""},
		{"unavailable", fmt.Errorf("jwks server down: %w", auth.ErrUnavailable), 503, receiver.OutcomeHandlerError, "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var obs observer
			var rec receivertest.Recorder
			rc := newReceiver(t, receiver.Config{Handler: &rec, Observe: obs.observe,
				Verifier: auth.VerifierFunc(func(*http.Request) (auth.Principal, error) { return auth.Principal{}, tt.err })})
			w := serve(rc, receivertest.NewRequest("/qod", qos("v", "s", "AVAILABLE")))
			if w.Code != tt.want || rec.Len() != 0 {
				t.Fatalf("status %d with %d events handled, want %d and none", w.Code, rec.Len(), tt.want)
			}
			if strings.Contains(w.Body.String(), tt.err.Error()) {
				t.Errorf("body %s copies the verifier's error", w.Body)
			}
			if got := w.Header().Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tt.retryAfter)
			}
			if got := obs.outcomes(); len(got) != 1 || got[0] != tt.outcome {
				t.Errorf("observed %v, want [%s]", got, tt.outcome)
			}
		})
	}
}

// TestHandlerChosenStatuses: whatever status a Handler's CallbackError
// names gets its CAMARA code and the headers the contract requires with it;
// a status outside 400-599 is a 500, never a success.
func TestHandlerChosenStatuses(t *testing.T) {
	tests := []struct {
		status     int
		retryAfter time.Duration
		want       int
		code       string
		header     string // a header that must be present ("" for none)
		absent     string // a header that must be absent
		outcome    receiver.Outcome
	}{
		{401, 0, 401, "UNAUTHENTICATED", "WWW-Authenticate", "Retry-After", receiver.OutcomeUnauthorized},
		{403, 0, 403, "PERMISSION_DENIED", "WWW-Authenticate", "Retry-After", receiver.OutcomeForbidden},
		{404, 0, 404, "NOT_FOUND", "", "Retry-After", receiver.OutcomeRejected},
		{400, 3 * time.Second, 400, "INVALID_ARGUMENT", "", "Retry-After", receiver.OutcomeRejected},
		{410, 0, 410, "GONE", "", "Retry-After", receiver.OutcomeGone},
		{429, 0, 429, "TOO_MANY_REQUESTS", "Retry-After", "WWW-Authenticate", receiver.OutcomeHandlerError},
		{500, 0, 500, "INTERNAL", "", "Retry-After", receiver.OutcomeHandlerError},
		{503, 3 * time.Second, 503, "UNAVAILABLE", "Retry-After", "WWW-Authenticate", receiver.OutcomeHandlerError},
		{503, 0, 503, "UNAVAILABLE", "", "Retry-After", receiver.OutcomeHandlerError},
		{202, 0, 500, "INTERNAL", "", "Retry-After", receiver.OutcomeHandlerError},
		{0, 0, 500, "INTERNAL", "", "Retry-After", receiver.OutcomeHandlerError},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%v", tt.status, tt.retryAfter), func(t *testing.T) {
			var obs observer
			rc := newReceiver(t, receiver.Config{Observe: obs.observe, Handler: receiver.HandlerFunc(func(context.Context, events.Event) error {
				return &receiver.CallbackError{Status: tt.status, RetryAfter: tt.retryAfter, Err: errors.New("refused for a secret reason")}
			})})
			w := serve(rc, receivertest.NewRequest("/qod", qos("cs", "s", "AVAILABLE")))
			ei := decodeErrorInfo(t, w.Body.Bytes())
			if w.Code != tt.want || ei.Status != tt.want || ei.Code != tt.code {
				t.Errorf("got %d %s, want %d %s", w.Code, w.Body, tt.want, tt.code)
			}
			if strings.Contains(w.Body.String(), "secret") {
				t.Errorf("body %s copies the handler's error", w.Body)
			}
			if tt.header != "" && w.Header().Get(tt.header) == "" {
				t.Errorf("%s missing", tt.header)
			}
			if w.Header().Get(tt.absent) != "" {
				t.Errorf("%s present: %q", tt.absent, w.Header().Get(tt.absent))
			}
			if tt.retryAfter > 0 && tt.header == "Retry-After" && w.Header().Get("Retry-After") != "3" {
				t.Errorf("Retry-After %q, want the handler's 3", w.Header().Get("Retry-After"))
			}
			if got := obs.outcomes(); len(got) != 1 || got[0] != tt.outcome {
				t.Errorf("observed %v, want [%s]", got, tt.outcome)
			}
		})
	}
}

// TestRetryableRoundsUp: Retry-After is whole seconds, rounded up;
// Config.RetryAfter is used where the receiver decides.
func TestRetryableRoundsUp(t *testing.T) {
	tests := []struct {
		name string
		cfg  receiver.Config
		err  error
		want string
	}{
		{"handler's 1.2s", receiver.Config{}, receiver.Retryable(errors.New("busy"), 1200*time.Millisecond), "2"},
		{"handler's 30s", receiver.Config{}, receiver.Retryable(errors.New("busy"), 30*time.Second), "30"},
		{"429 without its own", receiver.Config{RetryAfter: 7 * time.Second}, &receiver.CallbackError{Status: 429}, "7"},
		{"receiver's default", receiver.Config{Dedup: receiver.DedupConfig{Store: failingStore{}}}, nil, "1"},
		{"receiver's 2.5s", receiver.Config{RetryAfter: 2500 * time.Millisecond, Dedup: receiver.DedupConfig{Store: failingStore{}}}, nil, "3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			cfg.Handler = receiver.HandlerFunc(func(context.Context, events.Event) error { return tt.err })
			w := serve(newReceiver(t, cfg), receivertest.NewRequest("/qod", qos("r", "s", "AVAILABLE")))
			if got := w.Header().Get("Retry-After"); got != tt.want {
				t.Errorf("status %d Retry-After %q, want %q", w.Code, got, tt.want)
			}
		})
	}
}

// TestCorrelatorEchoed: a valid x-correlator is echoed on every answer,
// errors included, and reaches the Handler; an invalid one neither.
func TestCorrelatorEchoed(t *testing.T) {
	var got []string
	rc := newReceiver(t, receiver.Config{Handler: receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
		c, ok := receiver.CorrelatorFromContext(ctx)
		got = append(got, fmt.Sprintf("%s %v", c, ok))
		return nil
	})})
	long := strings.Repeat("a", 256)
	tests := []struct {
		name, correlator string
		r                *http.Request
		want             int
		echo             bool
		handled          string // what the handler saw, "" if it did not run
	}{
		{"success", "abc-123:x/y;{z}<w>.", nil, 204, true, "abc-123:x/y;{z}<w>. true"},
		{"256 bytes", long, nil, 204, true, long + " true"},
		{"257 bytes", long + "a", nil, 204, false, " false"},
		{"space", "bad value", nil, 204, false, " false"},
		{"CRLF", "a\r\nSet-Cookie: x", nil, 204, false, " false"},
		{"on 400", "err-1", rawRequest("application/json", "{"), 400, true, ""},
		{"on 401", "err-2", receivertest.NewRequest("/qod", withToken(qos("", "s", "AVAILABLE"), "")), 401, true, ""},
		{"on 405", "err-3", httptest.NewRequest(http.MethodGet, "/qod", nil), 405, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got = nil
			r := tt.r
			if r == nil {
				r = receivertest.NewRequest("/qod", qos("", "s", "AVAILABLE"))
			}
			r.Header["X-Correlator"] = []string{tt.correlator}
			w := serve(rc, r)
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d", w.Code, tt.want)
			}
			if echoed := w.Header().Get("x-correlator"); (echoed == tt.correlator) != tt.echo || (!tt.echo && echoed != "") {
				t.Errorf("x-correlator %q echoed, want echoed = %v", echoed, tt.echo)
			}
			if h := strings.Join(got, ","); h != tt.handled {
				t.Errorf("handler saw %q, want %q", h, tt.handled)
			}
		})
	}
	t.Run("two headers", func(t *testing.T) {
		r := receivertest.NewRequest("/qod", qos("", "s", "AVAILABLE"))
		r.Header["X-Correlator"] = []string{"a", "b"}
		if w := serve(rc, r); w.Code != 204 || w.Header().Get("x-correlator") != "" {
			t.Errorf("status %d x-correlator %q, want 204 and none", w.Code, w.Header().Get("x-correlator"))
		}
	})
}

// TestObserveDurations: Observe gets the kind, type and time of each event,
// and a zero Kind and Duration for requests refused before decoding.
func TestObserveDurations(t *testing.T) {
	var obs observer
	rc := newReceiver(t, receiver.Config{Observe: obs.observe})
	serve(rc, receivertest.NewRequest("/n", roaming("", "s")))
	serve(rc, rawRequest("application/json", "nope"))
	got := obs.all()
	if len(got) != 2 {
		t.Fatalf("observations %+v, want 2", got)
	}
	if got[0].Kind != events.KindRoaming || !strings.Contains(got[0].Type, "roaming") || got[0].Outcome != receiver.OutcomeAccepted || got[0].Status != 204 {
		t.Errorf("event observation %+v", got[0])
	}
	if got[1].Kind != "" || got[1].Type != "" || got[1].Duration != 0 || got[1].Outcome != receiver.OutcomeMalformed || got[1].Status != 400 {
		t.Errorf("refusal observation %+v", got[1])
	}
}

var threeDigits = regexp.MustCompile(`\b[1-5]\d\d\b`)

// readmeStatuses returns the statuses of the README's "## Status codes"
// table, each with its row.
func readmeStatuses(t *testing.T) map[int]string {
	t.Helper()
	src, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	in := false
	for line := range strings.Lines(string(src)) {
		if strings.HasPrefix(line, "## ") {
			in = strings.TrimSpace(line) == "## Status codes"
			continue
		}
		cells := strings.Split(line, "|")
		if !in || len(cells) < 4 || strings.HasPrefix(cells[2], "---") || strings.TrimSpace(cells[2]) == "status" {
			continue
		}
		for _, m := range threeDigits.FindAllString(cells[2], -1) {
			n, _ := strconv.Atoi(m)
			got[n] = strings.TrimSpace(line)
		}
	}
	if len(got) == 0 {
		t.Fatal("README.md has no status table under ## Status codes")
	}
	return got
}
