// Package framing closes a request-smuggling hole that no http.Handler can:
// an HTTP/1.1 request with both Content-Length and Transfer-Encoding.
//
// RFC 9112 section 6.3 says such a request "ought to be handled as an
// error", and that a server that processes it anyway MUST close the
// connection after responding. net/http reads it as chunked, deletes
// Content-Length before the handler runs, and keeps the connection open
// (transfer.go, fixLength), so the handler cannot tell; and a proxy in
// front that frames the request by its Content-Length would then disagree
// with the server about where the next request starts: the bytes after the
// chunked body are read as a request the proxy never saw (or, the other
// way, the next client's request is read as part of this body).
//
// [Listener] wraps a net.Listener: each connection follows the HTTP/1.1
// framing of the requests it carries (request line and headers, then a
// Content-Length or chunked body, as net/http reads them) and hands a
// request with both headers to net/http with one more, different
// Content-Length, which net/http refuses with 400 Bad Request before
// reading any body, and then closes the connection. Requests net/http would
// refuse anyway (a bad Content-Length, a transfer coding other than
// chunked, malformed chunks, a head over 1 MiB + 4 KiB, net/http's default
// MaxHeaderBytes) end the connection when their bytes are read. Everything
// else passes unchanged, byte for byte; the cost is one pass over each
// byte.
//
// Use it on the listener whose connections carry plain HTTP/1.1, as the
// examples do:
//
//	l, err := net.Listen("tcp", addr)
//	...
//	err = srv.Serve(framing.Listener(l))
//
// With TLS, the bytes below tls.Conn are encrypted: wrap the TLS listener
// instead, framing.Listener(tls.NewListener(l, cfg)), and call Serve; net/http
// then does not see a *tls.Conn, so it neither negotiates HTTP/2 (which has
// no such ambiguity) nor sets Request.TLS. It is not for connections that a
// handler hijacks (WebSocket, say): their bytes after the hijack are not
// HTTP requests. A server that raises MaxHeaderBytes above the default
// must know that heads over 1 MiB + 4 KiB end the connection here.
package framing
