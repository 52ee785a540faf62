package events

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
)

// The wire types mirror every JSON layout at once, so that one
// json.Unmarshal pass decodes any shape; the shape is then read off which
// members were present.

// wireEvent is the top-level object of shapes A to E.
type wireEvent struct {
	// CloudEvents attributes (shapes C and D).
	ID              flexString   `json:"id"`
	Source          string       `json:"source"`
	Type            internString `json:"type"`
	SpecVersion     internString `json:"specversion"`
	Time            wireTime     `json:"time"`
	DataContentType internString `json:"datacontenttype"`
	Subject         string       `json:"subject"`
	DataSchema      string       `json:"dataschema"`
	Data            wireData     `json:"data"`
	DataBase64      *string      `json:"data_base64"`
	Event           legacyEvent  `json:"event"` // shapes A, B, D, E

	EventSubscriptionID flexString `json:"eventSubscriptionId"` // shapes B, D, E
	SessionID           string     `json:"sessionId"`           // shape A

	// The inner legacy event object on its own (QoD 0.9 spec example).
	EventID     flexString   `json:"eventId"`
	EventType   internString `json:"eventType"`
	EventTime   wireTime     `json:"eventTime"`
	EventDetail *wireData    `json:"eventDetail"`

	scan fastScanner // the fast path's scanner, pooled with the rest
}

// legacyEvent is the "event" member: an object in shapes B, D and E, the
// string "SESSION_TERMINATED" in shape A.
type legacyEvent struct {
	present bool
	name    string // shape A
	object  *wireLegacyObject
}

type wireLegacyObject struct {
	EventID     flexString   `json:"eventId"`
	EventType   internString `json:"eventType"`
	EventTime   wireTime     `json:"eventTime"`
	EventDetail *wireData    `json:"eventDetail"`
}

func (l *legacyEvent) UnmarshalJSON(b []byte) error {
	l.present = true
	switch b[0] {
	case '"':
		return json.Unmarshal(b, &l.name)
	case '{':
		l.object = new(wireLegacyObject)
		return json.Unmarshal(b, l.object)
	case 'n':
		l.present = false
		return nil
	}
	return typeError(b, "object or string")
}

// wireData is the union of the data (CloudEvents) and eventDetail (legacy)
// members of every modelled kind.
type wireData struct {
	SubscriptionID flexString `json:"subscriptionId"`

	SessionID  string       `json:"sessionId"`
	QoSStatus  internString `json:"qosStatus"`
	StatusInfo internString `json:"statusInfo"`

	Device *wireDevice `json:"device"`
	UEID   *wireUEID   `json:"ueId"`   // Commonalities 0.1 legacy
	UEPort flexInt     `json:"uePort"` // Commonalities 0.1 legacy

	DeviceStatus       internString `json:"deviceStatus"`
	ReachabilityStatus internString `json:"reachabilityStatus"`
	ConnectivityStatus internString `json:"connectivityStatus"`

	Roaming     *bool      `json:"roaming"`
	CountryCode flexInt    `json:"countryCode"`
	CountryName stringList `json:"countryName"`

	ConnectedNetworkType internString `json:"connectedNetworkType"`

	InitiationReason       internString `json:"initiationReason"`
	UpdateReason           internString `json:"updateReason"`
	TerminationReason      internString `json:"terminationReason"`
	TerminationDescription string       `json:"terminationDescription"`
}

type wireDevice struct {
	PhoneNumber             flexString `json:"phoneNumber"`
	NetworkAccessIdentifier string     `json:"networkAccessIdentifier"`
	IPv4Address             *wireIPv4  `json:"ipv4Address"`
	IPv6Address             string     `json:"ipv6Address"`
}

type wireIPv4 struct {
	PublicAddress  string    `json:"publicAddress"`
	PrivateAddress string    `json:"privateAddress"`
	PublicPort     flexInt   `json:"publicPort"`
	Nested         *wireIPv4 `json:"DeviceIpv4Addr"` // NaC legacy extra nesting
}

