package deploy

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/camarahooks/camarahooks/receiver/framing"
)

// Listen listens on addr (TCP) and accepts at most maxConns connections at
// once: Accept waits for a slot. Each connection is a file descriptor, and
// a sender that opens many and sends nothing (slowloris) would otherwise
// exhaust the process's descriptors until the server's ReadHeaderTimeout
// frees them; keep maxConns below the open-file limit (ulimit -n) minus the
// files the process needs. maxConns < 1 is an error.
func Listen(addr string, maxConns int) (net.Listener, error) {
	if maxConns < 1 {
		return nil, errors.New("deploy: the connection cap must be at least 1")
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &limitListener{Listener: l, slots: make(chan struct{}, maxConns)}, nil
}

// Serve serves h on ln, over TLS with tlsConfig unless it is nil (HTTP/2
// and HTTP/1.1 then), with read, write and idle timeouts, until ctx ends
// (SIGTERM, say). It then shuts down gracefully: it stops accepting,
// gives the requests in progress 10 s to finish, and calls each of
// shutdown (a receiver's Shutdown, so that /healthz answers 503 while it
// drains; a queue's) with what is left of those 10 s. It logs "listening"
// with the address on log first, and returns nil after a clean shutdown,
// else the first error.
func Serve(ctx context.Context, ln net.Listener, tlsConfig *tls.Config, h http.Handler, log *slog.Logger, shutdown ...func(context.Context) error) error {
	srv := &http.Server{Handler: h, TLSConfig: tlsConfig, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 15 * time.Second, IdleTimeout: time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelError)}
	log.Info("listening", "addr", ln.Addr().String(), "tls", tlsConfig != nil)
	served := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			served <- srv.ServeTLS(ln, "", "") // the certificate comes from tlsConfig
			return
		}
		// framing.Listener refuses (400, connection closed) a request
		// with both Content-Length and Transfer-Encoding, which net/http
		// would read as chunked on an open connection (request
		// smuggling through a proxy in front that frames by
		// Content-Length). Over TLS, a proxy in front terminates TLS and
		// comes here in plain HTTP, or passes TLS through without
		// framing requests; wrapping the TLS listener would also give
		// up HTTP/2.
		served <- srv.Serve(framing.Listener(ln))
	}()
	select {
	case err := <-served:
		return err // never http.ErrServerClosed: only Shutdown below causes that
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	errs := []error{srv.Shutdown(sctx)}
	for _, f := range shutdown {
		errs = append(errs, f(sctx))
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// limitListener accepts at most cap(slots) connections at once.
type limitListener struct {
	net.Listener
	slots chan struct{}
}

func (l *limitListener) Accept() (net.Conn, error) {
	l.slots <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.slots }}, nil
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
