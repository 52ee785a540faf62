package jwtauth_test

import (
	"sync"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/auth/jwtauth"
)

// TestVerifiedTokens: a token that passed is remembered, but never past
// its expiry and never once the key set it was checked against is
// replaced.
func TestVerifiedTokens(t *testing.T) {
	c := newClock()
	ks := newKeyServer(t, rsa1(), ec1())
	v := newVerifier(t, ks.config(c))
	now := c.Now()
	m := claims(ks.issuer(), now)
	m["exp"] = now.Add(2 * time.Minute).Unix()
	rsaTok, ecTok := sign(t, rsa1(), m), sign(t, ec1(), m)

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				tok := rsaTok
				if (w+i)%2 == 0 {
					tok = ecTok
				}
				if p, err := v.Verify(request(tok)); err != nil || p.Name != clientName {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a valid token, verified concurrently: %v", err)
	}

	steps := []struct {
		name string
		do   func()
		tok  string
		want int
	}{
		{"within exp and the skew", func() { c.Advance(2*time.Minute + 30*time.Second) }, rsaTok, 0},
		{"past exp and the skew", func() { c.Advance(time.Second) }, rsaTok, 401},
		{"the other, past exp too", nil, ecTok, 401},
	}
	for _, s := range steps {
		if s.do != nil {
			s.do()
		}
		_, err := v.Verify(request(s.tok))
		if got := status(err); got != s.want {
			t.Errorf("%s: got %d (%v), want %d", s.name, got, err, s.want)
		}
	}

}

// TestVerifiedTokensKeyRemoved: a token verified before its key was
// removed is refused once the refreshed set lacks the key.
func TestVerifiedTokensKeyRemoved(t *testing.T) {
	c := newClock()
	ks := newKeyServer(t, rsa1(), ec1())
	cfg := ks.config(c)
	cfg.MinFetchInterval, cfg.RefreshInterval = time.Minute, time.Minute
	v := newVerifier(t, cfg)
	tok := sign(t, ec1(), claims(ks.issuer(), c.Now()))
	for range 2 {
		if _, err := v.Verify(request(tok)); err != nil {
			t.Fatal(err)
		}
	}
	ks.publish(t, rsa1())
	c.Advance(time.Minute)
	_, err := v.Verify(request(tok)) // starts the refresh, answered from the old set
	jwtauth.WaitFetch(v)
	if err != nil {
		t.Fatalf("before the refresh ended: %v", err)
	}
	_, err = v.Verify(request(tok))
	if got := status(err); got != 503 {
		t.Errorf("after the refresh, within the interval: got %d (%v), want 503", got, err)
	}
	c.Advance(time.Minute)
	_, err = v.Verify(request(tok))
	if got := status(err); got != 401 {
		t.Errorf("after the interval: got %d (%v), want 401", got, err)
	}
}