type wireUEID struct {
	IPv4Addr   string     `json:"ipv4Addr"`
	IPv6Addr   string     `json:"ipv6Addr"`
	MSISDN     flexString `json:"msisdn"`
	ExternalID string     `json:"externalId"`
}

func (d *wireData) device() Device {
	var out Device
	if d.Device != nil {
		out.PhoneNumber = string(d.Device.PhoneNumber)
		out.NetworkAccessIdentifier = d.Device.NetworkAccessIdentifier
		out.IPv6Address = d.Device.IPv6Address
		if v4 := d.Device.IPv4Address; v4 != nil {
			if v4.Nested != nil && v4.PublicAddress == "" {
				v4 = v4.Nested
			}
			out.IPv4Address = IPv4Address{PublicAddress: v4.PublicAddress, PrivateAddress: v4.PrivateAddress, PublicPort: int(v4.PublicPort)}
		}
	}
	if u := d.UEID; u != nil {
		if out.PhoneNumber == "" {
			out.PhoneNumber = string(u.MSISDN)
		}
		if out.NetworkAccessIdentifier == "" {
			out.NetworkAccessIdentifier = u.ExternalID
		}
		if out.IPv4Address.PublicAddress == "" {
			out.IPv4Address.PublicAddress = u.IPv4Addr
		}
		if out.IPv6Address == "" {
			out.IPv6Address = u.IPv6Addr
		}
	}
	if out.IPv4Address.PublicPort == 0 {
		out.IPv4Address.PublicPort = int(d.UEPort)
	}
	return out
}

// flexString accepts a JSON string, or a number or boolean kept as its
// literal text: senders put numbers where the schema says string (id,
// phoneNumber).
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	switch c := b[0]; {
	case c == '"':
		if !bytes.ContainsRune(b, '\\') {
			*s = flexString(b[1 : len(b)-1])
			return nil
		}
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		*s = flexString(str)
		return nil
	case c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f':
		*s = flexString(b)
		return nil
	case c == 'n':
		return nil
	}
	return typeError(b, "string")
}

// flexInt accepts a JSON number, or a string holding one: senders quote
// ports ("80").
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	lit := b
	switch b[0] {
	case 'n':
		return nil
	case '"':
		lit = b[1 : len(b)-1]
	}
	v, err := strconv.Atoi(string(lit))
	if err != nil {
		return typeError(b, "integer")
	}
	*n = flexInt(v)
	return nil
}

// stringList accepts a string or an array of strings (countryName).
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = stringList{s}
		return nil
	case '[':
		var ss []string
		if err := json.Unmarshal(b, &ss); err != nil {
			return err
		}
		*l = ss
		return nil
	case 'n':
		return nil
	}
	return typeError(b, "string or array of strings")
}

// stringType is computed once, so that building a type error needs no
// reflection on the request path.
var stringType = reflect.TypeFor[string]()

// typeError reports a JSON value of the wrong type. encoding/json fills in
// the field path.
func typeError(b []byte, want string) error {
	return &json.UnmarshalTypeError{Value: jsonKind(b) + " (want " + want + ")", Type: stringType}
}

func jsonKind(b []byte) string {
	switch b[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// isZero reports whether no member of the data was set: absent, null or {}.
func (d *wireData) isZero() bool {
	return d.SubscriptionID == "" && d.SessionID == "" && d.QoSStatus == "" && d.StatusInfo == "" &&
		d.Device == nil && d.UEID == nil && d.UEPort == 0 && d.DeviceStatus == "" && d.ReachabilityStatus == "" &&
		d.ConnectivityStatus == "" && d.Roaming == nil && d.CountryCode == 0 && d.CountryName == nil &&
		d.ConnectedNetworkType == "" && d.InitiationReason == "" && d.UpdateReason == "" &&
		d.TerminationReason == "" && d.TerminationDescription == ""
}
