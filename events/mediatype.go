package events

import "strings"

// Media types, lower case, without parameters.
const (
	mediaCloudEvents      = "application/cloudevents+json"
	mediaCloudEventsBatch = "application/cloudevents-batch+json"
	mediaJSON             = "application/json"
)

// mediaType returns contentType without parameters and surrounding spaces.
// Compare the result with mediaIs.
func mediaType(contentType string) string {
	if i := strings.IndexByte(contentType, ';'); i >= 0 {
		contentType = contentType[:i]
	}
	return strings.TrimSpace(contentType)
}

// isJSONMediaType reports whether mt (from mediaType) labels JSON:
// application/json, text/json, or any +json suffix.
func isJSONMediaType(mt string) bool {
	return mediaIs(mt, mediaJSON) || mediaIs(mt, "text/json") || len(mt) > 5 && mediaIs(mt[len(mt)-5:], "+json")
}

// mediaIs reports whether mt is want, which is lower case, in any letter
// case. Senders write media types in lower case: the exact comparison
// first, and the length, save strings.EqualFold's byte loop, which costs
// a few hundred instructions a request.
func mediaIs(mt, want string) bool {
	return len(mt) == len(want) && (mt == want || strings.EqualFold(mt, want))
}
