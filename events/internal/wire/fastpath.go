package wire

// The fast path decodes the common case, a CloudEvents structured object
// whose members are plain strings, booleans, small integers and the data
// objects this package models, in one pass without reflection. Anything
// else (escapes, numbers where strings belong, legacy members, keys that
// differ from ours only in case, invalid UTF-8, malformed JSON) makes it
// give up, and the encoding/json path decodes the body instead. It must
// never accept what that path would decode differently: FuzzFastPath holds
// it to exactly that.

// topLevelNames are every JSON name Event declares.
var topLevelNames = []string{"id", "source", "type", "specversion", "time", "datacontenttype", "subject", "dataschema", "data",
	"data_base64", "event", "eventSubscriptionId", "sessionId", "eventId", "eventType", "eventTime", "eventDetail"}

var deviceNames = []string{"phoneNumber", "networkAccessIdentifier", "ipv4Address", "ipv6Address"}

var ipv4Names = []string{"publicAddress", "privateAddress", "publicPort", "DeviceIpv4Addr"}

// memberDecoder decodes the members of one JSON object kind: member reads
// the value of key (the scanner is past the ':') and reports false to give
// up. One loop, object, serves every kind.
type memberDecoder interface {
	member(s *scanner, key []byte) bool
}

// fastDecode decodes body into w, or reports false (w is then garbage and
// must be reset). The scanner lives in w, which is pooled: a scanner on the
// stack would escape through the memberDecoder calls and cost an
// allocation per event.
func fastDecode(body []byte, w *Event) bool {
	w.scan = scanner{b: body}
	return w.scan.object(w) && w.scan.end()
}

// binaryData is the target of a binary-mode body: the data and the scanner
// in one allocation.
type binaryData struct {
	Data
	scan scanner
}

// fastDecodeData decodes a whole body that is one data object (binary
// mode) into d, or reports false (d is then garbage and must be reset).
func fastDecodeData(body []byte, d *binaryData) bool {
	d.scan = scanner{b: body}
	return d.scan.object(&d.Data) && d.scan.end()
}

func (w *Event) member(s *scanner, key []byte) bool {
	switch string(key) {
	case "id":
		return s.flexStr(&w.ID)
	case "source":
		return s.plainStr(&w.Source)
	case "type":
		return s.internStr(&w.Type)
	case "specversion":
		return s.internStr(&w.SpecVersion)
	case "datacontenttype":
		return s.internStr(&w.DataContentType)
	case "subject":
		return s.plainStr(&w.Subject)
	case "dataschema":
		return s.plainStr(&w.DataSchema)
	case "time":
		if s.literal("null") {
			return true
		}
		_, quoted, ok := s.str()
		return ok && w.Time.UnmarshalJSON(quoted) == nil
	case "data":
		return s.literal("null") || s.object(&w.Data)
	}
	return !foldsTo(key, topLevelNames...) && s.skip(0)
}

func (dv *Device) member(s *scanner, key []byte) bool {
	switch string(key) {
	case "phoneNumber":
		return s.flexStr(&dv.PhoneNumber)
	case "networkAccessIdentifier":
		return s.plainStr(&dv.NetworkAccessIdentifier)
	case "ipv6Address":
		return s.plainStr(&dv.IPv6Address)
	case "ipv4Address":
		if s.literal("null") {
			dv.IPv4Address = nil
			return true
		}
		if dv.IPv4Address == nil {
			dv.IPv4Address = new(IPv4)
		}
		return s.object(dv.IPv4Address)
	}
	return !foldsTo(key, deviceNames...) && s.skip(0)
}

func (v4 *IPv4) member(s *scanner, key []byte) bool {
	switch string(key) {
	case "publicAddress":
		return s.plainStr(&v4.PublicAddress)
	case "privateAddress":
		return s.plainStr(&v4.PrivateAddress)
	case "publicPort":
		return s.flexInteger(&v4.PublicPort)
	}
	return !foldsTo(key, ipv4Names...) && s.skip(0)
}
