package wire

// The nested data objects of the QoS booking and connectivity insights
// kinds, and the top-level members of the asynchronous results that CAMARA
// APIs post without an envelope. Their names are in data.go's and
// members.go's lists; TestFastPathNameLists holds those to the tags.

// BookingRef is data.bookingDetails (the booking) and data.deviceDetails
// (a device assignment, which names its booking in bookingDetails) of QoS
// booking and assignment: only what identifies the booking and its status.
type BookingRef struct {
	BookingID      string       `json:"bookingId"`
	BookingDetails *BookingRef  `json:"bookingDetails"`
	Status         InternString `json:"status"`
	StatusInfo     InternString `json:"statusInfo"`
}

var bookingRefNames = []string{"bookingId", "bookingDetails", "status", "statusInfo"}

// KPIs is data.additionalKpis of connectivity insights.
type KPIs struct {
	SignalStrength   InternString `json:"signalStrength"`
	ConnectivityType InternString `json:"connectivityType"`
}

var kpiNames = []string{"signalStrength", "connectivityType"}

var (
	bookingRefSet = newNameSet(bookingRefNames)
	kpiSet        = newNameSet(kpiNames)
)

func (d *decoder) bookingRef(dst **BookingRef, depth int) bool {
	return nested(d, dst, depth, bookingRefSet, bookingRefMember)
}

func bookingRefMember(d *decoder, b *BookingRef, name string, depth int) bool {
	switch name {
	case "bookingId":
		return d.str(&b.BookingID, depth)
	case "bookingDetails":
		return d.bookingRef(&b.BookingDetails, depth)
	case "status":
		return d.intern(&b.Status, depth)
	case "statusInfo":
		return d.intern(&b.StatusInfo, depth)
	}
	return d.skip(depth)
}

func (d *decoder) kpis(dst **KPIs, depth int) bool {
	return nested(d, dst, depth, kpiSet, kpisMember)
}

func kpisMember(d *decoder, k *KPIs, name string, depth int) bool {
	switch name {
	case "signalStrength":
		return d.intern(&k.SignalStrength, depth)
	case "connectivityType":
		return d.intern(&k.ConnectivityType, depth)
	}
	return d.skip(depth)
}

// Result holds the top-level members of an asynchronous result (CAMARA
// Population Density Data, Predictive Connectivity Data), which has no
// envelope. Every member is read loosely: these names are also plausible
// CloudEvents extensions, and a value of another type must never refuse an
// event, so it is ignored rather than reported.
type Result struct {
	OperationID                LooseString `json:"operationId"`
	Status                     LooseString `json:"status"`
	StatusInfo                 LooseString `json:"statusInfo"`
	TimedPopulationDensityData Presence    `json:"timedPopulationDensityData"`
	TimedConnectivityData      Presence    `json:"timedConnectivityData"`
}

// resultMember reads a member of Result.
func (d *decoder) resultMember(r *Result, name string, depth int) bool {
	switch name {
	case "operationId":
		return d.loose(&r.OperationID, depth)
	case "status":
		return d.loose(&r.Status, depth)
	case "statusInfo":
		return d.loose(&r.StatusInfo, depth)
	}
	b, ok := d.raw(depth)
	if !ok {
		return false
	}
	switch name {
	case "timedPopulationDensityData":
		_ = r.TimedPopulationDensityData.UnmarshalJSON(b) // never fails
	case "timedConnectivityData":
		_ = r.TimedConnectivityData.UnmarshalJSON(b)
	}
	return true
}

// loose reads a value for a LooseString: a plain string as flex reads it,
// so that a body repeating the member costs a bounded number of copies
// (see text), any other value through UnmarshalJSON, which never fails.
func (d *decoder) loose(dst *LooseString, depth int) bool {
	if v, ok := d.plain(); ok {
		*dst = LooseString(d.text(v))
		return true
	}
	b, ok := d.raw(depth)
	if ok {
		_ = dst.UnmarshalJSON(b)
	}
	return ok
}

// LooseString is a JSON string, or a number kept as its literal text; any
// other value leaves it as it was, without an error.
type LooseString string

func (s *LooseString) UnmarshalJSON(b []byte) error {
	var f FlexString
	if b[0] == 'n' || b[0] == 't' || b[0] == 'f' || f.UnmarshalJSON(b) != nil {
		return nil
	}
	*s = LooseString(f)
	return nil
}

// Presence records that a member was sent with a value other than null,
// whatever its type.
type Presence bool

func (p *Presence) UnmarshalJSON(b []byte) error {
	if b[0] != 'n' {
		*p = true
	}
	return nil
}
