package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/camarahooks/camarahooks/auth"
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
	// Area is a geofencing subscription's area, repeated in its
	// notifications as sent; a circle around the simulator's point when
	// absent.
	Area map[string]any `json:"area,omitempty"`
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

// add records a reason for field, unless field already has one (a value of
// the wrong type, then found missing by validation, is named once).
func (f *fieldErrors) add(field, format string, args ...any) {
	for _, e := range *f {
		if strings.HasPrefix(e, field+": ") {
			return
		}
	}
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

// decode reads a JSON body under a cap into v; it writes 400 (413) and
// returns false when the body is not a JSON object (or too large). A member
// of the wrong JSON type is not fatal: each one is named in fe, for the
// caller's 422, and the rest is decoded.
func decode(w http.ResponseWriter, r *http.Request, v any, fe *fieldErrors) bool {
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
	if err := decodeFields(body, v, fe); err != nil {
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "the body is not a JSON object of the expected shape: "+err.Error())
		return false
	}
	return true
}

// decodeFields unmarshals body into v, naming each member of the wrong JSON
// type in fe and decoding the body again without it (a few rounds at most).
func decodeFields(body []byte, v any, fe *fieldErrors) error {
	for range 16 {
		err := json.Unmarshal(body, v)
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) || te.Field == "" {
			return err
		}
		fe.add(te.Field, "must be %s", jsonTypeName(te.Type))
		var ok bool
		if body, ok = deletePath(body, strings.Split(te.Field, ".")); !ok {
			return err
		}
	}
	return errors.New("too many members of the wrong type")
}

// jsonTypeName names the JSON value a Go type decodes from.
func jsonTypeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer in range"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// deletePath removes the member at path (matched without regard to case,
// as encoding/json matches) from the JSON object raw.
func deletePath(raw []byte, path []string) ([]byte, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil, false
	}
	found := false
	for k, v := range m {
		if !strings.EqualFold(k, path[0]) {
			continue
		}
		found = true
		if len(path) == 1 {
			delete(m, k)
			continue
		}
		inner, ok := deletePath(v, path[1:])
		if !ok {
			return nil, false
		}
		m[k] = inner
	}
	if !found {
		return nil, false
	}
	b, err := json.Marshal(m)
	return b, err == nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers status with a CAMARA ErrorInfo body, the library's
// own type, so the simulator's errors look like the receiver's.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, auth.ErrorInfo{Status: status, Code: code, Message: msg})
}

func writeInvalid(w http.ResponseWriter, fe fieldErrors) {
	writeError(w, http.StatusUnprocessableEntity, "INVALID_ARGUMENT", strings.Join(fe, "; "))
}
