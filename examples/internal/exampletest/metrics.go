package exampletest

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/examples/backend"
	"github.com/camarahooks/camarahooks/otel/receiverotel"
)

// Metrics starts backend.Instrument on a loopback port for the length of t
// (as -metrics 127.0.0.1:0 does) and returns the instrumentation and a GET
// of the metrics listener, which answers a path with its status and body.
func Metrics(t *testing.T) (in *receiverotel.Instrumentation, get func(path string) (int, string)) {
	t.Helper()
	var diagOut SyncBuffer
	in, stop, err := backend.Instrument("127.0.0.1:0", slog.New(slog.NewJSONHandler(&diagOut, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop(context.Background()) })
	var addr string
	sc := bufio.NewScanner(strings.NewReader(diagOut.String()))
	for sc.Scan() {
		var rec struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "metrics" {
			addr = rec.Addr
		}
	}
	if addr == "" {
		t.Fatalf("no metrics address logged: %s", diagOut.String())
	}
	return in, func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
}
