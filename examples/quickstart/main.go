// Command quickstart shows camarahooks end to end in one command: it starts
// a receiver (receiver.New with a static token) on a free loopback port and
// the simulator (examples/simulator/sim), subscribes to every family (a QoD
// session, device reachability, device roaming and their subscription life
// cycles), has a Network as Code slice go through its life cycle and a
// device enter and leave a geofence, prints what each callback receives and each HTTP status the
// sender gets, including a rejected token (401) and a duplicate (204
// without callback), and exits 0.
//
//	go run ./examples/quickstart
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/examples/simulator/sim"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// printer serialises output lines from the receiver and sender goroutines.
type printer struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *printer) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format+"\n", args...)
}

// expected is the number of callbacks the quickstart waits for: QoD
// AVAILABLE and DURATION_EXPIRED (2); reachability started, four changes
// and ended on delete (6); roaming started, three changes and ended at
// subscriptionMaxEvents (5); the duplicate's first copy (1); a slice
// PENDING, AVAILABLE, OPERATING, AVAILABLE, DELETED (5); a geofence entered
// and left (2).
const expected = 21

func run(ctx context.Context, out io.Writer) error {
	p := &printer{w: out}
	token := randomToken()

	// 1. The receiver: what an application writes.
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "quickstart", Token: auth.Token(token)}}})
	if err != nil {
		return err
	}
	var rec receivertest.Recorder // counts the callbacks, so we know when to stop
	rc, err := receiver.New(receiver.Config{
		Verifier: tokens,
		Handler:  callbacks(p, &rec),
	})
	if err != nil {
		return err
	}
	sinkBase, stopSink, err := serve(rc)
	if err != nil {
		return err
	}
	defer stopSink()
	p.printf("receiver listening on %s (POST /qod, POST /notifications)", sinkBase)

	// 2. The simulator: what the network does.
	sender := &sim.Sender{MaxAttempts: 3, OnDelivery: func(d sim.Delivery) {
		u, _ := url.Parse(d.Sink)
		switch {
		case d.Err != nil:
			p.printf("    sender: POST %s %s -> %v", u.Path, shortType(d.Type), d.Err)
		default:
			p.printf("    sender: POST %s %s -> HTTP %d %s", u.Path, shortType(d.Type), d.Status, http.StatusText(d.Status))
		}
	}}
	simulator := sim.New(sim.Config{Sender: sender})
	defer func() { // let the last deliveries finish
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = simulator.Shutdown(ctx)
	}()
	simBase, stopSim, err := serve(simulator)
	if err != nil {
		return err
	}
	defer stopSim()
	p.printf("simulator listening on %s", simBase)
	api := &client{base: simBase}
	cred := map[string]any{"credentialType": "ACCESSTOKEN", "accessToken": token, "accessTokenType": "bearer",
		"accessTokenExpiresUtc": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}

	// 3. A QoD session of 2 seconds: AVAILABLE now, UNAVAILABLE / DURATION_EXPIRED later.
	p.printf("\n== QoD: POST /sessions (2 s)")
	if _, err := api.post(ctx, "/sessions", map[string]any{
		"device": map[string]any{"phoneNumber": "+99999990000"}, "qosProfile": "QOS_L", "duration": 2,
		"sink": sinkBase + "/qod", "sinkCredential": cred,
	}, http.StatusCreated); err != nil {
		return err
	}

	// 4. Reachability and roaming subscriptions for devices that connect and roam.
	p.printf("\n== Reachability and roaming: POST /subscriptions")
	reach := "org.camaraproject.device-reachability-status-subscriptions.v0."
	reachSub, err := api.post(ctx, "/subscriptions", map[string]any{
		"sink": sinkBase + "/notifications", "sinkCredential": cred,
		"types":  []string{reach + "reachability-data", reach + "reachability-sms", reach + "reachability-disconnected"},
		"config": map[string]any{"subscriptionDetail": map[string]any{"device": map[string]any{"phoneNumber": sim.DeviceConnects}}},
	}, http.StatusCreated)
	if err != nil {
		return err
	}
	roam := "org.camaraproject.device-roaming-status-subscriptions.v0."
	if _, err := api.post(ctx, "/subscriptions", map[string]any{
		"sink": sinkBase + "/notifications", "sinkCredential": cred,
		"types": []string{roam + "roaming-on", roam + "roaming-change-country", roam + "roaming-off"},
		"config": map[string]any{"subscriptionMaxEvents": 3,
			"subscriptionDetail": map[string]any{"device": map[string]any{"phoneNumber": sim.DeviceRoams}}},
	}, http.StatusCreated); err != nil {
		return err
	}
	if err := wait(ctx, &rec, 11); err != nil {
		return err
	}

	// 5. Deleting a subscription ends it with SUBSCRIPTION_DELETED.
	p.printf("\n== DELETE /subscriptions/%s", reachSub["id"])
	if err := api.delete(ctx, fmt.Sprint("/subscriptions/", reachSub["id"])); err != nil {
		return err
	}
	if err := wait(ctx, &rec, 12); err != nil {
		return err
	}

	// 6. A wrong token is refused; a duplicate is acknowledged without a callback.
	p.printf("\n== A notification with a wrong token: refused, no callback, no retry")
	if _, err := sender.Send(ctx, sinkBase+"/notifications", receivertest.Notification{Kind: events.KindReachability, Token: "not-the-token"}); !errors.Is(err, sim.ErrRejected) {
		return fmt.Errorf("wrong token: got %v, want a rejection", err)
	}
	p.printf("\n== The same notification twice (same source and id): one callback, two 204s")
	dup := receivertest.Notification{Kind: events.KindRoaming, ID: "quickstart-duplicate-1", Token: token}
	for range 2 {
		if _, err := sender.Send(ctx, sinkBase+"/notifications", dup); err != nil {
			return err
		}
	}

	// 7. A Network as Code slice's life cycle and a geofence, on the same
	// path: slice notifications have no envelope, type or id.
	p.printf("\n== A slice's life cycle and a geofence, POST /notifications")
	for _, name := range []string{"slice-lifecycle", "geofencing"} {
		ns, err := sim.Scenario(name, "")
		if err != nil {
			return err
		}
		for _, n := range ns {
			n.Token = token
			if _, err := sender.Send(ctx, sinkBase+"/notifications", n); err != nil {
				return err
			}
		}
	}

	// 8. The QoD session runs out.
	p.printf("\n== Waiting for the QoD session to expire")
	if err := wait(ctx, &rec, expected); err != nil {
		return err
	}
	kinds := map[events.Kind]int{}
	for _, e := range rec.Events() {
		kinds[events.KindOf(e)]++
	}
	p.printf("\ndone: %d callbacks (%d qos-status-changed, %d reachability, %d roaming, %d subscription-started, %d subscription-ended, %d slice-status, %d geofence), 1 token refused, 1 duplicate ignored",
		rec.Len(), kinds[events.KindQoSStatusChanged], kinds[events.KindReachability], kinds[events.KindRoaming],
		kinds[events.KindSubscriptionStarted], kinds[events.KindSubscriptionEnded], kinds[events.KindSliceStatus], kinds[events.KindGeofence])
	return nil
}

