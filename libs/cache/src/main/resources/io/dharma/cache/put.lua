-- Write a value: draw a new version for the key, store the entry at it, tell the other instances.
-- KEYS[1] cache sequence, KEYS[2] key version, KEYS[3] entry hash, KEYS[4] cache-wide version
-- ARGV[1] channel, ARGV[2] message head, ARGV[3] message tail, ARGV[4] version TTL ms,
-- ARGV[5] prefix of tag version keys, ARGV[6] entry TTL ms, ARGV[7] payload, ARGV[8..] tags
-- Reply: the new version
local n = redis.call('INCR', KEYS[1])
local version = string.format('%d', n)
redis.call('SET', KEYS[2], version, 'PX', ARGV[4])
local fields = {'kv', version, 'av', redis.call('GET', KEYS[4]) or '0', 'd', ARGV[7]}
for i = 8, #ARGV do
  fields[#fields + 1] = 't:' .. ARGV[i]
  fields[#fields + 1] = redis.call('GET', ARGV[5] .. ARGV[i]) or '0'
end
redis.call('DEL', KEYS[3])
redis.call('HSET', KEYS[3], unpack(fields))
redis.call('PEXPIRE', KEYS[3], ARGV[6])
redis.call('PUBLISH', ARGV[1], ARGV[2] .. version .. ARGV[3])
return n
