package events

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// The fast path decodes the common case, a CloudEvents structured object
// whose members are plain strings, booleans, small integers and the data
// objects this package models, in one pass without reflection. Anything
// else (escapes, numbers where strings belong, legacy members, keys that
// differ from ours only in case, invalid UTF-8, malformed JSON) makes it
// give up, and the encoding/json path decodes the body instead. It must
// never accept what that path would decode differently: FuzzFastPath holds
// it to exactly that.

// fastScanner walks JSON bytes.
type fastScanner struct {
	b []byte
	i int
}

func (s *fastScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (s *fastScanner) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *fastScanner) consume(c byte) bool {
	if s.peek() == c {
		s.i++
		return true
	}
	return false
}

// str reads a string without escapes and returns its bytes (without
// quotes), and the bytes with quotes.
func (s *fastScanner) str() (val, quoted []byte, ok bool) {
	if s.peek() != '"' {
		return nil, nil, false
	}
	start := s.i
	s.i++
	end := bytes.IndexByte(s.b[s.i:], '"')
	if end < 0 {
		return nil, nil, false
	}
	val = s.b[s.i : s.i+end]
	for _, c := range val {
		if c < 0x20 || c == '\\' {
			return nil, nil, false
		}
	}
	if !utf8.Valid(val) {
		return nil, nil, false
	}
	s.i += end + 1
	return val, s.b[start:s.i], true
}

func (s *fastScanner) literal(lit string) bool {
	s.ws()
	if len(s.b)-s.i < len(lit) {
		return false
	}
	for j := 0; j < len(lit); j++ {
		if s.b[s.i+j] != lit[j] {
			return false
		}
	}
	s.i += len(lit)
	return true
}