// callbacks prints each event and records it.
func callbacks(p *printer, rec *receivertest.Recorder) receiver.Handlers {
	return receiver.Handlers{
		QoSStatusChanged: func(ctx context.Context, e *events.QoSStatusChanged) error {
			p.printf("callback QoSStatusChanged: session %s is %s %s", short(e.SessionID), e.Status, e.StatusInfo)
			return rec.HandleEvent(ctx, e)
		},
		Reachability: func(ctx context.Context, e *events.Reachability) error {
			p.printf("callback Reachability: device %s is %s", e.Device.PhoneNumber, e.Status)
			return rec.HandleEvent(ctx, e)
		},
		Roaming: func(ctx context.Context, e *events.Roaming) error {
			p.printf("callback Roaming: device %s %s, roaming=%t country=%v", e.Device.PhoneNumber, e.Change, e.Roaming, e.CountryName)
			return rec.HandleEvent(ctx, e)
		},
		SubscriptionStarted: func(ctx context.Context, e *events.SubscriptionStarted) error {
			p.printf("callback SubscriptionStarted: subscription %s (%s)", short(e.SubscriptionID), e.InitiationReason)
			return rec.HandleEvent(ctx, e)
		},
		SubscriptionEnded: func(ctx context.Context, e *events.SubscriptionEnded) error {
			p.printf("callback SubscriptionEnded: subscription %s (%s)", short(e.SubscriptionID), e.TerminationReason)
			return rec.HandleEvent(ctx, e)
		},
		SliceStatus: func(ctx context.Context, e *events.SliceStatus) error {
			p.printf("callback SliceStatus: slice %s %s %s, now %s (terminal=%t)", e.Resource, e.Action, e.Outcome, e.State, e.State.IsTerminal())
			return rec.HandleEvent(ctx, e)
		},
		Geofence: func(ctx context.Context, e *events.Geofence) error {
			verb := "left"
			if e.Entered {
				verb = "entered"
			}
			p.printf("callback Geofence: device %s %s the %s of radius %.0f m around %.4f,%.4f", e.Device.PhoneNumber, verb,
				e.Area.Type, e.Area.Radius, e.Area.Center.Latitude, e.Area.Center.Longitude)
			return rec.HandleEvent(ctx, e)
		},
	}
}

// serve serves h on a free loopback port and returns its base URL and a
// stop function.
func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

func wait(ctx context.Context, rec *receivertest.Recorder, n int) error {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(10 * time.Second)
	}
	if _, err := rec.Wait(n, time.Until(deadline)); err != nil {
		return fmt.Errorf("waiting for callbacks: %w", err)
	}
	return nil
}

// client calls the simulator's management API.
type client struct{ base string }

func (c *client) post(ctx context.Context, path string, body any, want int) (map[string]any, error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&out)
	if resp.StatusCode != want {
		return nil, fmt.Errorf("POST %s: got %d %v, want %d", path, resp.StatusCode, out, want)
	}
	return out, nil
}

func (c *client) delete(ctx context.Context, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, c.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("DELETE %s: got %d, want 204", path, resp.StatusCode)
	}
	return nil
}

func randomToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "quickstart-" + hex.EncodeToString(b[:])
}

// shortType returns the event name of a CloudEvents type.
func shortType(t string) string { return t[strings.LastIndexByte(t, '.')+1:] }

func short(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
