package receivertest

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

//go:embed testdata/*.json
var fixtureFS embed.FS

// Fixtures returns the names of the embedded payloads, sorted: real
// notifications transcribed from the CAMARA specifications (QoD 0.8 to 1.2,
// device status, reachability, roaming, connected network type, geofencing,
// network slice booking and assignment, Commonalities, SIM swap, device
// data volume, QoS provisioning and booking, and the asynchronous results
// of Population Density Data and Predictive Connectivity Data) and the
// Network as Code documentation and SDKs (slices, geofencing, congestion,
// ...), in every shape. A name says the API, its version and the kind, e.g.
// "qod-v1.1-qos-status-changed-available.json"; "main" is the API's
// unreleased main branch, and a "-schema" payload is built from the
// callback schema (and the API's own examples of its parts) where the API
// publishes no example of the callback. The slice is new on each call.
func Fixtures() []string {
	entries, _ := fs.ReadDir(fixtureFS, "testdata")
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

// Fixture returns a copy of the named payload (see [Fixtures]; the ".json"
// suffix may be left out). Send it with Notification.Raw. It returns an error
// for a name that is not one of Fixtures.
func Fixture(name string) ([]byte, error) {
	if !strings.HasSuffix(name, ".json") {
		name += ".json"
	}
	if strings.ContainsAny(name, `/\`) {
		return nil, fmt.Errorf("receivertest: no fixture %q", name)
	}
	b, err := fixtureFS.ReadFile("testdata/" + name)
	if err != nil {
		return nil, fmt.Errorf("receivertest: no fixture %q", name)
	}
	return b, nil
}
