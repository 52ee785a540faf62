package redisqueue

import "github.com/redis/go-redis/v9"

// addScript appends an entry for an event unless its marker KEYS[2] says
// it was written already (it returns 0: a copy, acknowledged without a
// second entry) or the stream KEYS[1] holds ARGV[1] entries or more (it
// returns false; nothing is ever trimmed). The checks, the write and the
// marker (kept ARGV[2] ms) are one step, so concurrent copies cannot both
// write, nor concurrent writers overshoot. ARGV[3..] are the field-value
// pairs. It returns 1 for a new entry. A copy writes too (it refreshes the
// marker's TTL): replication is one ordered stream, so a WAIT after the
// copy covers the original entry, and a sender's retry after a 503 from
// WAIT is acknowledged only once the entry is replicated.
var addScript = redis.NewScript(`
if redis.call('PEXPIRE', KEYS[2], ARGV[2]) == 1 then return 0 end
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then return false end
redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
return 1
`)

// ackScript acknowledges the entries ARGV[2..] for group ARGV[1] and
// deletes them, so that the stream's length is the backlog.
var ackScript = redis.NewScript(`
redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))
return redis.call('XDEL', KEYS[1], unpack(ARGV, 2))
`)

// deadScript moves entry ARGV[2] of KEYS[1] to the dead-letter stream
// KEYS[2] with the field-value pairs ARGV[3..], in one step: an entry is
// never in both, nor in neither.
var deadScript = redis.NewScript(`
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 3))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return redis.call('XDEL', KEYS[1], ARGV[2])
`)

// forgetScript deletes the consumers of group ARGV[1] on stream KEYS[1],
// other than ARGV[2], that hold no pending entry and have been idle for
// ARGV[3] ms. The check and the delete are one step: deleting a consumer
// drops its pending entries, so a consumer that read an entry in between
// must not be deleted.
var forgetScript = redis.NewScript(`
local n = 0
for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local f = {}
  for i = 1, #c, 2 do f[c[i]] = c[i + 1] end
  if f['name'] ~= ARGV[2] and f['pending'] == 0 and f['idle'] >= tonumber(ARGV[3]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], f['name'])
    n = n + 1
  end
end
return n
`)
