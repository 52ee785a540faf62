package wire

import (
	"encoding/json"
	"hash/fnv"
	"slices"
	"strings"
	"unicode/utf8"
)

// The decoder reads a body in one pass over its bytes, into the wire types,
// with encoding/json's semantics: members matched to fields by name, exactly
// or else without regard to case; a member sent twice decoded twice into the
// same field (the last wins, objects merge); a value of the wrong type
// recorded as a *json.UnmarshalTypeError naming the member and the decoding
// carried on; the custom types decoded by their own UnmarshalJSON methods,
// handed the value's bytes as encoding/json hands them. Members no field
// names are validated and skipped. FuzzDecode holds it to encoding/json.
//
// Its cost is linear in the body: one pass scans each byte once, and hands
// the values of some fields to an UnmarshalJSON method, which reads them
// once more; setting members aside costs no second pass (see lenient.go).
// FuzzParse holds the work to a small multiple of the body's length.

// Known reports whether typ names an event kind the caller models: typ is a
// CloudEvents type when cloudEvent is true, a legacy eventType otherwise.
type Known func(typ string, cloudEvent bool) bool

// AmbiguousError reports a member that decides an event's identity or
// authorization (id, source, type, specversion, a subscription id, and
// their legacy counterparts) sent more than once, or under a name that
// differs from its own only in case: parsers would disagree on its value.
type AmbiguousError struct {
	Field       string // the member's path, as this package names it
	CaseVariant bool   // sent once, under another spelling
}

func (e *AmbiguousError) Error() string {
	if e.CaseVariant {
		return e.Field + ": named with other letter case"
	}
	return e.Field + ": sent more than once"
}

// The members AmbiguousError guards.
const (
	idID = iota
	idSource
	idType
	idSpecVersion
	idEventSubscriptionID
	idDataSubscriptionID
	idEventID
	idEventType
	idDetailSubscriptionID      // eventDetail.subscriptionId (unwrapped legacy)
	idEventEventID              // event.eventId
	idEventEventType            // event.eventType
	idEventDetailSubscriptionID // event.eventDetail.subscriptionId
	idBinarySubscriptionID      // subscriptionId of a binary-mode body
	idNone                      = -1
	identities                  = idBinarySubscriptionID + 1
)

var identityNames = [identities]string{"id", "source", "type", "specversion", "eventSubscriptionId", "data.subscriptionId",
	"eventId", "eventType", "eventDetail.subscriptionId", "event.eventId", "event.eventType",
	"event.eventDetail.subscriptionId", "subscriptionId"}

// decoder is the state of one pass.
type decoder struct {
	s    scanner
	work int // bytes handed to UnmarshalJSON methods: see Work

	path  [16]string // the field names down to the current value, for errors
	depth int        // of path in use; deeper values are named by their first 16

	errs         []*json.UnmarshalTypeError // the first value of the wrong type at each path, in order
	errPaths     map[uint64]struct{}        // hashes of the paths in errs
	lastErr      *[16]string                // the path of the last error recorded or met again; allocated with the first error, so that a decoder without errors is small to zero
	lastErrDepth int

	seen    [identities]uint8
	variant [identities]bool

	specVersion bool // a specversion member other than null was read
	traceTooFar bool // a trace member's value ends beyond an Extent's reach

	times  [4]pendingTime // time, eventTime, event.eventTime (see time)
	ntimes int

	copies int    // string values copied so far (see text)
	body   string // a copy of the whole body, once copies reached maxCopies

}

func (d *decoder) push(name string) {
	if d.depth < len(d.path) {
		d.path[d.depth] = name
	}
	d.depth++
}

func (d *decoder) pop() { d.depth-- }