// integer reads a JSON integer that fits an int.
func (s *fastScanner) integer() (int, bool) {
	s.ws()
	start, neg := s.i, false
	if s.i < len(s.b) && s.b[s.i] == '-' {
		neg = true
		s.i++
	}
	n, digits := 0, 0
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		if digits == 18 {
			return 0, false
		}
		n = n*10 + int(s.b[s.i]-'0')
		s.i++
		digits++
	}
	if digits == 0 || (digits > 1 && s.b[start+boolInt(neg)] == '0') {
		return 0, false
	}
	if s.i < len(s.b) {
		switch s.b[s.i] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	if neg {
		n = -n
	}
	return n, true
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// skip passes over any JSON value made of the simple forms the fast path
// understands, validating it; depth bounds nesting.
func (s *fastScanner) skip(depth int) bool {
	if depth > 64 {
		return false
	}
	switch s.peek() {
	case '"':
		_, _, ok := s.str()
		return ok
	case '{':
		s.i++
		if s.consume('}') {
			return true
		}
		for {
			if _, _, ok := s.str(); !ok || !s.consume(':') || !s.skip(depth+1) {
				return false
			}
			if s.consume(',') {
				continue
			}
			return s.consume('}')
		}
	case '[':
		s.i++
		if s.consume(']') {
			return true
		}
		for {
			if !s.skip(depth + 1) {
				return false
			}
			if s.consume(',') {
				continue
			}
			return s.consume(']')
		}
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	}
	_, ok := s.integer()
	return ok
}

// nextKey reads the next member's key of an object whose '{' was consumed,
// and its ':'. first must start true. It reports done at the closing '}',
// and !ok on anything malformed.
func (s *fastScanner) nextKey(first *bool) (key []byte, done, ok bool) {
	if s.consume('}') {
		return nil, true, true
	}
	if !*first && !s.consume(',') {
		return nil, false, false
	}
	*first = false
	key, _, ok = s.str()
	if !ok || !s.consume(':') {
		return nil, false, false
	}
	return key, false, true
}

// internStr reads a string or null into an internString.
func (s *fastScanner) internStr(dst *internString) bool {
	if s.literal("null") {
		return true
	}
	v, _, ok := s.str()
	if !ok {
		return false
	}
	if iv, hit := interned[string(v)]; hit {
		*dst = internString(iv)
	} else {
		*dst = internString(v)
	}
	return true
}

// stringList reads a string, an array of strings, or null.
func (s *fastScanner) stringList(dst *stringList) bool {
	switch s.peek() {
	case 'n':
		return s.literal("null")
	case '"':
		v, _, ok := s.str()
		if ok {
			*dst = stringList{string(v)}
		}
		return ok
	case '[':
		s.i++
		list := stringList{}
		if s.consume(']') {
			*dst = list
			return true
		}
		for {
			v, _, ok := s.str()
			if !ok {
				return false
			}
			list = append(list, string(v))
			if s.consume(',') {
				continue
			}
			*dst = list
			return s.consume(']')
		}
	}
	return false
}

func (s *fastScanner) plainStr(dst *string) bool {
	if s.literal("null") {
		return true
	}
	v, _, ok := s.str()
	if ok {
		*dst = string(v)
	}
	return ok
}

func (s *fastScanner) flexStr(dst *flexString) bool {
	if s.literal("null") {
		return true
	}
	v, _, ok := s.str() // numbers give up: rare, and encoding/json handles them
	if ok {
		*dst = flexString(v)
	}
	return ok
}

// foldsTo reports whether key differs only in case from one of names:
// encoding/json would match it to that field, so the fast path gives up.
func foldsTo(key []byte, names ...string) bool {
	for _, n := range names {
		if strings.EqualFold(n, string(key)) {
			return true
		}
	}
	return false
}

// topLevelNames are every JSON name wireEvent declares.
var topLevelNames = []string{"id", "source", "type", "specversion", "time", "datacontenttype", "subject", "dataschema", "data",
	"data_base64", "event", "eventSubscriptionId", "sessionId", "eventId", "eventType", "eventTime", "eventDetail"}

var dataNames = []string{"subscriptionId", "sessionId", "qosStatus", "statusInfo", "device", "ueId", "uePort",
	"deviceStatus", "reachabilityStatus", "connectivityStatus", "roaming", "countryCode", "countryName",
	"connectedNetworkType", "initiationReason", "updateReason", "terminationReason", "terminationDescription"}

var deviceNames = []string{"phoneNumber", "networkAccessIdentifier", "ipv4Address", "ipv6Address"}

var ipv4Names = []string{"publicAddress", "privateAddress", "publicPort", "DeviceIpv4Addr"}

// memberDecoder decodes the members of one JSON object kind: member reads
// the value of key (the scanner is past the ':') and reports false to give
// up. One loop, object, serves every kind.
type memberDecoder interface {
	member(s *fastScanner, key []byte) bool
}

// object decodes a whole object into d.
func (s *fastScanner) object(d memberDecoder) bool {
	if !s.consume('{') {
		return false
	}
	for first := true; ; {
		key, done, ok := s.nextKey(&first)
		if !ok || done {
			return ok
		}
		if !d.member(s, key) {
			return false
		}
	}
}

// end reports whether only white space is left.
func (s *fastScanner) end() bool {
	s.ws()
	return s.i == len(s.b)
}

// fastDecode decodes body into w, or reports false (w is then garbage and
// must be reset). The scanner lives in w, which is pooled: a scanner on the
// stack would escape through the memberDecoder calls and cost an
// allocation per event.
func fastDecode(body []byte, w *wireEvent) bool {
	w.scan = fastScanner{b: body}
	return w.scan.object(w) && w.scan.end()
}

// binaryData is the target of a binary-mode body: the data and the scanner
// in one allocation.
type binaryData struct {
	wireData
	scan fastScanner
}

// fastDecodeData decodes a whole body that is one data object (binary
// mode) into d, or reports false (d is then garbage and must be reset).
func fastDecodeData(body []byte, d *binaryData) bool {
	d.scan = fastScanner{b: body}
	return d.scan.object(&d.wireData) && d.scan.end()
}

func (w *wireEvent) member(s *fastScanner, key []byte) bool {
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

func (d *wireData) member(s *fastScanner, key []byte) bool {
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
			d.Device = new(wireDevice)
		}
		return s.object(d.Device)
	}
	return !foldsTo(key, dataNames...) && s.skip(0)
}

func (dv *wireDevice) member(s *fastScanner, key []byte) bool {
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
			dv.IPv4Address = new(wireIPv4)
		}
		return s.object(dv.IPv4Address)
	}
	return !foldsTo(key, deviceNames...) && s.skip(0)
}

func (v4 *wireIPv4) member(s *fastScanner, key []byte) bool {
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

// flexInteger reads an integer or null into a flexInt.
func (s *fastScanner) flexInteger(dst *flexInt) bool {
	if s.literal("null") {
		return true
	}
	n, ok := s.integer()
	if ok {
		*dst = flexInt(n)
	}
	return ok
}
