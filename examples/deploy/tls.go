package deploy

import (
	"crypto/tls"
	"errors"
	"log/slog"

	"golang.org/x/crypto/acme/autocert"
)

// TLSConfig returns the server's TLS configuration from the flags, or nil
// for plain HTTP when none of -tls-cert, -tls-key and -autocert is given
// (behind a reverse proxy that terminates TLS, say). With -tls-cert and
// -tls-key it serves that pair through a [CertReloader], so a renewed
// certificate needs no restart. With -autocert DOMAIN it gets and renews
// a certificate for DOMAIN from Let's Encrypt (accepting its terms of
// service) by the TLS-ALPN-01 challenge, so the sink must listen on port
// 443 reachable from the internet, and keeps it in -autocert-cache DIR,
// required so that a restart does not ask for a new certificate (Let's
// Encrypt limits how many it issues). TLS 1.2 is the minimum. It returns
// an error for a partial or conflicting set of flags, or a pair that does
// not load; log receives the CertReloader's warnings.
func (f *Flags) TLSConfig(log *slog.Logger) (*tls.Config, error) {
	switch {
	case f.autocert != "" && (f.tlsCert != "" || f.tlsKey != ""):
		return nil, errors.New("deploy: give -autocert or -tls-cert and -tls-key, not both")
	case f.autocert != "":
		if f.autocertCache == "" {
			return nil, errors.New("deploy: -autocert needs -autocert-cache DIR, where the certificates survive restarts")
		}
		m := &autocert.Manager{Prompt: autocert.AcceptTOS, HostPolicy: autocert.HostWhitelist(f.autocert),
			Cache: autocert.DirCache(f.autocertCache)}
		c := m.TLSConfig()
		c.MinVersion = tls.VersionTLS12
		return c, nil
	case f.autocertCache != "":
		return nil, errors.New("deploy: -autocert-cache is only for -autocert")
	case f.tlsCert == "" && f.tlsKey == "":
		return nil, nil
	case f.tlsCert == "" || f.tlsKey == "":
		return nil, errors.New("deploy: give both -tls-cert and -tls-key")
	}
	r, err := NewCertReloader(f.tlsCert, f.tlsKey, log)
	if err != nil {
		return nil, err
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: r.GetCertificate}, nil
}
