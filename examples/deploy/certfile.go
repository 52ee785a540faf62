package deploy

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// CheckEvery bounds how often a [CertReloader] looks at its files: at most
// one check (two stats) per interval, however many handshakes arrive.
const CheckEvery = time.Second

// CertReloader serves a certificate from a PEM certificate file and key
// file, and loads the pair again when either file changes (another inode,
// size or modification time), so that a renewed certificate is served
// without a restart: replace both files (ideally each by a rename), and a
// handshake after the next check gets the new one. Build it with
// [NewCertReloader]; it is safe for concurrent use.
type CertReloader struct {
	certFile, keyFile string
	log               *slog.Logger
	now               func() time.Time // replaced by tests

	mu                sync.Mutex
	cert              *tls.Certificate
	certStat, keyStat os.FileInfo // of the files the served cert was loaded from
	checked           time.Time
}

// NewCertReloader loads the pair in certFile and keyFile, and returns an
// error (naming the files, never key material) if it cannot. Reloads that
// fail later (a half-written pair, a key that does not match) are logged on
// log at WARN, and the previous certificate is served until a check finds a
// pair that loads; log may be nil.
func NewCertReloader(certFile, keyFile string, log *slog.Logger) (*CertReloader, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &CertReloader{certFile: certFile, keyFile: keyFile, log: log, now: time.Now}
	cs, ks, err := r.stat()
	if err == nil {
		err = r.load(cs, ks)
	}
	if err != nil {
		return nil, err
	}
	r.checked = r.now()
	return r, nil
}

// GetCertificate returns the current certificate, after checking the files
// if the last check is CheckEvery old; it is a tls.Config.GetCertificate.
func (r *CertReloader) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if now := r.now(); now.Sub(r.checked) >= CheckEvery {
		r.checked = now
		cs, ks, err := r.stat()
		if err == nil && (changed(r.certStat, cs) || changed(r.keyStat, ks)) {
			err = r.load(cs, ks)
		}
		if err != nil {
			r.log.Warn("certificate not reloaded; serving the previous one", "error", err)
		}
	}
	return r.cert, nil
}

func (r *CertReloader) stat() (cert, key os.FileInfo, err error) {
	if cert, err = os.Stat(r.certFile); err != nil {
		return nil, nil, fmt.Errorf("deploy: -tls-cert: %w", err)
	}
	if key, err = os.Stat(r.keyFile); err != nil {
		return nil, nil, fmt.Errorf("deploy: -tls-key: %w", err)
	}
	return cert, key, nil
}

// load reads the pair; it records the stats it was given only on success,
// so that a failed load is tried again at the next check.
func (r *CertReloader) load(certStat, keyStat os.FileInfo) error {
	c, err := tls.LoadX509KeyPair(r.certFile, r.keyFile)
	if err != nil {
		return fmt.Errorf("deploy: -tls-cert %s, -tls-key %s: %w", r.certFile, r.keyFile, err)
	}
	r.cert, r.certStat, r.keyStat = &c, certStat, keyStat
	return nil
}

func changed(old, cur os.FileInfo) bool {
	return !os.SameFile(old, cur) || old.Size() != cur.Size() || !old.ModTime().Equal(cur.ModTime())
}
