// Package deploy is what the example sinks (examples/nethttp,
// examples/echo) share to run in production: the sink token read from a
// file or the environment rather than argv, HTTPS with a certificate
// reloaded when its files change (or one from ACME), a readiness handler
// for GET /healthz, and a server with timeouts, a connection cap and a
// graceful shutdown.
//
//	flags := deploy.NewFlags(flag.CommandLine) // -token, -token-file, -tls-cert, -tls-key, -autocert, -autocert-cache
//	flag.Parse()
//	tokens, err := flags.TokenSet()            // refuses to start without a token
//	tlsConfig, err := flags.TLSConfig(logger)  // nil: plain HTTP
//	mux.Handle("GET /healthz", deploy.Health(rc, logger))
//	ln, err := deploy.Listen("127.0.0.1:8443", 512)   // at most 512 connections at once
//	err = deploy.Serve(ctx, ln, tlsConfig, mux, logger, rc.Shutdown) // until ctx ends, then drains
//
// It is a public package of the examples module, not internal, so that an
// example stays copyable: copy the example's main.go and this directory
// (it imports only the standard library, golang.org/x/crypto's autocert
// and camarahooks), or import it. The two examples differ only in their
// router; everything a deployment needs is written once, here.
package deploy
