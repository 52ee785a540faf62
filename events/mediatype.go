package events

import "strings"

// Media types, lower case, without parameters.
const (
	mediaCloudEvents      = "application/cloudevents+json"
	mediaCloudEventsBatch = "application/cloudevents-batch+json"
	mediaJSON             = "application/json"
)

// mediaType returns contentType without parameters and surrounding spaces.
// Compare the result with strings.EqualFold.
func mediaType(contentType string) string {
	if i := strings.IndexByte(contentType, ';'); i >= 0 {
		contentType = contentType[:i]
	}
	return strings.TrimSpace(contentType)
}

// isJSONMediaType reports whether mt (from mediaType) labels JSON:
// application/json, text/json, or any +json suffix.
func isJSONMediaType(mt string) bool {
	if strings.EqualFold(mt, mediaJSON) || strings.EqualFold(mt, "text/json") {
		return true
	}
	return len(mt) > 5 && strings.EqualFold(mt[len(mt)-5:], "+json")
}
