package otelprom_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/otel/otelprom"
	"github.com/camarahooks/camarahooks/otel/receiverotel"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// scrape sends one notification through a receiver measured by prom's
// provider and returns what prom serves.
func scrape(t *testing.T, prom *otelprom.Exporter) string {
	t.Helper()
	in, err := receiverotel.New(receiverotel.Config{MeterProvider: prom.MeterProvider()})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "tok-0123456789"}}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{Verifier: tokens, Handler: in.Handler(receiver.Handlers{}), Observe: in.Observe})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, receivertest.NewRequest("/qod", receivertest.Notification{Token: "tok-0123456789"}))
	if w.Code != http.StatusNoContent {
		t.Fatalf("status %d", w.Code)
	}
	srv := httptest.NewServer(prom)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %d %v", resp.StatusCode, err)
	}
	return string(b)
}

func TestPrivateRegistry(t *testing.T) {
	prom, err := otelprom.New(otelprom.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer prom.Shutdown(context.Background())
	body := scrape(t, prom)
	for _, want := range []string{
		`camarahooks_receiver_received_total{camarahooks_outcome="accepted",camarahooks_status_class="2xx",cloudevents_event_type="org.camaraproject.qod.v0.qos-status-changed",messaging_system="camara"`,
		`messaging_process_duration_seconds_count{cloudevents_event_type="org.camaraproject.qod.v0.qos-status-changed",messaging_operation_name="process",messaging_system="camara"`,
		`messaging_process_duration_seconds_bucket{`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s\n%s", want, body)
		}
	}
	if strings.Contains(body, "go_goroutines") {
		t.Error("the private registry serves the global one's Go metrics")
	}
}

func TestGlobalRegisterer(t *testing.T) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector())
	prom, err := otelprom.New(otelprom.Config{Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	defer prom.Shutdown(context.Background())
	body := scrape(t, prom)
	if !strings.Contains(body, "go_goroutines") || !strings.Contains(body, "camarahooks_receiver_received_total") {
		t.Errorf("the given registry's and the receiver's metrics are not both served:\n%s", body)
	}
	if _, err := otelprom.New(otelprom.Config{Registerer: onlyRegisterer{reg}}); !errors.Is(err, otelprom.ErrNotGatherer) {
		t.Errorf("New with a bare Registerer: %v, want ErrNotGatherer", err)
	}
}

// onlyRegisterer hides the Gatherer of a registry.
type onlyRegisterer struct{ r prometheus.Registerer }

func (o onlyRegisterer) Register(c prometheus.Collector) error   { return o.r.Register(c) }
func (o onlyRegisterer) MustRegister(cs ...prometheus.Collector) { o.r.MustRegister(cs...) }
func (o onlyRegisterer) Unregister(c prometheus.Collector) bool  { return o.r.Unregister(c) }
