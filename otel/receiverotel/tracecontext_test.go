package receiverotel_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/camarahooks/camarahooks/otel/receiverotel"
)

// spanContext returns a valid span context of the sender's ids.
func spanContext(t *testing.T, flags trace.TraceFlags, state string) trace.SpanContext {
	t.Helper()
	tid, err := trace.TraceIDFromHex(senderTrace)
	if err != nil {
		t.Fatal(err)
	}
	sid, err := trace.SpanIDFromHex(senderSpan)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := trace.ParseTraceState(state)
	if err != nil {
		t.Fatal(err)
	}
	return trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: flags, TraceState: ts})
}

func TestTraceContext(t *testing.T) {
	tests := []struct {
		name          string
		ctx           context.Context
		parent, state string
	}{
		{"no span", context.Background(), "", ""},
		{"invalid span context", trace.ContextWithSpanContext(context.Background(), trace.SpanContext{}), "", ""},
		{"sampled", trace.ContextWithSpanContext(context.Background(), spanContext(t, trace.FlagsSampled, "")),
			traceparent, ""},
		{"not sampled, tracestate kept", trace.ContextWithSpanContext(context.Background(), spanContext(t, 0, "vendor=abc,other=x")),
			"00-" + senderTrace + "-" + senderSpan + "-00", "vendor=abc,other=x"},
		{"random flag kept, others dropped", trace.ContextWithSpanContext(context.Background(), spanContext(t, 0xff, "")),
			"00-" + senderTrace + "-" + senderSpan + "-03", ""},
		{"remote span context", trace.ContextWithRemoteSpanContext(context.Background(), spanContext(t, trace.FlagsSampled, tracestate)),
			traceparent, tracestate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parent, state := receiverotel.TraceContext(tc.ctx)
			if parent != tc.parent || state != tc.state {
				t.Errorf("TraceContext = %q, %q; want %q, %q", parent, state, tc.parent, tc.state)
			}
			// The propagator writes the same headers.
			carrier := propagation.MapCarrier{}
			propagation.TraceContext{}.Inject(tc.ctx, carrier)
			if carrier["traceparent"] != parent || carrier["tracestate"] != state {
				t.Errorf("the propagator injects %v; TraceContext returned %q, %q", carrier, parent, state)
			}
		})
	}
}

func TestWithTraceContext(t *testing.T) {
	type key struct{}
	base := context.WithValue(context.Background(), key{}, "kept")
	tests := []struct {
		name          string
		parent, state string
		want          trace.SpanContext // invalid: ctx unchanged
	}{
		{"valid", traceparent, "", spanContext(t, trace.FlagsSampled, "")},
		{"tracestate kept", traceparent, "vendor=abc,other=x", spanContext(t, trace.FlagsSampled, "vendor=abc,other=x")},
		{"not sampled", "00-" + senderTrace + "-" + senderSpan + "-00", tracestate, spanContext(t, 0, tracestate)},
		{"invalid tracestate dropped", traceparent, "not a tracestate", spanContext(t, trace.FlagsSampled, "")},
		{"empty traceparent", "", tracestate, trace.SpanContext{}},
		{"truncated traceparent", traceparent[:54], "", trace.SpanContext{}},
		{"upper-case hex", "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + senderSpan + "-01", "", trace.SpanContext{}},
		{"zero trace id", "00-00000000000000000000000000000000-" + senderSpan + "-01", "", trace.SpanContext{}},
		{"version ff", "ff-" + senderTrace + "-" + senderSpan + "-01", "", trace.SpanContext{}},
		{"garbage", "not a traceparent at all, but long enough to be read as one", tracestate, trace.SpanContext{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := receiverotel.WithTraceContext(base, tc.parent, tc.state)
			if ctx.Value(key{}) != "kept" {
				t.Error("the context's values are lost")
			}
			got := trace.SpanContextFromContext(ctx)
			if !tc.want.IsValid() {
				if ctx != base {
					t.Errorf("ctx changed for an invalid traceparent: span context %v", got)
				}
				return
			}
			if want := tc.want.WithRemote(true); !got.Equal(want) {
				t.Errorf("span context %v (tracestate %q), want %v (tracestate %q)", got, got.TraceState(), want, want.TraceState())
			}
		})
	}
}

// TestTraceContextRoundTrip: what TraceContext returns, WithTraceContext
// reads back, the random flag included.
func TestTraceContextRoundTrip(t *testing.T) {
	sc := spanContext(t, trace.FlagsSampled|trace.FlagsRandom, tracestate)
	parent, state := receiverotel.TraceContext(trace.ContextWithSpanContext(context.Background(), sc))
	got := trace.SpanContextFromContext(receiverotel.WithTraceContext(context.Background(), parent, state))
	if !got.Equal(sc.WithRemote(true)) {
		t.Errorf("round trip: %v (tracestate %q), want %v", got, got.TraceState(), sc)
	}
}

// TestTraceContextAllocs: one allocation, traceparent's string, for a span
// without tracestate.
func TestTraceContextAllocs(t *testing.T) {
	ctx := trace.ContextWithSpanContext(context.Background(), spanContext(t, trace.FlagsSampled, ""))
	var parent string
	if n := testing.AllocsPerRun(100, func() { parent, _ = receiverotel.TraceContext(ctx) }); n > 1 {
		t.Errorf("TraceContext: %v allocations, want 1", n)
	}
	if parent != traceparent {
		t.Errorf("TraceContext = %q, want %q", parent, traceparent)
	}
}
