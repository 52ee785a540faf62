package events

import "github.com/camarahooks/camarahooks/events/internal/wire"

// Area is a geographical area as CAMARA describes one: a circle (Center
// and Radius) or a polygon (Boundary); Network as Code also sends a named
// point of interest (POIName). The zero Area means the notification named
// none. Members of the wrong JSON type inside the area are left out.
type Area struct {
	Type     AreaType // as sent; unknown values kept
	Center   Point    // CIRCLE: the centre; the zero Point when absent
	Radius   float64  // CIRCLE: in metres; 0 when absent
	Boundary []Point  // POLYGON: the corners in order; nil otherwise
	POIName  string   // POI (Network as Code): the point of interest's name
}

// Point is a location in degrees (WGS 84).
type Point struct {
	Latitude, Longitude float64
}

// AreaType is the kind of an [Area]. Values this package does not know are
// kept as read.
type AreaType string

// Area types.
const (
	AreaTypeCircle  AreaType = "CIRCLE"
	AreaTypePolygon AreaType = "POLYGON"
	AreaTypePOI     AreaType = "POI" // Network as Code's named point of interest
)

// area converts the decoded area; the zero Area for nil.
func area(a *wire.Area) Area {
	if a == nil {
		return Area{}
	}
	out := Area{Type: AreaType(a.AreaType), Radius: a.Radius, POIName: a.POIName}
	if a.Center != nil {
		out.Center = Point(*a.Center)
	}
	if a.Boundary != nil {
		out.Boundary = make([]Point, len(a.Boundary))
		for i, p := range a.Boundary {
			out.Boundary[i] = Point(p)
		}
	}
	return out
}