// typeError records that the value at the current path, raw, has the wrong
// type; err, when not nil, is the error an UnmarshalJSON method returned.
//
// One error is kept per path, the first: what the lenient decoder decides
// depends on the path alone, and a body repeating one wrong member must not
// cost an error each.
func (d *decoder) typeError(raw []byte, err error) {
	path := d.path[:min(d.depth, len(d.path))]
	if n := len(d.errs); n > 0 && d.lastErrDepth == len(path) && slices.Equal(d.lastErr[:len(path)], path) {
		// The same path as the last error, as in a body repeating one
		// wrong member: told without hashing (the names are the field
		// names' own strings, compared by pointer first).
		return
	}
	if d.lastErr == nil {
		d.lastErr = new([16]string)
	}
	d.lastErrDepth = copy(d.lastErr[:], path)
	h := fnv.New64a()
	for _, p := range d.path[:min(d.depth, len(d.path))] {
		h.Write([]byte(p)) // no allocation: the hash does not keep the bytes
		h.Write([]byte{'.'})
	}
	sum := h.Sum64()
	if d.errPaths == nil {
		d.errPaths = make(map[uint64]struct{})
	} else if _, dup := d.errPaths[sum]; dup {
		return
	}
	d.errPaths[sum] = struct{}{}
	te, ok := err.(*json.UnmarshalTypeError)
	if !ok {
		te = &json.UnmarshalTypeError{Value: JSONKind(raw), Type: stringType}
	}
	te.Field = strings.Join(d.path[:min(d.depth, len(d.path))], ".")
	d.errs = append(d.errs, te)
}

// ident counts an occurrence of identity member i; exact is whether it and
// every member above it were spelt as this package spells them.
func (d *decoder) ident(i int, exact bool) {
	if i == idNone {
		return
	}
	if d.seen[i] < 2 {
		d.seen[i]++
	}
	if !exact {
		d.variant[i] = true
	}
}

// The identity members of each kind of body: a CloudEvent's (specversion
// present) and a legacy body's. Those of the other kind are extensions or
// stray members its event does not read (CloudEvents extension names are
// lower case, and fold to the legacy eventId and eventType).
var (
	cloudEventIdentities = []int{idID, idSource, idType, idSpecVersion, idEventSubscriptionID, idDataSubscriptionID,
		idEventDetailSubscriptionID, idBinarySubscriptionID}
	legacyIdentities = []int{idEventSubscriptionID, idEventID, idEventType, idDetailSubscriptionID, idEventEventID,
		idEventEventType, idEventDetailSubscriptionID, idBinarySubscriptionID}
)

// ambiguity returns the AmbiguousError of the first identity member seen
// twice or misspelt, or nil.
func (d *decoder) ambiguity() error {
	ids := legacyIdentities
	if d.specVersion {
		ids = cloudEventIdentities
	}
	for _, i := range ids {
		if d.seen[i] > 1 || d.variant[i] {
			return &AmbiguousError{Field: identityNames[i], CaseVariant: d.seen[i] == 1}
		}
	}
	return nil
}

// strValue reads a string and returns its value.
func (d *decoder) strValue() (string, bool) {
	raw, escaped, ok := d.s.str()
	if !ok {
		return "", false
	}
	d.s.reread += len(raw)
	if escaped {
		return unquote(raw), true
	}
	return d.text(raw), true
}

// maxCopies is how many string values a decoding copies one by one; the
// later ones share one copy of the body.
const maxCopies = 32

// sharedBody is the size up to which a body's string values all share one
// copy of it: a string kept after its event then pins at most this much,
// and an event of the usual size costs one allocation for its strings
// instead of one each.
const sharedBody = 1 << 10

// text returns raw, the plain string str has just read, as a string: in a
// small body, a substring of one copy of the whole body; in a larger one, a
// copy of its own while few were made (a kept string pins nothing else),
// then a substring of one copy of the whole body, so that a body repeating
// string members costs one allocation, not one per member.
func (d *decoder) text(raw []byte) string {
	switch {
	case len(raw) == 0:
		return ""
	case d.copies < maxCopies && len(d.s.b) > sharedBody:
		d.copies++
		return string(raw)
	}
	if d.body == "" {
		d.body = string(d.s.b)
	}
	return d.body[d.s.last : d.s.last+len(raw)]
}

// skip passes over a value no field reads.
func (d *decoder) skip(depth int) bool { return d.s.skip(depth) }

// raw reads a value for an UnmarshalJSON method.
func (d *decoder) raw(depth int) ([]byte, bool) {
	b, ok := d.s.value(depth)
	d.work += len(b)
	return b, ok
}

// Readers of one value into a field of each type; each reports false on a
// syntax error only (d.s.bad), a type error being recorded.

func (d *decoder) str(dst *string, depth int) bool {
	switch d.s.peek() {
	case '"':
		v, ok := d.strValue()
		*dst = v
		return ok
	case 'n':
		return d.s.literal("null") || d.s.fail()
	}
	b, ok := d.s.value(depth)
	if ok {
		d.typeError(b, nil)
	}
	return ok
}

