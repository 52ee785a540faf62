package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
)

// TestTokenRedacts formats a Token, and structs holding one, every way
// application code commonly does.
func TestTokenRedacts(t *testing.T) {
	const secret = "s3cr3t-T0KEN-value"
	tok := auth.Token(secret)
	type config struct {
		Name  string
		Token auth.Token
	}
	cfg := config{"nac", tok}
	cred := auth.Credential{Name: "nac", Token: tok}
	ptr := &cred

	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10s", "%-20v", "%d", "%T"} {
		for _, arg := range []any{tok, cfg, &cfg, cred, ptr, []auth.Token{tok}, map[string]auth.Token{"k": tok}} {
			outputs = append(outputs, fmt.Sprintf(verb, arg))
		}
	}
	outputs = append(outputs, fmt.Sprint(tok), fmt.Sprintln(cfg), tok.String())

	for _, v := range []any{tok, cfg, cred, []auth.Token{tok}, map[string]auth.Token{"k": tok}} {
		js, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("json.Marshal(%T): %v", v, err)
		}
		outputs = append(outputs, string(js))
	}
	text, _ := tok.MarshalText()
	outputs = append(outputs, string(text))
	// MarshalText alone covers encoding/json, as a JSON string.
	for tk, want := range map[auth.Token]string{tok: `"[REDACTED]"`, "": `"[EMPTY]"`} {
		if js, err := json.Marshal(tk); err != nil || string(js) != want {
			t.Errorf("json.Marshal: got %s, %v; want %s", js, err, want)
		}
	}
	if js, _ := json.Marshal(cfg); string(js) != `{"Name":"nac","Token":"[REDACTED]"}` {
		t.Errorf("json.Marshal(struct): got %s", js)
	}

	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	logger.Info("config", "token", tok, "cfg", cfg, "cred", cred, slog.Any("ptr", ptr))
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "token", tok, "cfg", cfg)
	outputs = append(outputs, logs.String())

	for _, out := range outputs {
		if strings.Contains(out, secret) || strings.Contains(strings.ToLower(out), "733363723374") { // hex of "s3cr3t"
			t.Errorf("output leaks the token: %s", out)
		}
	}
	if got := fmt.Sprintf("%v|%q|%s", tok, tok, auth.Token("")); got != `[REDACTED]|"[REDACTED]"|[EMPTY]` {
		t.Errorf("got %s, want [REDACTED]|\"[REDACTED]\"|[EMPTY]", got)
	}
	if !strings.Contains(logs.String(), `"token":"[REDACTED]"`) {
		t.Errorf("slog JSON output %s lacks the redacted token", logs.String())
	}

	// Decoding still reads a token, so configuration can be loaded.
	var in config
	if err := json.Unmarshal([]byte(`{"Name":"nac","Token":"`+secret+`"}`), &in); err != nil || string(in.Token) != secret {
		t.Errorf("json.Unmarshal: got %v, want the token decoded", err)
	}
}

// TestNoTokenInErrorsOrLogs presents and configures tokens, drives every
// failure, and logs everything a careless application would log.
func TestNoTokenInErrorsOrLogs(t *testing.T) {
	const configured = "cfgSECRET-0123456789"
	const presented = "presSECRET-9876543210"
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{
		Credentials: []auth.Credential{
			{Name: "nac", Token: configured, SubscriptionIDs: []string{"sub-1"}},
			{Name: "old", Token: "old" + configured, ExpiresAt: fixedNow},
		},
		ExtractOptions: auth.ExtractOptions{AllowQueryToken: true},
		Now:            fixedClock,
		OnExpired: func(_ context.Context, p auth.Principal) {
			logger.Info("expired", "principal", p)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	targets := []string{
		"/n?access_token=" + presented,
		"/n?access_token=" + configured,
		"/n?access_token=old" + configured,
		"/n?access_token=" + presented + "&access_token=" + configured,
	}
	headers := []string{
		"Bearer " + presented, "Bearer " + configured, "Bearer old" + configured,
		"Bearer Bearer " + presented, "Bearer " + presented + " x", "Basic " + presented,
	}
	var outputs []string
	record := func(r *http.Request, err error) {
		logger.Info("verify", "err", err, "url", auth.RedactURL(r.URL))
		outputs = append(outputs, fmt.Sprintf("%v %+v %#v %s %q", err, err, err, err, err))
		info, challenge := auth.ResponseFor(err)
		outputs = append(outputs, fmt.Sprintf("%+v %s", info, challenge))
		if err != nil {
			outputs = append(outputs, err.Error())
		}
	}
	verify := func(r *http.Request) error {
		p, err := ts.Verify(r)
		if err == nil {
			logger.Info("accepted", "principal", p)
			err = p.Allows("sub-2")
		}
		return err
	}
	var refusals int
	for _, target := range targets {
		r := request(target, "")
		err := verify(r)
		record(r, err)
		if err != nil {
			refusals++
		}
	}
	for _, h := range headers {
		r := request("/n", "")
		r.Header.Set("Authorization", h)
		err := verify(r)
		record(r, err)
		if err != nil {
			refusals++
		}
	}
	if want := len(targets) + len(headers); refusals != want {
		t.Errorf("got %d refusals, want %d (every request fails one way or another)", refusals, want)
	}
	if _, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{
		{Name: "a", Token: configured}, {Name: "b", Token: configured},
	}}); err != nil {
		outputs = append(outputs, err.Error())
	} else {
		t.Error("duplicate tokens: got nil error")
	}
	outputs = append(outputs, logs.String())
	for _, out := range outputs {
		for _, secret := range []string{"SECRET"} {
			if strings.Contains(out, secret) {
				t.Errorf("output leaks a token: %s", out)
			}
		}
	}
	if !strings.Contains(logs.String(), `"expired"`) {
		t.Error("the expired hook was not called")
	}
	if !errors.Is(auth.ErrExpiredToken, auth.ErrUnauthenticated) {
		t.Error("ErrExpiredToken must match ErrUnauthenticated")
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/n", "/n"},
		{"/n?a=1", "/n?a=1"},
		{"/n?access_token=SECRET", "/n?access_token=REDACTED"},
		{"/n?a=1&access_token=SECRET&b=2", "/n?a=1&access_token=REDACTED&b=2"},
		{"/n?ACCESS_TOKEN=SECRET;access%5Ftoken=SECRET", "/n?ACCESS_TOKEN=REDACTED;access%5Ftoken=REDACTED"},
		{"/n?access_token", "/n?access_token"},
		{"https://u:SECRET@example.com/n?access_token=SECRET#f", "https://u:xxxxx@example.com/n?access_token=REDACTED#f"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, err := url.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			before := u.String()
			if got := auth.RedactURL(u); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			if u.String() != before {
				t.Errorf("RedactURL modified its argument: %s", u)
			}
		})
	}
	if got := auth.RedactURL(nil); got != "" {
		t.Errorf("nil: got %q, want \"\"", got)
	}
}
