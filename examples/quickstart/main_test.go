package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out); err != nil {
		t.Fatalf("run: got %v, want nil (exit status 0)\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []struct {
		line  string
		count int
	}{
		{"callback QoSStatusChanged: session", 2},
		{"is AVAILABLE", 1},
		{"is UNAVAILABLE DURATION_EXPIRED", 1},
		{"callback Reachability: device +99999990010 is DATA", 2},
		{"callback Reachability: device +99999990010 is SMS", 1},
		{"callback Reachability: device +99999990010 is DISCONNECTED", 1},
		{"callback Roaming: device +99999990020 roaming-on", 1},
		{"callback Roaming: device +99999990020 roaming-change-country", 1},
		{"callback Roaming: device +99999990020 roaming-off", 1},
		{"callback Roaming: device +123456789 roaming-status", 1}, // the duplicate, once
		{"callback SubscriptionStarted", 2},
		{"(MAX_EVENTS_REACHED)", 1},
		{"(SUBSCRIPTION_DELETED)", 1},
		{"reachability-data -> HTTP 401 Unauthorized", 1},
		{"roaming-status -> HTTP 204 No Content", 2}, // both copies acknowledged
		{"callback SliceStatus: slice sim-slice-lifecycle", 5},
		{"now PENDING (terminal=false)", 1},
		{"now OPERATING (terminal=false)", 1},
		{"delete completed, now DELETED (terminal=true)", 1},
		{"callback Geofence: device +99999990000 entered the CIRCLE of radius 2000 m", 1},
		{"callback Geofence: device +99999990000 left the CIRCLE", 1},
		{"done: 21 callbacks", 1},
	} {
		if n := strings.Count(got, want.line); n != want.count {
			t.Errorf("%q: got %d times, want %d", want.line, n, want.count)
		}
	}
	if t.Failed() {
		t.Log(got)
	}
}
