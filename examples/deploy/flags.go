package deploy

import "flag"

// Flags holds the deployment flags of a sink program, registered by
// [NewFlags]. Read them, after the flag set is parsed, with
// [Flags.TokenSet] and [Flags.TLSConfig].
type Flags struct {
	token, tokenFile        string
	tlsCert, tlsKey         string
	autocert, autocertCache string
}

// NewFlags registers on fs: -token, -token-file FILE (the sink token; see
// [Flags.TokenSet]), -tls-cert FILE and -tls-key FILE (HTTPS with a PEM
// certificate chain and key, reloaded when the files change), -autocert
// DOMAIN and -autocert-cache DIR (HTTPS with a certificate from Let's
// Encrypt; see [Flags.TLSConfig]).
func NewFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{}
	fs.StringVar(&f.token, "token", "", "the sink's Bearer token(s), comma-separated; visible in ps: prefer -token-file or "+TokenEnv)
	fs.StringVar(&f.tokenFile, "token-file", "", "read the sink's Bearer token(s) from FILE, one a line or comma-separated")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with the PEM certificate chain in FILE (with -tls-key), reloaded when it changes")
	fs.StringVar(&f.tlsKey, "tls-key", "", "the PEM private key of -tls-cert")
	fs.StringVar(&f.autocert, "autocert", "", "serve HTTPS for DOMAIN with a certificate from Let's Encrypt (TLS-ALPN-01: the sink must be reachable on port 443)")
	fs.StringVar(&f.autocertCache, "autocert-cache", "", "directory where -autocert keeps its account key and certificates (required with -autocert)")
	return f
}
