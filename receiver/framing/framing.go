package framing

import (
	"bytes"
	"errors"
	"net"
	"strconv"
	"strings"
)

// Listener returns l with every accepted connection guarded as the package
// documentation describes. Closing it closes l.
func Listener(l net.Listener) net.Listener { return listener{l} }

type listener struct{ net.Listener }

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &conn{Conn: c}, nil
}

// Limits, as net/http applies them: a head (request line and headers) up
// to its default MaxHeaderBytes plus the 4 KiB it allows beyond, a chunk
// size line up to 4 KiB.
const (
	maxHead      = 1<<20 + 4096
	maxChunkLine = 4096
)

// state is where a connection is in the framing of its requests.
type state uint8

const (
	inHead      state = iota // reading a request line and headers
	inBody                   // remaining bytes of a Content-Length body
	inChunkLine              // a chunk size line
	inChunkData              // remaining bytes of a chunk
	inChunkEnd               // the CRLF after a chunk's data
	inTrailer                // trailer lines after the last chunk
	refused                  // a request with both headers was handed on; nothing more
	broken                   // framing net/http would refuse too; the connection ends
)

// errBroken ends a connection whose framing net/http would refuse.
var errBroken = errors.New("framing: the request's framing is not HTTP/1.1 as net/http reads it")

// conn follows the framing of the requests read through it.
type conn struct {
	net.Conn
	st        state
	n         int64  // bytes left in inBody, inChunkData, inChunkEnd
	pending   []byte // bytes of the head or line being read, not yet handed on
	lineStart int    // of the head's current line in pending
	out       []byte // out[off:] is ready for Read
	off       int
	scratch   [4096]byte
}

func (c *conn) Read(p []byte) (int, error) {
	for len(c.out) == c.off {
		if c.st == refused || c.st == broken {
			return 0, errBroken
		}
		n, err := c.Conn.Read(c.scratch[:])
		c.feed(c.scratch[:n])
		if err != nil && len(c.out) == c.off {
			return 0, err
		}
		if err != nil {
			break // hand on what is ready; the error comes back next time
		}
	}
	n := copy(p, c.out[c.off:])
	if c.off += n; c.off == len(c.out) {
		c.out, c.off = c.out[:0], 0 // drained: the array is reused
	}
	return n, nil
}

// feed runs b through the framing, appending to c.out what may be read.
func (c *conn) feed(b []byte) {
	for len(b) > 0 {
		switch c.st {
		case inHead:
			b = c.head(b)
		case inBody, inChunkData:
			k := min(int64(len(b)), c.n)
			c.out = append(c.out, b[:k]...)
			b, c.n = b[k:], c.n-k
			if c.n == 0 {
				if c.st == inBody {
					c.st = inHead
				} else {
					c.st, c.n = inChunkEnd, 2
				}
			}
		case inChunkEnd:
			if b[0] != "\r\n"[2-c.n] {
				c.st = broken
				return
			}
			c.out = append(c.out, b[0])
			b = b[1:]
			if c.n--; c.n == 0 {
				c.st = inChunkLine
			}
		case inChunkLine, inTrailer:
			b = c.line(b)
		default: // refused, broken: the connection ends
			return
		}
	}
}

// head gathers a request head, line by line; once complete it decides
// the body's framing, hands the head on, and returns the rest of b.
func (c *conn) head(b []byte) []byte {
	for len(b) > 0 {
		j := bytes.IndexByte(b, '\n')
		if j < 0 {
			c.pending = append(c.pending, b...)
			if len(c.pending) > maxHead {
				c.st = broken
			}
			return nil
		}
		c.pending = append(c.pending, b[:j+1]...)
		b = b[j+1:]
		// The head ends at a line that is empty once its "\n" and "\r"
		// are removed, after the request line (textproto reads lines so).
		line := c.pending[c.lineStart : len(c.pending)-1]
		blank := c.lineStart > 0 && (len(line) == 0 || len(line) == 1 && line[0] == '\r')
		c.lineStart = len(c.pending)
		if len(c.pending) > maxHead {
			c.st = broken
			return nil
		}
		if blank {
			c.decide(c.pending)
			if c.st != refused && c.st != broken {
				c.out = append(c.out, c.pending...)
			}
			c.pending, c.lineStart = c.pending[:0], 0
			if c.st == refused || c.st == broken {
				return nil
			}
			return b
		}
	}
	return nil
}