// plain reads a string value without escapes or bytes that are not
// UTF-8, which FlexString and InternString take as they are; it reports
// false, having read nothing, for any other value.
func (d *decoder) plain() ([]byte, bool) {
	if d.s.peek() != '"' {
		return nil, false
	}
	save := d.s.i
	v, escaped, ok := d.s.str()
	if !ok || escaped {
		d.s.i, d.s.bad = save, false // read again, whole, by the caller
		return nil, false
	}
	d.work += len(v)
	return v, true
}

func (d *decoder) flex(dst *FlexString, depth int) bool {
	if v, ok := d.plain(); ok {
		*dst = FlexString(d.text(v))
		return true
	}
	b, ok := d.raw(depth)
	if ok {
		if err := dst.UnmarshalJSON(b); err != nil {
			d.typeError(b, err)
		}
	}
	return ok
}

func (d *decoder) intern(dst *InternString, depth int) bool {
	if v, ok := d.plain(); ok {
		if iv, hit := interned[string(v)]; hit { // no allocation: map lookup by converted bytes
			*dst = InternString(iv)
		} else {
			*dst = InternString(d.text(v))
		}
		return true
	}
	b, ok := d.raw(depth)
	if ok {
		if err := dst.UnmarshalJSON(b); err != nil {
			d.typeError(b, err)
		}
	}
	return ok
}

func (d *decoder) flexInt(dst *FlexInt, depth int) bool {
	b, ok := d.raw(depth)
	if ok {
		if err := dst.UnmarshalJSON(b); err != nil {
			d.typeError(b, err)
		}
	}
	return ok
}

// time reads a value for a Time. Parsing a time costs many times reading
// it, and only the last value of a member counts, so the value is kept and
// parsed once the pass is over (see parseTimes): a body repeating a time
// member costs one parse, not one per member.
func (d *decoder) time(dst *Time, depth int) bool {
	b, ok := d.raw(depth)
	if !ok || b[0] == 'n' { // null leaves the time as it was
		return ok
	}
	for i := range d.times[:d.ntimes] {
		if d.times[i].dst == dst {
			d.times[i].raw = b
			return true
		}
	}
	if d.ntimes == len(d.times) {
		_ = dst.UnmarshalJSON(b) // cannot happen: fewer Time fields than slots
		return true
	}
	d.times[d.ntimes] = pendingTime{dst, b}
	d.ntimes++
	return true
}

// pendingTime is the last value read for a Time, not yet parsed.
type pendingTime struct {
	dst *Time
	raw []byte
}

// forgetTime drops the pending value of dst, whose struct was replaced.
func (d *decoder) forgetTime(dst *Time) {
	for i := range d.times[:d.ntimes] {
		if d.times[i].dst == dst {
			d.times[i].raw = nil
		}
	}
}

// parseTimes parses the last value read for each Time.
func (d *decoder) parseTimes() {
	for _, p := range d.times[:d.ntimes] {
		if p.raw != nil {
			_ = p.dst.UnmarshalJSON(p.raw) // never fails: a bad time is remembered
		}
	}
}

func (d *decoder) boolPtr(dst **bool, depth int) bool {
	switch {
	case d.s.literal("true"):
		t := true
		*dst = &t
	case d.s.literal("false"):
		f := false
		*dst = &f
	case d.s.literal("null"):
		*dst = nil
	default:
		b, ok := d.s.value(depth)
		if ok {
			d.typeError(b, nil)
		}
		return ok
	}
	return true
}

func (d *decoder) strPtr(dst **string, depth int) bool {
	switch d.s.peek() {
	case '"':
		v, ok := d.strValue()
		*dst = &v
		return ok
	case 'n':
		*dst = nil
		return d.s.literal("null") || d.s.fail()
	}
	b, ok := d.s.value(depth)
	if ok {
		d.typeError(b, nil)
	}
	return ok
}

