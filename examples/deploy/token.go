package deploy

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/camarahooks/camarahooks/auth"
)

// TokenEnv is the environment variable the sink token is read from when
// neither -token nor -token-file is given.
const TokenEnv = "CAMARAHOOKS_TOKEN"

// ErrNoToken is returned by [Flags.TokenSet] when no source gives a token:
// a sink never starts without one.
var ErrNoToken = errors.New("deploy: no sink token: give -token-file FILE or set " + TokenEnv + " (-token works too, but shows in ps)")

// TokenSet returns the token set of the sink's Bearer tokens, from the
// first source that is set, in this order: -token, -token-file (the
// file's content), the environment variable [TokenEnv]. A source holds one
// token or several separated by commas or newlines (surrounding spaces and
// a trailing newline are dropped), all accepted at once, for rotation:
// add the new token, switch the network to it, then drop the old one.
// The credentials are named "token-1", "token-2", ... in their order.
// Errors name the source, never a token: [ErrNoToken] when no source is
// set, an error when the file cannot be read, or a source that is set
// holds no token, or auth.NewTokenSet refuses one.
func (f *Flags) TokenSet() (*auth.TokenSet, error) {
	source, raw := "-token", f.token
	switch {
	case raw != "":
	case f.tokenFile != "":
		b, err := os.ReadFile(f.tokenFile)
		if err != nil {
			return nil, fmt.Errorf("deploy: -token-file: %w", err) // the path, never the content
		}
		source, raw = "-token-file "+f.tokenFile, string(b)
	case os.Getenv(TokenEnv) != "":
		source, raw = TokenEnv, os.Getenv(TokenEnv)
	default:
		return nil, ErrNoToken
	}
	var creds []auth.Credential
	for _, t := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == '\n' }) {
		if t = strings.TrimSpace(t); t != "" {
			creds = append(creds, auth.Credential{Name: fmt.Sprint("token-", len(creds)+1), Token: auth.Token(t)})
		}
	}
	if len(creds) == 0 {
		return nil, fmt.Errorf("deploy: %s holds no token", source)
	}
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: creds})
	if err != nil {
		return nil, fmt.Errorf("deploy: %s: %w", source, err)
	}
	return ts, nil
}
