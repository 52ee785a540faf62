// Package dedupscripts holds the Lua scripts of redisdedup's commit and
// release, so that the store (module redis) and the load benchmark's
// rueidis comparison (module bench) send the very same scripts. Each
// touches only KEYS[1]; see redis/redisdedup for the value layout.
package dedupscripts

// Commit marks KEYS[1] done for ARGV[2] milliseconds if it is absent or
// holds a reservation starting with ARGV[1]. Returns 1 (now done),
// 2 (already done; unchanged) or 3 (another owner's reservation;
// unchanged).
const Commit = `
local v = redis.call('GET', KEYS[1])
if v == false or string.sub(v, 1, #ARGV[1]) == ARGV[1] then
	redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
	return 1
end
if v == 'done' then
	return 2
end
return 3
`

// Release deletes KEYS[1] if its value starts with ARGV[1]; it returns the
// number of keys deleted.
const Release = `
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0
`
