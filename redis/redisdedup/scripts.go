package redisdedup

// The Lua scripts below each touch only KEYS[1], so they are atomic on a
// single Redis and valid on Redis Cluster. ARGV[1] is the Store's owner id,
// which always starts with "owner:" and so can never equal "done".

// reserveScript: SET NX PX; on failure tell Done from InFlight by the
// value. Returns dedup.Reserved (1), InFlight (2) or Done (3).
const reserveScript = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
	return 1
end
if redis.call('GET', KEYS[1]) == 'done' then
	return 3
end
return 2
`

// Replies of commitScript.
const (
	commitDone        = 1 // the key is now done for ttl
	commitAlreadyDone = 2 // the key was done; unchanged
	commitNotOwner    = 3 // another owner holds the key; unchanged
)

// commitScript: mark done if the key holds this owner or is absent.
const commitScript = `
local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then
	redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
	return 1
end
if v == 'done' then
	return 2
end
return 3
`

// releaseScript: compare-and-delete. Returns the number of keys deleted.
const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0
`
