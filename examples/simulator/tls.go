package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/camarahooks/camarahooks/examples/simulator/sim"
)

// httpClient returns the client the simulator delivers with: nil (the
// Sender's default, trusting the system's roots) unless cacert names a PEM
// file of CA certificates to trust instead (a sink with a self-signed or
// private CA's certificate), or insecure turns verification off (a local
// test only: anyone on the path can then read the token).
func httpClient(cacert string, insecure bool) (*http.Client, error) {
	switch {
	case cacert != "" && insecure:
		return nil, errors.New("simulator: give -cacert or -insecure, not both")
	case insecure:
		return withTLS(&tls.Config{InsecureSkipVerify: true}), nil //nolint:gosec // what -insecure asks for
	case cacert == "":
		return nil, nil
	}
	pem, err := os.ReadFile(cacert)
	if err != nil {
		return nil, fmt.Errorf("simulator: -cacert: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("simulator: -cacert %s holds no PEM certificate", cacert)
	}
	return withTLS(&tls.Config{RootCAs: pool}), nil
}

func withTLS(c *tls.Config) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	c.MinVersion = tls.VersionTLS12
	tr.TLSClientConfig = c
	return &http.Client{Transport: tr, Timeout: sim.DefaultTimeout}
}
