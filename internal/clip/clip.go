// Package clip bounds the strings a sender controls (ids, types, sources,
// paths) before they reach a log record, a log line or a span attribute,
// so that a sender cannot write megabytes there. The receiver and
// receiverotel share it, each with its own bound (examples/eventlog keeps a
// copy, so that it can be copied out of the repository).
package clip

import "unicode/utf8"

// String returns s if it is at most max bytes long, else its first max
// bytes or fewer, cut on a UTF-8 boundary, followed by "...". max must not
// be negative.
func String(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
