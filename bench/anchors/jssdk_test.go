package anchors_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// requireNode, set to 1 in CI (.ci/run), makes TestJavaScriptSDKSender
// fail rather than skip when node or npm is missing.
const requireNode = "CAMARAHOOKS_REQUIRE_NODE"

// jsSender is the npm project of the JavaScript sender: package.json and
// package-lock.json are committed, node_modules is installed by npm ci.
const jsSender = "jssender"

// jsEvent is one event for send.js to build with the CloudEvents
// JavaScript SDK.
type jsEvent struct {
	ID     string          `json:"id"`
	Type   string          `json:"type"`
	Source string          `json:"source"`
	Time   string          `json:"time"`
	Data   json.RawMessage `json:"data"`
	Mode   string          `json:"mode"`
}

// placeholder matches the parts of a Catalog pattern that stand for a
// value: v<N>, and any other <name> (an API family, say).
var placeholder = regexp.MustCompile(`<[^>]*>`)

// catalogTypes returns one concrete CloudEvents type per pattern of
// events.Catalog, with the kind it decodes to, so that a kind added to the
// catalogue is sent without a change here.
func catalogTypes(t *testing.T) map[string]events.Kind {
	t.Helper()
	types := map[string]events.Kind{}
	for _, e := range events.Catalog() {
		if !strings.Contains(e.Type, ".") {
			continue // a legacy eventType: not a CloudEvent
		}
		typ := placeholder.ReplaceAllStringFunc(e.Type, func(p string) string {
			if p == "<N>" {
				return "0"
			}
			return "example-api"
		})
		if events.TypeKind(typ) != e.Kind {
			typ = events.TypeFor(e.Kind, "v0")
		}
		if events.TypeKind(typ) != e.Kind {
			t.Fatalf("no type of pattern %s decodes to %s", e.Type, e.Kind)
		}
		types[typ] = e.Kind
	}
	if len(types) == 0 {
		t.Fatal("events.Catalog lists no CloudEvents type")
	}
	return types
}

// jsEvents builds, for every catalogue type and both modes, one event with
// an id of its own and the data receivertest gives its kind.
func jsEvents(t *testing.T) (specs []jsEvent, want map[string]events.Kind) {
	t.Helper()
	want = map[string]events.Kind{}
	i := 0
	for typ, kind := range catalogTypes(t) {
		for _, mode := range []string{"structured", "binary"} {
			i++
			id := fmt.Sprintf("js-%s-%03d", mode, i)
			_, body, err := receivertest.Encode(receivertest.Notification{Kind: kind, Type: typ, ID: id})
			if err != nil {
				t.Fatal(err)
			}
			var ce struct {
				Source string          `json:"source"`
				Time   string          `json:"time"`
				Data   json.RawMessage `json:"data"`
			}
			if err := json.Unmarshal(body, &ce); err != nil {
				t.Fatal(err)
			}
			specs = append(specs, jsEvent{ID: id, Type: typ, Source: ce.Source, Time: ce.Time, Data: ce.Data, Mode: mode})
			want[id] = kind
		}
	}
	return specs, want
}

// nodeTools returns the node binary, with the sender's dependencies
// installed (npm ci) if they are not yet; it skips (or fails, with
// CAMARAHOOKS_REQUIRE_NODE=1) when node or npm is missing.
func nodeTools(t *testing.T) string {
	t.Helper()
	missing := func(what string, err error) {
		t.Helper()
		if os.Getenv(requireNode) == "1" {
			t.Fatalf("%s: %v (%s=1: install nodejs and npm, as .ci/run does)", what, err, requireNode)
		}
		t.Skipf("%s: %v (apt-get install nodejs npm; %s=1 makes this a failure)", what, err, requireNode)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node", err)
	}
	if _, err := os.Stat(filepath.Join(jsSender, "node_modules", "cloudevents", "package.json")); err != nil {
		npm, err := exec.LookPath("npm")
		if err != nil {
			missing("npm", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund")
		cmd.Dir = jsSender
		if out, err := cmd.CombinedOutput(); err != nil {
			missing("npm ci", fmt.Errorf("%v\n%s", err, out))
		}
	}
	return node
}

// TestJavaScriptSDKSender: an independent sender, the CloudEvents
// JavaScript SDK, emits every CloudEvents kind of events.Catalog in
// structured and binary mode to a real receiver over HTTP; each event must
// arrive once, with its kind and id, and be answered 204.
func TestJavaScriptSDKSender(t *testing.T) {
	node := nodeTools(t)
	const token = "js-sdk-token-8e1f0c"
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "js", Token: token}}})
	if err != nil {
		t.Fatal(err)
	}
	var rec receivertest.Recorder
	rc, err := receiver.New(receiver.Config{Verifier: tokens, Handler: &rec})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(rc)
	defer ts.Close()

	specs, want := jsEvents(t)
	input, err := json.Marshal(specs)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "send.js", ts.URL+"/notifications")
	cmd.Dir = jsSender
	cmd.Env = append(os.Environ(), "SINK_TOKEN="+token) // never argv
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("send.js: %v\nstdout:\n%s\nstderr:\n%s", err, out, stderr.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if id, status, _ := strings.Cut(line, " "); status != "204" {
			t.Errorf("event %s: status %s, want 204", id, status)
		}
	}

	got := map[string]int{}
	for _, ev := range rec.Events() {
		m := ev.Meta()
		got[m.ID]++
		kind, ok := want[m.ID]
		switch {
		case !ok:
			t.Errorf("event %s arrived, which was not sent", m.ID)
		case events.KindOf(ev) != kind:
			t.Errorf("event %s (%s): kind %s, want %s", m.ID, m.Type, events.KindOf(ev), kind)
		case strings.HasPrefix(m.ID, "js-binary") != (m.Mode == events.ModeBinary):
			t.Errorf("event %s arrived in mode %s", m.ID, m.Mode)
		}
	}
	for id := range want {
		if got[id] != 1 {
			t.Errorf("event %s arrived %d times, want once", id, got[id])
		}
	}
	t.Logf("%d events of %d types, structured and binary", len(specs), len(specs)/2)
}
