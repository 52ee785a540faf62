package anchors_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/cloudevents/sdk-go/v2/binding"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"

	"github.com/camarahooks/camarahooks/bench/anchors"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// BenchmarkDecodeQoD decodes the QoD 1.2 structured event three ways in one
// run; README reports the ratios to plain_json_unmarshal.
func BenchmarkDecodeQoD(b *testing.B) {
	body, err := receivertest.Fixture("qod-v1.2-qos-status-changed-network-terminated")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("plain_json_unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var v anchors.PlainQoD
			if err := json.Unmarshal(body, &v); err != nil || v.Data.QosStatus != "UNAVAILABLE" {
				b.Fatal(err)
			}
		}
	})
	b.Run("camarahooks_events_Parse", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			evs, err := events.Parse("application/cloudevents+json", nil, body)
			if err != nil || evs[0].(*events.QoSStatusChanged).Status != events.QoSStatusUnavailable {
				b.Fatal(err)
			}
		}
	})
	b.Run("sdk_binding_ToEvent_DataAs", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		header := http.Header{"Content-Type": {"application/cloudevents+json"}}
		ctx := context.Background()
		for b.Loop() {
			msg := cehttp.NewMessage(header, io.NopCloser(bytes.NewReader(body)))
			ev, err := binding.ToEvent(ctx, msg)
			if err != nil {
				b.Fatal(err)
			}
			var data anchors.QoDData
			if err := ev.DataAs(&data); err != nil || data.QosStatus != "UNAVAILABLE" {
				b.Fatal(err)
			}
		}
	})
}