// stringList reads a string, an array of strings (null elements stay ""),
// or null, as StringList.UnmarshalJSON does.
func (d *decoder) stringList(dst *StringList, depth int) bool {
	switch d.s.peek() {
	case 'n':
		return d.s.literal("null") || d.s.fail()
	case '"':
		v, ok := d.strValue()
		*dst = StringList{v}
		return ok
	case '[':
		start := d.s.i
		d.s.i++
		list := StringList{}
		if !d.s.consume(']') {
			for bad := false; ; {
				elem := d.s.i
				switch d.s.peek() {
				case '"':
					v, ok := d.strValue()
					if !ok {
						return false
					}
					list = append(list, v)
				case 'n':
					if !d.s.literal("null") {
						return d.s.fail()
					}
					list = append(list, "")
				default:
					if !d.s.skip(depth + 1) {
						return false
					}
					if !bad { // as json.Unmarshal into []string reports it
						bad = true
						d.typeError(d.s.b[start:d.s.i], &json.UnmarshalTypeError{Value: JSONKind(d.s.b[elem:]), Type: stringType})
					}
				}
				if d.s.consume(',') {
					continue
				}
				if !d.s.consume(']') {
					return d.s.fail()
				}
				break
			}
		}
		*dst = list
		return true
	}
	b, ok := d.s.value(depth)
	if ok {
		d.typeError(b, typeError(b, "string or array of strings"))
	}
	return ok
}

// object starts reading an object value into a struct field: it reports
// isObject when one starts here (its '{' consumed), and otherwise reads the
// value, null leaving the field alone and anything else recorded as a type
// error.
func (d *decoder) object(depth int) (isObject, ok bool) {
	switch d.s.peek() {
	case '{':
		if depth >= maxDepth {
			return false, d.s.fail()
		}
		d.s.i++
		return true, true
	case 'n':
		return false, d.s.literal("null") || d.s.fail()
	}
	b, ok := d.s.value(depth)
	if ok {
		d.typeError(b, nil)
	}
	return false, ok
}

// nameSet is the JSON names of one struct's fields, for lookup.
type nameSet struct {
	names []string
	lower []string
	byLen [64][]int // indexes of the names of each length
	first [256]bool // the ASCII bytes a key naming one of them may start with
}

func newNameSet(names []string) *nameSet {
	ns := &nameSet{names: names}
	for i, n := range names {
		ns.lower = append(ns.lower, strings.ToLower(n))
		ns.byLen[len(n)] = append(ns.byLen[len(n)], i)
		ns.first[ns.lower[i][0]] = true
		ns.first[strings.ToUpper(n[:1])[0]] = true
	}
	return ns
}

// lookup returns the field name key stands for and whether key is that
// name exactly; "" when none. Like encoding/json it prefers an exact match,
// then one under Unicode case folding: the names are ASCII, and the only
// other runes that fold to ASCII letters are U+212A (k) and U+017F (s).
func (ns *nameSet) lookup(key []byte, escaped bool) (string, bool) {
	if !escaped && (len(key) == 0 || key[0] < utf8.RuneSelf && !ns.first[key[0]]) {
		// Most keys of a large body name no field: told by their first
		// byte, which only an ASCII letter of a name (or an escape, or
		// the first byte of U+212A or U+017F) can be.
		return "", false
	}
	if !escaped && len(key) < len(ns.byLen) {
		cands := ns.byLen[len(key)]
		for _, i := range cands {
			if key[0] == ns.names[i][0] && string(key) == ns.names[i] {
				return ns.names[i], true
			}
		}
		for _, i := range cands {
			if key[0]|0x20 == ns.lower[i][0] && asciiFold(key, ns.lower[i]) {
				return ns.names[i], false
			}
		}
	}
	if escaped || !isASCII(key) {
		return ns.lookupSlow(key, escaped)
	}
	return "", false
}

