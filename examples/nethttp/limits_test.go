package main

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
)

// TestEventLineIsBounded: a sender-chosen id of 900 KiB is cut in the log
// line, which stays within a few hundred bytes.
func TestEventLineIsBounded(t *testing.T) {
	huge := strings.Repeat("x", 900<<10)
	body := `{"id":"` + huge + `","source":"s","specversion":"1.0","type":"org.camaraproject.quality-on-demand.v1.qos-status-changed",` +
		`"data":{"sessionId":"` + huge + `","qosStatus":"AVAILABLE"}}`
	evs, err := events.Parse("application/cloudevents+json", nil, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	slog.New(slog.NewJSONHandler(&out, nil)).LogAttrs(context.Background(), slog.LevelInfo, "notification", eventAttrs(evs[0])...)
	if out.Len() > 1024 {
		t.Fatalf("log line of %d bytes for a 900 KiB id, want at most 1 KiB", out.Len())
	}
	if !strings.Contains(out.String(), strings.Repeat("x", maxAttr)+"...") {
		t.Errorf("the id is not cut to %d bytes with ...: %.200s", maxAttr, out.String())
	}
}

// TestLimitListener: with two slots, a third connection is accepted only
// once one of the first two is closed.
func TestLimitListener(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &limitListener{Listener: l, slots: make(chan struct{}, 2)}
	defer ln.Close()
	accepted := make(chan net.Conn, 3)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	for range 3 {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	first := <-accepted
	<-accepted
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted while two were open")
	case <-time.After(200 * time.Millisecond): // a bound on waiting for something that must not happen
	}
	first.Close()
	first.Close() // a second Close must not free a second slot
	select {
	case c := <-accepted:
		c.Close()
	case <-time.After(10 * time.Second):
		t.Fatal("the third connection was not accepted after one closed")
	}
}
