package events

// Device identifies the device an event is about, as CAMARA's Device object
// does. Any subset of the identifiers may be set; the zero Device means the
// notification named none.
type Device struct {
	// PhoneNumber as sent; senders omit the leading "+" at times, and this
	// package does not add it.
	PhoneNumber string
	// NetworkAccessIdentifier, e.g. "device@bestcsp.net".
	NetworkAccessIdentifier string
	IPv4Address             IPv4Address // zero when absent
	// IPv6Address as sent, e.g. "2001:db8::1".
	IPv6Address string
}

// IPv4Address is a device's IPv4 address: the public address and either the
// private address or the public port that tell devices behind a NAT apart.
// Empty strings and a zero port mean absent.
type IPv4Address struct {
	PublicAddress  string // e.g. "84.125.93.10"
	PrivateAddress string // e.g. "192.168.1.10"
	PublicPort     int    // sent as a number or a string; 0 when absent
}
