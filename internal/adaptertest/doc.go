// Package adaptertest holds the tables that every framework adapter of the
// receiver and of auth is tested with (receiver/echoreceiver and
// auth/echoauth on echo v4, their siblings in module echov5 on echo v5), so
// that each answers exactly as net/http does: same statuses, headers and
// CAMARA ErrorInfo bytes. An adapter's test supplies how to mount the
// receiver or the middleware; the cases and their checks live here once.
package adaptertest
