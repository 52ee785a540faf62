package wire

// This file holds everything about the data member (CloudEvents data,
// legacy eventDetail): its fields, IsZero, the JSON names and the reader
// of its members. A new data member goes in all four, in this file only;
// TestFastPathNameLists holds the name list to the struct tags, and
// FuzzDecode the reader to encoding/json.

// Data is the union of the data (CloudEvents) and eventDetail (legacy)
// members of every modelled kind.
type Data struct {
	SubscriptionID FlexString `json:"subscriptionId"`

	SessionID  string       `json:"sessionId"`
	QoSStatus  InternString `json:"qosStatus"`
	StatusInfo InternString `json:"statusInfo"`

	Device *Device `json:"device"`
	UEID   *UEID   `json:"ueId"`   // Commonalities 0.1 legacy
	UEPort FlexInt `json:"uePort"` // Commonalities 0.1 legacy

	DeviceStatus       InternString `json:"deviceStatus"`
	ReachabilityStatus InternString `json:"reachabilityStatus"`
	ConnectivityStatus InternString `json:"connectivityStatus"`

	Roaming     *bool      `json:"roaming"`
	CountryCode FlexInt    `json:"countryCode"`
	CountryName StringList `json:"countryName"`

	ConnectedNetworkType InternString `json:"connectedNetworkType"`

	InitiationReason       InternString `json:"initiationReason"`
	UpdateReason           InternString `json:"updateReason"`
	TerminationReason      InternString `json:"terminationReason"`
	TerminationDescription string       `json:"terminationDescription"`

	// Geofencing, network slice booking and assignment.
	Area        *Area      `json:"area"`
	ServiceArea *Area      `json:"serviceArea"`
	SliceID     FlexString `json:"sliceId"`

	// Network slice assignment, QoS provisioning, QoS booking (0.1) and
	// QoS booking and assignment: one member, in Data rather than Extra,
	// so that a slice assignment does not allocate Extra; an InternString,
	// so that the enum values every notification repeats cost nothing.
	Status InternString `json:"status"`

	// The other members of SIM swap, QoS provisioning and booking, connectivity
	// and congestion insights, allocated when one of them is sent (as
	// encoding/json allocates an embedded pointer), so that the other
	// kinds' data stays small; read them through More.
	*Extra
}

// Extra holds the data members of SIM swap, QoS provisioning and booking,
// connectivity insights and Network as Code congestion insights.
type Extra struct {
	PhoneNumber FlexString `json:"phoneNumber"` // SIM swap: the line, beside data rather than in device

	AssignmentID   string       `json:"assignmentId"`   // QoS provisioning
	BookingID      string       `json:"bookingId"`      // QoS booking
	BookingStatus  InternString `json:"bookingStatus"`  // QoS booking
	BookingDetails *BookingRef  `json:"bookingDetails"` // QoS booking and assignment: the booking
	DeviceDetails  *BookingRef  `json:"deviceDetails"`  // QoS booking and assignment: the device assignment

	ApplicationProfileID    string       `json:"applicationProfileId"` // connectivity insights
	PacketDelayBudget       InternString `json:"packetDelayBudget"`
	TargetMinDownstreamRate InternString `json:"targetMinDownstreamRate"`
	TargetMinUpstreamRate   InternString `json:"targetMinUpstreamRate"`
	PacketlossErrorRate     InternString `json:"packetlossErrorRate"`
	Jitter                  InternString `json:"jitter"`
	AdditionalKpis          *KPIs        `json:"additionalKpis"`

	Level InternString `json:"level"` // Network as Code congestion insights
}

// noExtra is what More returns for data without Extra members. Never
// written.
var noExtra Extra

// More returns d's Extra members: the zero Extra when none was sent. The
// result must not be modified.
func (d *Data) More() *Extra {
	if d.Extra == nil {
		return &noExtra
	}
	return d.Extra
}

// extra returns d.Extra, allocating it if need be, for the decoder.
func (d *Data) extra() *Extra {
	if d.Extra == nil {
		d.Extra = new(Extra)
	}
	return d.Extra
}

func (e *Extra) isZero() bool {
	return *e == Extra{}
}

// IsZero reports whether no member of the data was set: absent, null or {}.
func (d *Data) IsZero() bool {
	return d.SubscriptionID == "" && d.SessionID == "" && d.QoSStatus == "" && d.StatusInfo == "" &&
		d.Device == nil && d.UEID == nil && d.UEPort == 0 && d.DeviceStatus == "" && d.ReachabilityStatus == "" &&
		d.ConnectivityStatus == "" && d.Roaming == nil && d.CountryCode == 0 && d.CountryName == nil &&
		d.ConnectedNetworkType == "" && d.InitiationReason == "" && d.UpdateReason == "" &&
		d.TerminationReason == "" && d.TerminationDescription == "" &&
		d.Area == nil && d.ServiceArea == nil && d.SliceID == "" && d.Status == "" && d.More().isZero()
}

