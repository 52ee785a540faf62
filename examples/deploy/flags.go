package deploy

import (
	"flag"
	"strings"
)

// Flags holds the deployment flags of a sink program, registered by
// [NewFlags]. Read them, after the flag set is parsed, with
// [Flags.TokenSet], [Flags.TLSConfig] and [Flags.Origins].
type Flags struct {
	token, tokenFile        string
	tlsCert, tlsKey         string
	autocert, autocertCache string
	origins                 originList
}

// NewFlags registers on fs: -token, -token-file FILE (the sink token; see
// [Flags.TokenSet]), -tls-cert FILE and -tls-key FILE (HTTPS with a PEM
// certificate chain and key, reloaded when the files change), -autocert
// DOMAIN and -autocert-cache DIR (HTTPS with a certificate from Let's
// Encrypt; see [Flags.TLSConfig]) and -allow-origin ORIGIN, repeatable
// (the webhook handshake; see [Flags.Origins]).
func NewFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{}
	fs.StringVar(&f.token, "token", "", "the sink's Bearer token(s), comma-separated; visible in ps: prefer -token-file or "+TokenEnv)
	fs.StringVar(&f.tokenFile, "token-file", "", "read the sink's Bearer token(s) from FILE, one a line or comma-separated")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with the PEM certificate chain in FILE (with -tls-key), reloaded when it changes")
	fs.StringVar(&f.tlsKey, "tls-key", "", "the PEM private key of -tls-cert")
	fs.StringVar(&f.autocert, "autocert", "", "serve HTTPS for DOMAIN with a certificate from Let's Encrypt (TLS-ALPN-01: the sink must be reachable on port 443)")
	fs.StringVar(&f.autocertCache, "autocert-cache", "", "directory where -autocert keeps its account key and certificates (required with -autocert)")
	fs.Var(&f.origins, "allow-origin", "grant this WebHook-Request-Origin in the CloudEvents webhook handshake (OPTIONS); repeat for more; * for any; without it OPTIONS gets 405")
	return f
}

// Origins returns the -allow-origin values, in the order given, for
// receiver.HandshakeConfig.AllowedOrigins; nil when none was given (the
// handshake is off).
func (f *Flags) Origins() []string { return f.origins }

// originList is the repeatable -allow-origin flag.
type originList []string

func (o *originList) String() string { return strings.Join(*o, ",") }

func (o *originList) Set(v string) error {
	*o = append(*o, v)
	return nil
}
