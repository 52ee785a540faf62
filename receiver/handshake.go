package receiver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// HandshakeConfig turns on the abuse-protection handshake of the CloudEvents
// [HTTP 1.1 Web Hooks for Event Delivery] specification (section 4): a
// sender asks with OPTIONS and WebHook-Request-Origin whether it may deliver
// here, and the receiver grants it with WebHook-Allowed-Origin and
// WebHook-Allowed-Rate. The zero value leaves it off: OPTIONS is answered
// like any method but POST, 405 with Allow: POST.
//
// The validation request needs no token: senders send it before they
// deliver, and it grants nothing but consent to receive; every delivery is
// still verified. Its answers go through the outcome table as
// [OutcomeHandshake] and [OutcomeHandshakeRefused].
//
// [HTTP 1.1 Web Hooks for Event Delivery]: https://github.com/cloudevents/spec/blob/main/cloudevents/http-webhook.md
type HandshakeConfig struct {
	// AllowedOrigins lists the origins granted, each compared with the
	// whole WebHook-Request-Origin value, ignoring letter case as DNS
	// names do: "example.com" admits neither "example.com.evil.net" nor
	// "api.example.com" (sdk-go's prefix match admits the first). "*"
	// grants every origin and is answered as "*". If empty, the handshake
	// is off. An empty entry, or one with white space, is an error.
	AllowedOrigins []string

	// AllowedRate is the WebHook-Allowed-Rate granted, in requests per
	// minute, sent with every grant (the specification requires it when
	// the sender asked for a rate with WebHook-Request-Rate, and
	// recommends it otherwise). If zero, "*": no limit. Negative is an
	// error.
	AllowedRate int

	// CallbackHosts lists the hosts (host or host:port, exactly as in the
	// URL, letter case aside) whose WebHook-Request-Callback URL the
	// receiver confirms with an HTTPS GET, for senders that wait for the
	// callback rather than read the answer's headers. Only an https URL of
	// a listed host, from an origin that is granted, is fetched; no
	// redirect is followed; one callback runs at a time (a request that
	// finds one running gets its answer without a callback); each is
	// bounded by 10s and the request's context. The grant is answered in
	// the headers as well. If empty, no URL is ever fetched: a callback
	// URL is the sender's to choose, and fetching any would let anyone
	// make the receiver send requests inside its network.
	CallbackHosts []string

	// CallbackClient fetches the callbacks; its CheckRedirect is replaced
	// by one that follows no redirect. If nil, a client with the default
	// transport.
	CallbackClient *http.Client
}

// handshake is the checked HandshakeConfig of a Receiver.
type handshake struct {
	any     bool     // "*" is allowed
	origins []string // otherwise these, exactly
	rate    string   // the WebHook-Allowed-Rate value
	hosts   []string // lower case
	client  *http.Client
	running chan struct{} // holds a token while a callback runs
}

// callbackTimeout bounds one callback request.
const callbackTimeout = 10 * time.Second

// newHandshake checks cfg; it returns nil when the handshake is off.
func newHandshake(cfg HandshakeConfig) (*handshake, error) {
	if len(cfg.AllowedOrigins) == 0 {
		if len(cfg.CallbackHosts) > 0 || cfg.AllowedRate != 0 {
			return nil, errors.New("receiver: Handshake.CallbackHosts or AllowedRate is set without AllowedOrigins")
		}
		return nil, nil
	}
	h := &handshake{rate: "*", running: make(chan struct{}, 1)}
	for _, o := range cfg.AllowedOrigins {
		if o == "" || strings.ContainsAny(o, " \t\r\n") {
			return nil, fmt.Errorf("receiver: Handshake.AllowedOrigins holds %q, which no origin can be", o)
		}
		if o == "*" {
			h.any = true
		}
		h.origins = append(h.origins, o)
	}
	switch {
	case cfg.AllowedRate < 0:
		return nil, errors.New("receiver: Handshake.AllowedRate is negative")
	case cfg.AllowedRate > 0:
		h.rate = strconv.Itoa(cfg.AllowedRate)
	}
	for _, host := range cfg.CallbackHosts {
		if host == "" || strings.ContainsAny(host, " \t\r\n/@?#") {
			return nil, fmt.Errorf("receiver: Handshake.CallbackHosts holds %q, which is no host", host)
		}
		h.hosts = append(h.hosts, strings.ToLower(host))
	}
	c := http.Client{}
	if cfg.CallbackClient != nil {
		c = *cfg.CallbackClient
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	h.client = &c
	return h, nil
}

// grant is what a validation request was granted.
type grant struct {
	origin, rate string
}

// validate judges a validation request: OutcomeHandshake with the grant
// when the origin is allowed, OutcomeHandshakeRefused otherwise.
func (h *handshake) validate(ctx context.Context, r *http.Request) verdict {
	v := verdict{outcome: OutcomeHandshakeRefused, index: -1}
	origins := r.Header.Values("WebHook-Request-Origin")
	switch {
	case len(origins) == 0:
		v.message = "a validation request names its origin in WebHook-Request-Origin"
		return v
	case len(origins) > 1:
		v.message = "WebHook-Request-Origin is sent more than once"
		return v
	}
	origin := strings.TrimSpace(origins[0])
	if origin == "" {
		v.message = "a validation request names its origin in WebHook-Request-Origin"
		return v
	}
	v.grant = grant{origin: "*", rate: h.rate}
	if !h.any {
		if !slices.ContainsFunc(h.origins, func(o string) bool { return strings.EqualFold(o, origin) }) {
			return v
		}
		v.grant.origin = origin
	}
	v.outcome = OutcomeHandshake
	if cb := r.Header.Get("WebHook-Request-Callback"); cb != "" {
		v.err = h.callback(ctx, cb)
	}
	return v
}

// errCallbackNotAllowed: the callback URL is not https or its host is not
// listed in CallbackHosts; it was not fetched.
var errCallbackNotAllowed = errors.New("receiver: webhook callback not fetched: not an https URL of a host in Handshake.CallbackHosts")

// callback confirms a grant by fetching rawURL, if CallbackHosts allows
// it. Its error is only logged: the answer grants in its headers too.
func (h *handshake) callback(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" || u.User != nil || !slices.Contains(h.hosts, strings.ToLower(u.Host)) {
		return errCallbackNotAllowed
	}
	select {
	case h.running <- struct{}{}:
		defer func() { <-h.running }()
	default:
		return errors.New("receiver: webhook callback not fetched: another one is running")
	}
	ctx, cancel := context.WithTimeout(ctx, callbackTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("receiver: webhook callback: %w", err)
	}
	req.Header.Set("WebHook-Allowed-Rate", h.rate)
	resp, err := h.client.Do(req)
	if err != nil {
		// Without the URL, whose query may hold the sender's secret.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("receiver: webhook callback: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	_ = resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("receiver: webhook callback answered %d", resp.StatusCode)
	}
	return nil
}
