package auth

import (
	"net/url"
	"strings"
)

// RedactURL returns u as a string for logging, with the value of every
// access_token query parameter replaced by "REDACTED" and any password in
// the user info redacted (as [url.URL.Redacted] does). Parameter names are
// matched after unescaping and regardless of case, and both '&' and ';'
// separators are honoured, so that a token smuggled in a variant spelling is
// hidden too; the order of parameters is kept.
//
// Log RedactURL(r.URL) instead of r.URL or r.RequestURI whenever
// [ExtractOptions.AllowQueryToken] is enabled. A nil u yields "". u is not
// modified; RedactURL is safe for concurrent use.
func RedactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.RawQuery = redactQuery(u.RawQuery)
	return c.Redacted()
}

// redactQuery replaces the values of access_token parameters in a raw query.
func redactQuery(q string) string {
	var b strings.Builder
	b.Grow(len(q))
	for q != "" {
		i := strings.IndexAny(q, "&;")
		part, sep := q, ""
		if i >= 0 {
			part, sep, q = q[:i], q[i:i+1], q[i+1:]
		} else {
			q = ""
		}
		k, _, hasValue := strings.Cut(part, "=")
		if name, err := url.QueryUnescape(k); (err == nil && strings.EqualFold(name, queryParam)) ||
			strings.EqualFold(k, queryParam) {
			b.WriteString(k)
			if hasValue {
				b.WriteString("=REDACTED")
			}
		} else {
			b.WriteString(part)
		}
		b.WriteString(sep)
	}
	return b.String()
}
