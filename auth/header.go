package auth

import (
	"net/http"
	"net/url"
	"strings"
)

// ExtractOptions says where [ExtractToken] accepts a
// bearer token besides the standard "Authorization: Bearer <token>" header.
// The zero value accepts only the standard header. ExtractOptions is a plain
// value, safe to copy and share.
type ExtractOptions struct {
	// AllowDoubledBearer accepts "Bearer Bearer <token>", which older Network
	// as Code SDKs send when given a token that already starts with
	// "Bearer ". If false (the default), such a header is errMalformedToken.
	AllowDoubledBearer bool

	// AllowQueryToken accepts the token in the access_token query parameter,
	// as the CloudEvents webhook specification allows ([RFC 6750] section
	// 2.3), when the request offers no bearer token in its Authorization
	// header (none, or another scheme such as Basic, which a proxy may have
	// added). A bearer token in both places is errMalformedToken. If false
	// (the default), the parameter is ignored. When enabled, never log raw URLs:
	// log [RedactURL] instead.
	//
	// [RFC 6750]: https://www.rfc-editor.org/rfc/rfc6750#section-2.3
	AllowQueryToken bool
}

// queryParam is the query parameter of RFC 6750 section 2.3.
const queryParam = "access_token"

// ExtractToken returns the bearer token presented by r, following opts.
//
// Rules: exactly one Authorization header; its scheme is "Bearer" in any
// case; whitespace (spaces, tabs) around the scheme and the token is
// ignored; the token is printable ASCII (bytes 0x21 to 0x7E: no
// whitespace, control characters or non-ASCII bytes, which HTTP clients
// encode inconsistently and which could hide Unicode spaces). A
// request with no Authorization header, an empty one, or one with another
// scheme yields [ErrMissingToken]; anything else that breaks the rules
// yields [errMalformedToken]. With opts.AllowQueryToken, a request with no
// bearer token in its Authorization header may carry the token in exactly
// one access_token query parameter; a token in both places is
// errMalformedToken ([RFC 6750] section 2: clients must use one method). A
// nil r yields ErrMissingToken.
//
// ExtractToken is safe for concurrent use. The returned token is not
// verified: compare it in constant time (a [TokenSet] does).
//
// [RFC 6750]: https://www.rfc-editor.org/rfc/rfc6750#section-2
func ExtractToken(r *http.Request, opts ExtractOptions) (Token, error) {
	if r == nil {
		return "", ErrMissingToken
	}
	// Direct map access: the key is already canonical, and Header.Values
	// would hide a repeated header.
	hs := r.Header["Authorization"]
	if len(hs) > 1 {
		return "", errMalformedToken
	}
	var tok Token
	var err error = ErrMissingToken
	if len(hs) == 1 {
		tok, err = parseAuthorization(hs[0], opts)
	}
	if !opts.AllowQueryToken || r.URL == nil {
		return tok, err
	}
	q, found, qerr := queryToken(r.URL.RawQuery)
	switch {
	case !found:
		return tok, err
	case len(hs) == 1 && err != ErrMissingToken:
		// A bearer token in the header and one in the query: ambiguous.
		return "", errMalformedToken
	case qerr != nil:
		return "", qerr
	default:
		return q, nil
	}
}

// parseAuthorization parses the value of an Authorization header (see
// ExtractToken for the rules; opts.AllowQueryToken is irrelevant here). The
// returned token is a substring of header and never empty on success.
func parseAuthorization(header string, opts ExtractOptions) (Token, error) {
	h := trimSpace(header)
	if h == "" {
		return "", ErrMissingToken
	}
	scheme, rest := cutSpace(h)
	if !strings.EqualFold(scheme, "Bearer") {
		// Another scheme (Basic, Digest, ...): no bearer token was offered.
		// RFC 6750 section 3.1 asks for a challenge without an error code.
		return "", ErrMissingToken
	}
	if rest == "" {
		return "", errMalformedToken
	}
	tok, after := cutSpace(rest)
	if after != "" {
		// "Bearer Bearer <t>": accepted only when enabled, and only once.
		if !opts.AllowDoubledBearer || !strings.EqualFold(tok, "Bearer") {
			return "", errMalformedToken
		}
		tok, after = cutSpace(after)
		if after != "" {
			return "", errMalformedToken
		}
	}
	if !validToken(tok) {
		return "", errMalformedToken
	}
	return Token(tok), nil
}

// queryToken finds the access_token parameter in a raw query without
// building a url.Values map. found reports whether the parameter occurs;
// err is errMalformedToken when it occurs more than once, is empty, cannot
// be unescaped, or is not a valid token.
func queryToken(rawQuery string) (tok Token, found bool, err error) {
	var val string
	for rawQuery != "" {
		var kv string
		kv, rawQuery, _ = strings.Cut(rawQuery, "&")
		k, v, _ := strings.Cut(kv, "=")
		if k != queryParam {
			continue
		}
		if found {
			return "", true, errMalformedToken
		}
		found, val = true, v
	}
	if !found {
		return "", false, nil
	}
	if strings.ContainsAny(val, "%+") {
		u, uerr := url.QueryUnescape(val)
		if uerr != nil {
			return "", true, errMalformedToken
		}
		val = u
	}
	if !validToken(val) {
		return "", true, errMalformedToken
	}
	return Token(val), true, nil
}

// validToken reports whether s can be a token: non-empty, and every byte is
// printable ASCII (0x21 to 0x7E). That is wider than RFC 6750's b64token,
// so any token an application generates can be used, yet excludes
// whitespace of every kind (also Unicode's, such as NEL and NBSP), control
// characters and bytes whose meaning depends on the client's header
// encoding. Configured tokens are held to the same rule, so every
// configured token can be presented.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// isSpace reports whether c is HTTP optional whitespace (RFC 9110 OWS).
func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// trimSpace removes leading and trailing spaces and tabs.
func trimSpace(s string) string {
	for s != "" && isSpace(s[0]) {
		s = s[1:]
	}
	for s != "" && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// cutSpace splits s (which has no leading whitespace) at its first run of
// whitespace: the word before it, and the rest after it (trimmed on the left).
func cutSpace(s string) (word, rest string) {
	i := 0
	for i < len(s) && !isSpace(s[i]) {
		i++
	}
	word, rest = s[:i], s[i:]
	for rest != "" && isSpace(rest[0]) {
		rest = rest[1:]
	}
	return word, rest
}
