package receivertest

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/camarahooks/camarahooks/events"
)

// encodeResult encodes an asynchronous result (events.ShapeResult): the
// data itself is the body, with the ID as its operationId unless the data
// has one. Type "predictive-connectivity-data" sends the default data of
// that API (timedConnectivityData); any other, Population Density Data's.
func encodeResult(n Notification, kind events.Kind, id string, h http.Header) ([]byte, error) {
	if n.Mode == events.ModeBinary {
		return nil, errors.New("receivertest: binary mode carries shape C only, not " + string(events.ShapeResult))
	}
	data, err := n.data(kind, events.ShapeResult)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil || m == nil {
		return nil, errors.New("receivertest: an asynchronous result needs Data to be a JSON object")
	}
	if n.Data == nil && n.Type == "predictive-connectivity-data" {
		m["timedConnectivityData"], m["layerThickness"] = m["timedPopulationDensityData"], json.RawMessage("30")
		delete(m, "timedPopulationDensityData")
	}
	if _, ok := m["operationId"]; !ok {
		m["operationId"], _ = json.Marshal(id)
	}
	h.Set("Content-Type", ctJSON)
	return json.Marshal(m)
}
