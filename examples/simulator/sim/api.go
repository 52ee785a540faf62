package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxRequestBytes caps management API request bodies.
const maxRequestBytes = 64 << 10

// SinkCredential is the CAMARA sinkCredential of type ACCESSTOKEN: the token
// the simulator presents to the sink. It is never returned by the API.
type SinkCredential struct {
	CredentialType        string `json:"credentialType"`                  // "ACCESSTOKEN"
	AccessToken           string `json:"accessToken,omitempty"`           // required
	AccessTokenExpiresUtc string `json:"accessTokenExpiresUtc,omitempty"` // RFC 3339, in the future
	AccessTokenType       string `json:"accessTokenType,omitempty"`       // "bearer"
}

// Device identifies a device, as CAMARA's Device object does.
type Device struct {
	PhoneNumber             string          `json:"phoneNumber,omitempty"`
	NetworkAccessIdentifier string          `json:"networkAccessIdentifier,omitempty"`
	IPv4Address             json.RawMessage `json:"ipv4Address,omitempty"`
	IPv6Address             string          `json:"ipv6Address,omitempty"`
}

func (d *Device) empty() bool {
	return d == nil || d.PhoneNumber == "" && d.NetworkAccessIdentifier == "" && len(d.IPv4Address) == 0 && d.IPv6Address == ""
}

// SubscriptionConfig is the CAMARA subscription config.
type SubscriptionConfig struct {
	SubscriptionDetail     *SubscriptionDetail `json:"subscriptionDetail,omitempty"`
	SubscriptionExpireTime string              `json:"subscriptionExpireTime,omitempty"` // RFC 3339, in the future
	SubscriptionMaxEvents  *int                `json:"subscriptionMaxEvents,omitempty"`  // at least 1
	InitialEvent           *bool               `json:"initialEvent,omitempty"`
}

// SubscriptionDetail names the device a subscription is about.
type SubscriptionDetail struct {
	Device *Device `json:"device,omitempty"`
}

// SubscriptionRequest is the body of POST /subscriptions.
type SubscriptionRequest struct {
	Protocol       string              `json:"protocol,omitempty"` // "HTTP" when set
	Sink           string              `json:"sink"`
	Types          []string            `json:"types"`
	SinkCredential *SinkCredential     `json:"sinkCredential"`
	Config         *SubscriptionConfig `json:"config"`
}

// Subscription is a subscription as the API returns it.
type Subscription struct {
	ID        string             `json:"id"`
	Protocol  string             `json:"protocol"`
	Sink      string             `json:"sink"`
	Types     []string           `json:"types"`
	Config    SubscriptionConfig `json:"config"`
	StartsAt  string             `json:"startsAt"`
	ExpiresAt string             `json:"expiresAt,omitempty"`
	Status    string             `json:"status"` // ACTIVE
}

// SessionRequest is the body of POST /sessions.
type SessionRequest struct {
	Device         *Device         `json:"device"`
	QosProfile     string          `json:"qosProfile"`
	Duration       *int            `json:"duration"` // seconds, 1 to 86400
	Sink           string          `json:"sink"`
	SinkCredential *SinkCredential `json:"sinkCredential"`
}

// Session is a QoD session as the API returns it.
type Session struct {
	SessionID  string `json:"sessionId"`
	Device     Device `json:"device"`
	QosProfile string `json:"qosProfile"`
	Duration   int    `json:"duration"`
	Sink       string `json:"sink"`
	QosStatus  string `json:"qosStatus"`
	StatusInfo string `json:"statusInfo,omitempty"`
	StartedAt  string `json:"startedAt"`
	ExpiresAt  string `json:"expiresAt"`
}

// TriggerResult is the answer of POST /subscriptions/{id}/trigger: how the
// delivery of the triggered event went.
type TriggerResult struct {
	Type      string `json:"type"`
	Delivered bool   `json:"delivered"`
	Status    int    `json:"status"` // the sink's last status, 0 if none
	Attempts  int    `json:"attempts"`
	Error     string `json:"error,omitempty"`
}

// fieldErrors collects "field: reason" messages for a 422.
type fieldErrors []string

func (f *fieldErrors) add(field, format string, args ...any) {
	*f = append(*f, field+": "+fmt.Sprintf(format, args...))
}

func checkSink(fe *fieldErrors, sink string) {
	if sink == "" {
		fe.add("sink", "required")
		return
	}
	u, err := url.Parse(sink)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		fe.add("sink", "must be an absolute http or https URL")
	}
}

// checkCredential validates a sinkCredential and returns its expiry.
func checkCredential(fe *fieldErrors, c *SinkCredential, now time.Time) time.Time {
	if c == nil {
		fe.add("sinkCredential", "required")
		return time.Time{}
	}
	if c.CredentialType != "ACCESSTOKEN" {
		fe.add("sinkCredential.credentialType", `must be "ACCESSTOKEN"`)
	}
	if c.AccessToken == "" {
		fe.add("sinkCredential.accessToken", "required")
	} else if strings.ContainsAny(c.AccessToken, " \t\r\n") {
		fe.add("sinkCredential.accessToken", "must not contain whitespace")
	}
	if !strings.EqualFold(c.AccessTokenType, "bearer") {
		fe.add("sinkCredential.accessTokenType", `must be "bearer"`)
	}
	if c.AccessTokenExpiresUtc == "" {
		fe.add("sinkCredential.accessTokenExpiresUtc", "required")
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, c.AccessTokenExpiresUtc)
	switch {
	case err != nil:
		fe.add("sinkCredential.accessTokenExpiresUtc", "must be an RFC 3339 date-time")
	case !t.After(now):
		fe.add("sinkCredential.accessTokenExpiresUtc", "must be in the future")
	}
	return t
}

// decode reads a JSON body under a cap; it writes 400 and returns false when
// the body is not a JSON object.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "request body too large")
			return false
		}
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "cannot read the body")
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "the body is not a JSON object of the expected shape: "+err.Error())
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"status": status, "code": code, "message": msg})
}

func writeInvalid(w http.ResponseWriter, fe fieldErrors) {
	writeError(w, http.StatusUnprocessableEntity, "INVALID_ARGUMENT", strings.Join(fe, "; "))
}