// dataNames are every JSON name Data declares.
var dataNames = []string{"subscriptionId", "sessionId", "qosStatus", "statusInfo", "device", "ueId", "uePort",
	"deviceStatus", "reachabilityStatus", "connectivityStatus", "roaming", "countryCode", "countryName",
	"connectedNetworkType", "initiationReason", "updateReason", "terminationReason", "terminationDescription",
	"area", "serviceArea", "sliceId", "status",
	"phoneNumber", "assignmentId", "bookingId", "bookingStatus", "bookingDetails", "deviceDetails",
	"applicationProfileId", "packetDelayBudget", "targetMinDownstreamRate", "targetMinUpstreamRate",
	"packetlossErrorRate", "jitter", "additionalKpis", "level"}

// data reads the members of a data object whose '{' was consumed, at
// nesting depth; sub is the identity its subscriptionId is, exact whether
// the members above it were spelt exactly.
func (d *decoder) data(x *Data, depth, sub int, exact bool) bool {
	for first := true; ; {
		key, esc, done, ok := d.s.nextKey(&first)
		if !ok || done {
			return ok
		}
		name, exactKey := dataSet.lookup(key, esc)
		d.push(name)
		ok = d.dataMember(x, name, depth+1, sub, exact && exactKey)
		d.pop()
		if !ok {
			return false
		}
	}
}

func (d *decoder) dataMember(x *Data, name string, depth, sub int, exact bool) bool {
	switch name {
	case "subscriptionId":
		d.ident(sub, exact)
		return d.flex(&x.SubscriptionID, depth)
	case "sessionId":
		return d.str(&x.SessionID, depth)
	case "qosStatus":
		return d.intern(&x.QoSStatus, depth)
	case "statusInfo":
		return d.intern(&x.StatusInfo, depth)
	case "deviceStatus":
		return d.intern(&x.DeviceStatus, depth)
	case "reachabilityStatus":
		return d.intern(&x.ReachabilityStatus, depth)
	case "connectivityStatus":
		return d.intern(&x.ConnectivityStatus, depth)
	case "connectedNetworkType":
		return d.intern(&x.ConnectedNetworkType, depth)
	case "initiationReason":
		return d.intern(&x.InitiationReason, depth)
	case "updateReason":
		return d.intern(&x.UpdateReason, depth)
	case "terminationReason":
		return d.intern(&x.TerminationReason, depth)
	case "terminationDescription":
		return d.str(&x.TerminationDescription, depth)
	case "countryName":
		return d.stringList(&x.CountryName, depth)
	case "countryCode":
		return d.flexInt(&x.CountryCode, depth)
	case "uePort":
		return d.flexInt(&x.UEPort, depth)
	case "roaming":
		return d.boolPtr(&x.Roaming, depth)
	case "device":
		return d.device(&x.Device, depth)
	case "ueId":
		return d.ueid(&x.UEID, depth)
	case "area":
		return d.area(&x.Area, depth)
	case "serviceArea":
		return d.area(&x.ServiceArea, depth)
	case "sliceId":
		return d.flex(&x.SliceID, depth)
	case "status":
		return d.intern(&x.Status, depth)
	case "phoneNumber":
		return d.flex(&x.extra().PhoneNumber, depth)
	case "assignmentId":
		return d.str(&x.extra().AssignmentID, depth)
	case "bookingId":
		return d.str(&x.extra().BookingID, depth)
	case "bookingStatus":
		return d.intern(&x.extra().BookingStatus, depth)
	case "bookingDetails":
		return d.bookingRef(&x.extra().BookingDetails, depth)
	case "deviceDetails":
		return d.bookingRef(&x.extra().DeviceDetails, depth)
	case "applicationProfileId":
		return d.str(&x.extra().ApplicationProfileID, depth)
	case "packetDelayBudget":
		return d.intern(&x.extra().PacketDelayBudget, depth)
	case "targetMinDownstreamRate":
		return d.intern(&x.extra().TargetMinDownstreamRate, depth)
	case "targetMinUpstreamRate":
		return d.intern(&x.extra().TargetMinUpstreamRate, depth)
	case "packetlossErrorRate":
		return d.intern(&x.extra().PacketlossErrorRate, depth)
	case "jitter":
		return d.intern(&x.extra().Jitter, depth)
	case "additionalKpis":
		return d.kpis(&x.extra().AdditionalKpis, depth)
	case "level":
		return d.intern(&x.extra().Level, depth)
	}
	return d.skip(depth)
}
