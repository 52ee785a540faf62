package main

import (
	"bufio"
	"bytes"
	"net/http"
	"testing"
)

// nopWriter is a ResponseWriter that keeps nothing, so that only the
// handler's own work is measured.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}

// BenchmarkHandler runs each server's handler in process on a parsed
// request (no network, no HTTP parsing), with a distinct event id each
// time: the handler's CPU and allocations per request, for profiling with
// -cpuprofile and -memprofile.
func BenchmarkHandler(b *testing.B) {
	for _, mode := range []string{modeStructured, modeBinary} {
		for _, kind := range allKinds {
			b.Run(mode+"/"+kind, func(b *testing.B) {
				h, err := newHandler(kind, "")
				if err != nil {
					b.Fatal(err)
				}
				tmpl, err := newTemplate(mode, 0, false, false)
				if err != nil {
					b.Fatal(err)
				}
				ids := &idGen{nonce: 7}
				base, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(tmpl.buf)))
				if err != nil {
					b.Fatal(err)
				}
				body := tmpl.buf[len(tmpl.buf)-int(base.ContentLength):]
				idInBody := tmpl.idAt >= len(tmpl.buf)-len(body)
				w := &nopWriter{h: http.Header{}}
				rd := bytes.NewReader(body)
				b.ReportAllocs()
				for b.Loop() {
					ids.put(tmpl.buf[tmpl.idAt : tmpl.idAt+idWidth])
					r := base.Clone(base.Context())
					if !idInBody {
						r.Header.Set("Ce-Id", string(tmpl.buf[tmpl.idAt:tmpl.idAt+idWidth]))
					}
					rd.Reset(body)
					r.Body = readCloser{rd}
					clear(w.h)
					h.ServeHTTP(w, r)
				}
			})
		}
	}
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