// asciiFold reports whether key, of len(lower) bytes, is lower in any
// letter case.
func asciiFold(key []byte, lower string) bool {
	for j := 0; j < len(key); j++ {
		c := key[j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[j] {
			return false
		}
	}
	return true
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lookupSlow is lookup for keys with escapes or bytes that are not ASCII.
func (ns *nameSet) lookupSlow(key []byte, escaped bool) (string, bool) {
	var ubuf [64]byte
	if escaped {
		if len(key) > 6*len(ubuf) {
			return "", false
		}
		key = appendUnquoted(ubuf[:0], key)
	}
	if len(key) < len(ns.byLen) {
		for _, i := range ns.byLen[len(key)] {
			if string(key) == ns.names[i] {
				return ns.names[i], true
			}
		}
	}
	var buf [64]byte
	k := 0
	for j := 0; j < len(key); {
		c := key[j]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(key[j:])
			switch r {
			case '\u212a':
				c = 'k'
			case '\u017f':
				c = 's'
			default:
				return "", false
			}
			j += size
		} else {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			j++
		}
		if k == len(buf) {
			return "", false
		}
		buf[k] = c
		k++
	}
	if k < len(ns.byLen) {
		for _, i := range ns.byLen[k] {
			if string(buf[:k]) == ns.lower[i] {
				return ns.names[i], false
			}
		}
	}
	return "", false
}

// Decode decodes body, which must start with a JSON object, into w, which
// must be zero. A JSON value of the wrong type in a member the event does
// not use (see lenient.go) is set aside and the rest decoded; known says
// which types are modelled. The errors are a *json.SyntaxError, a
// *json.UnmarshalTypeError whose Field names the member, or an
// *AmbiguousError. On error, w holds garbage.
func Decode(body []byte, w *Event, known Known) error {
	_, err := decode(body, w, known)
	return err
}

// decode is Decode, and returns the work done (see Work).
func decode(body []byte, w *Event, known Known) (int, error) {
	d := &w.dec // zero, as w is
	d.s.b = body
	ok := d.pass(w)
	work := d.work + d.s.i + d.s.reread
	if !ok {
		return work, &json.SyntaxError{Offset: int64(d.s.i)}
	}
	if err := d.ambiguity(); err != nil {
		return work, err
	}
	if len(d.errs) == 0 {
		return work, nil
	}
	return work, recoverTypeErrors(w, known)
}

// pass decodes the object in d.s into w, which must be zero, in one pass,
// the times parsed at its end (before recoverTypeErrors, which may clear
// one); it reports false on a syntax error.
func (d *decoder) pass(w *Event) bool {
	if !(d.s.consume('{') && d.event(w, 0) && d.s.end()) {
		return false
	}
	d.parseTimes()
	return true
}

// DecodeData decodes body, a whole JSON object that is one data member (the
// body in binary mode, decoded data_base64), into a new Data. Errors are as
// for Decode, with no member set aside.
func DecodeData(body []byte) (*Data, error) {
	bd := new(binaryData)
	d := &bd.dec
	d.s = scanner{b: body}
	if !(d.s.consume('{') && d.data(&bd.Data, 0, idBinarySubscriptionID, true) && d.s.end()) {
		return nil, &json.SyntaxError{Offset: int64(d.s.i)}
	}
	if err := d.ambiguity(); err != nil {
		return nil, err
	}
	if len(d.errs) > 0 {
		return nil, d.errs[0]
	}
	return &bd.Data, nil
}

// binaryData is the target of a binary-mode body: the data and the decoder
// in one allocation.
type binaryData struct {
	Data
	dec decoder
}

// SubscriptionID reads the subscriptionId member of data, a JSON object
// that may not decode as a whole, so that an unknown event keeps its
// subscription (and per-subscription tokens keep working for it). It
// returns "" when data is not an object or has no string (or number)
// subscriptionId, and an *AmbiguousError when it has more than one, or one
// spelt with other letter case.
func SubscriptionID(data []byte) (string, error) {
	bd := new(binaryData)
	d := &bd.dec
	d.s = scanner{b: data}
	if !(d.s.consume('{') && d.data(&bd.Data, 0, idBinarySubscriptionID, true) && d.s.end()) {
		return "", nil
	}
	if err := d.ambiguity(); err != nil {
		return "", err
	}
	for _, te := range d.errs {
		if te.Field == "subscriptionId" {
			return "", nil
		}
	}
	return string(bd.Data.SubscriptionID), nil
}

// Elements returns the elements of body, a JSON array, as subslices of it,
// or a *json.SyntaxError.
func Elements(body []byte) ([][]byte, error) {
	s := scanner{b: body}
	if !s.consume('[') {
		return nil, &json.SyntaxError{Offset: int64(s.i)}
	}
	var elems [][]byte
	if !s.consume(']') {
		for {
			v, ok := s.value(1)
			if !ok {
				return nil, &json.SyntaxError{Offset: int64(s.i)}
			}
			elems = append(elems, v)
			if s.consume(',') {
				continue
			}
			if !s.consume(']') {
				return nil, &json.SyntaxError{Offset: int64(s.i)}
			}
			break
		}
	}
	if !s.end() {
		return nil, &json.SyntaxError{Offset: int64(s.i)}
	}
	return elems, nil
}
