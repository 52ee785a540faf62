package wire

// This file holds everything about the data member (CloudEvents data,
// legacy eventDetail): its fields, IsZero, the JSON names for the fast path
// and the fast path's decoder. A new data member goes in all four, in this
// file only; TestFastPathNameLists holds the name list to the struct tags,
// and FuzzFastPath the decoder to encoding/json.

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
}

// IsZero reports whether no member of the data was set: absent, null or {}.
func (d *Data) IsZero() bool {
	return d.SubscriptionID == "" && d.SessionID == "" && d.QoSStatus == "" && d.StatusInfo == "" &&
		d.Device == nil && d.UEID == nil && d.UEPort == 0 && d.DeviceStatus == "" && d.ReachabilityStatus == "" &&
		d.ConnectivityStatus == "" && d.Roaming == nil && d.CountryCode == 0 && d.CountryName == nil &&
		d.ConnectedNetworkType == "" && d.InitiationReason == "" && d.UpdateReason == "" &&
		d.TerminationReason == "" && d.TerminationDescription == ""
}

// dataNames are every JSON name Data declares; see topLevelNames.
var dataNames = []string{"subscriptionId", "sessionId", "qosStatus", "statusInfo", "device", "ueId", "uePort",
	"deviceStatus", "reachabilityStatus", "connectivityStatus", "roaming", "countryCode", "countryName",
	"connectedNetworkType", "initiationReason", "updateReason", "terminationReason", "terminationDescription"}

func (d *Data) member(s *scanner, key []byte) bool {
	switch string(key) {
	case "subscriptionId":
		return s.flexStr(&d.SubscriptionID)
	case "sessionId":
		return s.plainStr(&d.SessionID)
	case "qosStatus":
		return s.internStr(&d.QoSStatus)
	case "statusInfo":
		return s.internStr(&d.StatusInfo)
	case "deviceStatus":
		return s.internStr(&d.DeviceStatus)
	case "reachabilityStatus":
		return s.internStr(&d.ReachabilityStatus)
	case "connectivityStatus":
		return s.internStr(&d.ConnectivityStatus)
	case "connectedNetworkType":
		return s.internStr(&d.ConnectedNetworkType)
	case "initiationReason":
		return s.internStr(&d.InitiationReason)
	case "updateReason":
		return s.internStr(&d.UpdateReason)
	case "terminationReason":
		return s.internStr(&d.TerminationReason)
	case "terminationDescription":
		return s.plainStr(&d.TerminationDescription)
	case "countryName":
		return s.stringList(&d.CountryName)
	case "countryCode":
		return s.flexInteger(&d.CountryCode)
	case "roaming":
		switch {
		case s.literal("true"):
			t := true
			d.Roaming = &t
		case s.literal("false"):
			f := false
			d.Roaming = &f
		case s.literal("null"):
			d.Roaming = nil
		default:
			return false
		}
		return true
	case "device":
		if s.literal("null") {
			d.Device = nil
			return true
		}
		if d.Device == nil {
			d.Device = new(Device)
		}
		return s.object(d.Device)
	}
	return !foldsTo(key, dataNames...) && s.skip(0)
}
