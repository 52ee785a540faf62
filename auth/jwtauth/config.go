package jwtauth

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/camarahooks/camarahooks/auth"
)

// Config configures a [Verifier]. Issuer and Audience are required; the
// zero value of every other field is the documented default.
type Config struct {
	// Issuer is the application's authorization server, exactly as its
	// tokens' "iss" claim spells it, e.g. "https://auth.example.com/".
	// Required. When JWKSURL is empty it is also where the key set is
	// discovered (OpenID Connect Discovery): Issuer (without a trailing
	// slash) + "/.well-known/openid-configuration", whose "issuer" must
	// equal Issuer and whose "jwks_uri" is used.
	Issuer string

	// Audience lists the values this sink accepts in the "aud" claim: a
	// token is accepted if its aud names at least one of them. Required,
	// none empty. Use the identifier your authorization server gives the
	// sink (often its URL).
	Audience []string

	// JWKSURL is the key set (JWKS) of the authorization server. If
	// empty, it is discovered from Issuer (see there). It, and a discovered
	// one, must be https, except on a loopback host (localhost, 127.0.0.0/8,
	// ::1), for development.
	JWKSURL string

	// Algorithms are the JWS algorithms accepted in the token's "alg"
	// header, among RS256, RS384, RS512, PS256, PS384, PS512, ES256,
	// ES384, ES512 and EdDSA. If nil, RS256, PS256 and ES256. "none" and
	// the HMAC algorithms (HS256, ...) are configuration errors: a
	// verifier holding only public keys must never accept them. Whatever
	// the list, a key is used only with its own family: RSA keys with
	// RS*/PS*, EC keys with the ES* of their curve, Ed25519 with EdDSA, and
	// a key's own "alg" member, when present, must equal the token's.
	Algorithms []string

	// ClockSkew is how far the clocks of the authorization server and this
	// process may disagree when exp, nbf and iat are checked. If zero, 30
	// seconds. Between 0 and 5 minutes; use a negative value for no skew.
	ClockSkew time.Duration

	// NameClaim is the claim whose value becomes the Principal's Name: a
	// non-empty string, else the token is refused (401). If empty, "sub"
	// (for client-credentials tokens, the client: the network). Use
	// "client_id" or "azp" if your server puts the client there.
	NameClaim string

	// SubscriptionsClaim, if not empty, is the claim that binds the token
	// to subscription ids, as auth.Credential.SubscriptionIDs binds a
	// static token: an array of strings, or one string of space-separated
	// ids (the "scope" form). Events of other subscriptions, and events
	// that name none, are refused with 403. A token without the claim is
	// bound to no subscription at all, so every event it carries is
	// refused (403): a configured binding fails closed. If empty (the
	// default), tokens are not bound and Principal.Subscriptions is nil.
	SubscriptionsClaim string

	// MinFetchInterval is the least time between two fetches of the key
	// set, whatever triggers them: a token signed by a key not in the
	// cache (key rotation) or the scheduled refresh. A flood of tokens with
	// made-up key ids thus costs the key server at most one request per
	// interval; a token whose key is unknown while the interval runs is
	// answered 503 (retry), not 401, since its key may be newer than the
	// cache. If zero, 1 minute.
	MinFetchInterval time.Duration

	// RefreshInterval is how old the cached key set may grow before the
	// next verification starts a refresh in the background (it goes on
	// with the cached keys meanwhile): a key the server removed stops being
	// accepted within RefreshInterval. If zero, 1 hour (or
	// MinFetchInterval, if that is longer). At least MinFetchInterval.
	RefreshInterval time.Duration

	// FetchTimeout bounds each HTTP request of a fetch (discovery, key
	// set). If zero, 10 seconds.
	FetchTimeout time.Duration

	// MaxKeySetBytes caps the size of a discovery document and of a key
	// set; a larger response is a fetch failure. If zero, 256 KiB.
	MaxKeySetBytes int64

	// HTTPClient makes the fetches (for a proxy, a private CA or mTLS).
	// If nil, a client with http.DefaultTransport that follows at most 5
	// redirects, each to a URL JWKSURL could be (https, or http on
	// loopback). FetchTimeout applies either way.
	HTTPClient *http.Client

	// ExtractOptions says where the token may be besides the standard
	// Authorization header (see auth.ExtractToken). The zero value: only
	// there.
	auth.ExtractOptions

	// Now is the clock for token times and fetch intervals. If nil,
	// time.Now. Tests inject a fake clock here.
	Now func() time.Time
}

// Defaults of Config, as documented on its fields.
const (
	defaultClockSkew        = 30 * time.Second
	maxClockSkew            = 5 * time.Minute
	defaultNameClaim        = "sub"
	defaultMinFetchInterval = time.Minute
	defaultRefreshInterval  = time.Hour
	defaultFetchTimeout     = 10 * time.Second
	defaultMaxKeySetBytes   = 256 << 10
)

