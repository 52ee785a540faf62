package wire

import (
	"encoding/json"
	"strconv"
)

// Area is the area member of geofencing data (area) and of a network
// slice booking (serviceArea): a circle, a polygon or a Network as Code
// point of interest. It decodes itself, by one rule for both the fast path
// and encoding/json: members are matched by their exact names, a value of
// the wrong type inside the area is left out (the area is what the device
// entered, not the event's identity), numbers may be sent as strings, and
// only an area that is not an object is a type error.
type Area struct {
	AreaType string
	Center   *Point
	Radius   float64
	Boundary []Point
	POIName  string
}

// Point is a latitude and longitude in degrees.
type Point struct {
	Latitude, Longitude float64
}

func (a *Area) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if b[0] != '{' || json.Unmarshal(b, &m) != nil {
		return typeError(b, "object")
	}
	*a = Area{}
	for k, v := range m {
		switch k {
		case "areaType":
			a.AreaType = lenientString(v)
		case "poiName":
			a.POIName = lenientString(v)
		case "radius":
			a.Radius, _ = lenientFloat(v)
		case "center":
			if p, ok := lenientPoint(v); ok {
				a.Center = &p
			}
		case "boundary":
			var elems []json.RawMessage
			if json.Unmarshal(v, &elems) != nil {
				continue
			}
			a.Boundary = make([]Point, 0, len(elems))
			for _, e := range elems {
				p, _ := lenientPoint(e)
				a.Boundary = append(a.Boundary, p)
			}
		}
	}
	return nil
}

// lenientPoint reads {"latitude", "longitude"}; false when v is no object.
func lenientPoint(v json.RawMessage) (Point, bool) {
	var m map[string]json.RawMessage
	if len(v) == 0 || v[0] != '{' || json.Unmarshal(v, &m) != nil {
		return Point{}, false
	}
	var p Point
	p.Latitude, _ = lenientFloat(m["latitude"])
	p.Longitude, _ = lenientFloat(m["longitude"])
	return p, true
}

// lenientFloat reads a JSON number, or a string holding one.
func lenientFloat(v json.RawMessage) (float64, bool) {
	if len(v) == 0 {
		return 0, false
	}
	s := string(v)
	if v[0] == '"' {
		s = lenientString(v)
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// lenientString reads a JSON string; "" for any other value.
func lenientString(v json.RawMessage) string {
	var s string
	if len(v) == 0 || v[0] != '"' || json.Unmarshal(v, &s) != nil {
		return ""
	}
	return s
}

// area reads an area member as encoding/json reads a *Area: null sets it
// nil, anything else is handed to UnmarshalJSON.
func (d *decoder) area(dst **Area, depth int) bool {
	if d.s.peek() == 'n' {
		*dst = nil
		return d.s.literal("null") || d.s.fail()
	}
	b, ok := d.raw(depth)
	if ok {
		if *dst == nil {
			*dst = new(Area)
		}
		if err := (*dst).UnmarshalJSON(b); err != nil {
			d.typeError(b, err)
		}
	}
	return ok
}
