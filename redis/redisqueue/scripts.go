package redisqueue

import "github.com/redis/go-redis/v9"

// addScript appends an entry unless the stream holds ARGV[1] entries or
// more: the length check and the write are one step, so concurrent writers
// cannot overshoot, and nothing is ever trimmed. KEYS[1] is the stream;
// ARGV[2..] the field-value pairs. It returns the entry's id, or false.
var addScript = redis.NewScript(`
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then return false end
return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
`)

// ackScript acknowledges entry ARGV[2] for group ARGV[1] and deletes it, so
// that the stream's length is the backlog.
var ackScript = redis.NewScript(`
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return redis.call('XDEL', KEYS[1], ARGV[2])
`)

// deadScript moves entry ARGV[2] of KEYS[1] to the dead-letter stream
// KEYS[2] with the field-value pairs ARGV[3..], in one step: an entry is
// never in both, nor in neither.
var deadScript = redis.NewScript(`
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 3))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return redis.call('XDEL', KEYS[1], ARGV[2])
`)