var defaultAlgorithms = []string{"RS256", "PS256", "ES256"}

// supportedAlgorithms are the asymmetric JWS algorithms go-jose verifies.
var supportedAlgorithms = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

// withDefaults validates cfg and returns a copy with every default filled
// in and its slices copied.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.Issuer == "" {
		return cfg, errors.New("jwtauth: Config.Issuer is required")
	}
	if len(cfg.Audience) == 0 {
		return cfg, errors.New("jwtauth: Config.Audience is required: the aud values this sink accepts")
	}
	if slices.Contains(cfg.Audience, "") {
		return cfg, errors.New("jwtauth: Config.Audience has an empty value")
	}
	cfg.Audience = slices.Clone(cfg.Audience)
	if cfg.JWKSURL != "" {
		if err := checkFetchURL(cfg.JWKSURL); err != nil {
			return cfg, fmt.Errorf("jwtauth: Config.JWKSURL: %w", err)
		}
	} else if err := checkFetchURL(cfg.Issuer); err != nil {
		return cfg, fmt.Errorf("jwtauth: Config.Issuer (used for discovery, as JWKSURL is empty): %w", err)
	}

	if cfg.Algorithms == nil {
		cfg.Algorithms = defaultAlgorithms
	}
	if len(cfg.Algorithms) == 0 {
		return cfg, errors.New("jwtauth: Config.Algorithms is empty (nil means the default)")
	}
	for _, a := range cfg.Algorithms {
		switch {
		case strings.EqualFold(a, "none"):
			return cfg, errors.New(`jwtauth: Config.Algorithms: "none" is never accepted`)
		case strings.HasPrefix(strings.ToUpper(a), "HS"):
			return cfg, fmt.Errorf("jwtauth: Config.Algorithms: %q is HMAC, never accepted with public keys", a)
		case !slices.Contains(supportedAlgorithms, a):
			return cfg, fmt.Errorf("jwtauth: Config.Algorithms: %q is not one of %s", a, strings.Join(supportedAlgorithms, ", "))
		}
	}
	cfg.Algorithms = slices.Clone(cfg.Algorithms)

	switch {
	case cfg.ClockSkew == 0:
		cfg.ClockSkew = defaultClockSkew
	case cfg.ClockSkew < 0:
		cfg.ClockSkew = 0
	case cfg.ClockSkew > maxClockSkew:
		return cfg, fmt.Errorf("jwtauth: Config.ClockSkew %v is over %v", cfg.ClockSkew, maxClockSkew)
	}
	if cfg.NameClaim == "" {
		cfg.NameClaim = defaultNameClaim
	}
	if cfg.MinFetchInterval == 0 {
		cfg.MinFetchInterval = defaultMinFetchInterval
	}
	if cfg.RefreshInterval == 0 {
		cfg.RefreshInterval = max(defaultRefreshInterval, cfg.MinFetchInterval)
	}
	if cfg.FetchTimeout == 0 {
		cfg.FetchTimeout = defaultFetchTimeout
	}
	if cfg.MaxKeySetBytes == 0 {
		cfg.MaxKeySetBytes = defaultMaxKeySetBytes
	}
	switch {
	case cfg.MinFetchInterval < 0, cfg.RefreshInterval < 0, cfg.FetchTimeout < 0, cfg.MaxKeySetBytes < 0:
		return cfg, errors.New("jwtauth: Config has a negative interval, timeout or size")
	case cfg.RefreshInterval < cfg.MinFetchInterval:
		return cfg, fmt.Errorf("jwtauth: Config.RefreshInterval %v is shorter than MinFetchInterval %v", cfg.RefreshInterval, cfg.MinFetchInterval)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{CheckRedirect: checkRedirect}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg, nil
}

// checkFetchURL reports whether keys may be fetched from raw: an absolute
// https URL, or http on a loopback host. Keys fetched over plain HTTP from
// elsewhere could be replaced by anyone on the path, who could then sign
// tokens of their own.
func checkFetchURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("not a URL")
	}
	if u.Host == "" {
		return errors.New("not an absolute URL")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return errors.New("http is allowed only on a loopback host; use https")
	}
	return errors.New("the scheme must be https")
}

// maxRedirects is how many redirects the default client follows.
const maxRedirects = 5

// checkRedirect keeps the default client's redirects to URLs keys may be
// fetched from: an https key set must not be sent on to plain http.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return errors.New("too many redirects")
	}
	if err := checkFetchURL(req.URL.String()); err != nil {
		return fmt.Errorf("redirected: %w", err)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