// decide reads the framing headers of head and sets the state for its
// body, or refused (with the refusing head in c.out) or broken.
func (c *conn) decide(head []byte) {
	lines := strings.Split(string(head), "\n")
	version := requestVersion(strings.TrimSuffix(lines[0], "\r"))
	if version < 0 {
		c.st = broken
		return
	}
	var lengths []string
	te, hasTE := "", false
	last := ""
	for _, l := range lines[1:] {
		l = strings.TrimSuffix(l, "\r")
		if l == "" {
			break
		}
		if l[0] == ' ' || l[0] == '\t' { // a continuation line
			if last == "te" {
				te += " " + strings.TrimSpace(l)
			}
			continue
		}
		name, value, ok := strings.Cut(l, ":")
		last = ""
		if !ok {
			continue // net/http refuses the head
		}
		switch {
		case strings.EqualFold(name, "Content-Length"):
			lengths = append(lengths, strings.TrimSpace(value))
		case strings.EqualFold(name, "Transfer-Encoding"):
			if hasTE {
				c.st = broken // net/http answers 501 and closes
				return
			}
			te, hasTE, last = strings.TrimSpace(value), true, "te"
		}
	}
	switch {
	case hasTE && len(lengths) > 0:
		// Ambiguous framing: net/http refuses two different lengths with
		// 400 and closes, having read no body.
		c.out = append(c.out, lines[0]...)
		c.out = append(c.out, "\nContent-Length: 0\r\nContent-Length: 1\r\n\r\n"...)
		c.st = refused
	case hasTE && version >= 1:
		if !strings.EqualFold(strings.TrimSpace(te), "chunked") {
			c.st = broken // net/http answers 501 and closes
			return
		}
		c.st = inChunkLine
	case len(lengths) > 0:
		for _, l := range lengths[1:] {
			if l != lengths[0] {
				c.st = broken // net/http answers 400 and closes
				return
			}
		}
		n, err := strconv.ParseUint(lengths[0], 10, 63)
		if err != nil {
			c.st = broken
			return
		}
		c.st, c.n = inBody, int64(n)
		if n == 0 {
			c.st = inHead
		}
	default:
		c.st = inHead // HTTP/1.0 ignores Transfer-Encoding; no body
	}
}

// requestVersion returns y of the HTTP/1.y that ends the request line, or
// -1 for anything else.
func requestVersion(line string) int {
	i := strings.LastIndexByte(line, ' ')
	if i < 0 {
		return -1
	}
	switch line[i+1:] {
	case "HTTP/1.0":
		return 0
	case "HTTP/1.1":
		return 1
	}
	return -1
}

// line gathers a chunk size line or a trailer line; once complete it
// hands it on, moves the state on, and returns the rest of b.
func (c *conn) line(b []byte) []byte {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		c.pending = append(c.pending, b...)
		if len(c.pending) > maxChunkLine && c.st == inChunkLine || len(c.pending) > maxHead {
			c.st = broken
		}
		return nil
	}
	c.pending = append(c.pending, b[:i+1]...)
	b = b[i+1:]
	l := bytes.TrimRight(c.pending, " \t\r\n")
	if c.st == inTrailer {
		if len(l) == 0 {
			c.st = inHead
		}
	} else {
		if j := bytes.IndexByte(l, ';'); j >= 0 {
			l = l[:j]
		}
		n, err := strconv.ParseUint(string(l), 16, 63)
		switch {
		case err != nil || len(l) > 16:
			c.st = broken
			return nil
		case n == 0:
			c.st = inTrailer
		default:
			c.st, c.n = inChunkData, int64(n)
		}
	}
	c.out = append(c.out, c.pending...)
	c.pending = c.pending[:0]
	return b
}
