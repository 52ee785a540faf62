package redisdedup_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/internal/redistest"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// BenchmarkReceiverDedup serves distinct structured QoD events through the
// receiver with deduplication off, on the in-memory store, and on Redis over
// loopback, with the receiver's asynchronous commit and with every commit
// awaited (the Store seen as a plain dedup.Store), in one run. One request
// at a time: the Redis cases measure round trips more than CPU (the load
// benchmark measures CPU).
func BenchmarkReceiverDedup(b *testing.B) {
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: replicaToken}}})
	if err != nil {
		b.Fatal(err)
	}
	noop := receiver.Handlers{QoSStatusChanged: func(context.Context, *events.QoSStatusChanged) error { return nil }}
	run := func(b *testing.B, d receiver.DedupConfig) {
		rc, err := receiver.New(receiver.Config{Verifier: ts, Dedup: d, Handler: noop})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			body := `{"id":"` + strconv.Itoa(i) + `","source":"/qod","type":"org.camaraproject.quality-on-demand.v1.qos-status-changed",` +
				`"specversion":"1.0","data":{"sessionId":"s","qosStatus":"AVAILABLE"}}`
			req := httptest.NewRequest(http.MethodPost, "/qod", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+replicaToken)
			req.Header.Set("Content-Type", "application/cloudevents+json")
			rec := httptest.NewRecorder()
			rc.ServeHTTP(rec, req)
			if rec.Code != 204 {
				b.Fatalf("status %d", rec.Code)
			}
		}
	}
	b.Run("off", func(b *testing.B) { run(b, receiver.DedupConfig{Disabled: true}) })
	b.Run("memory", func(b *testing.B) {
		mem, err := dedup.NewMemory(dedup.MemoryConfig{})
		if err != nil {
			b.Fatal(err)
		}
		run(b, receiver.DedupConfig{Store: mem})
	})
	b.Run("redis", func(b *testing.B) {
		addr := redistest.Start(b)
		run(b, receiver.DedupConfig{Store: newStore(b, newClient(b, addr, nil), "bench:"+strconv.Itoa(b.N)+":")})
	})
	b.Run("redis-synccommit", func(b *testing.B) {
		addr := redistest.Start(b)
		store := newStore(b, newClient(b, addr, nil), "bench-sync:"+strconv.Itoa(b.N)+":")
		run(b, receiver.DedupConfig{Store: struct{ dedup.Store }{store}})
	})
}
