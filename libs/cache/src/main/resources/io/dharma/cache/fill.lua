-- Store a loaded value unless its key, the whole cache or one of its tags was invalidated since it was read.
-- KEYS[1] entry hash, KEYS[2] key version, KEYS[3] cache-wide version, KEYS[4] lease
-- ARGV[1] prefix of tag version keys, ARGV[2] lease token, ARGV[3] key version read, ARGV[4] cache-wide version read,
-- ARGV[5] sequence read (before the load started), ARGV[6] TTL ms (0: store nothing, only release the lease),
-- ARGV[7] '1' absent / '0' value, ARGV[8] payload, ARGV[9..] tags
-- The key and cache-wide versions must be unchanged. Tags are only known after the load, so a tag version above the
-- sequence read means the tag was invalidated while the value was loading.
-- Reply: 1 stored, 0 nothing to store, -1 stale (dropped)
if ARGV[2] ~= '' and redis.call('GET', KEYS[4]) == ARGV[2] then
  redis.call('DEL', KEYS[4])
end
local ttl = tonumber(ARGV[6])
if ttl <= 0 then
  return 0
end
if tonumber(redis.call('GET', KEYS[2]) or '0') ~= tonumber(ARGV[3])
    or tonumber(redis.call('GET', KEYS[3]) or '0') ~= tonumber(ARGV[4]) then
  return -1
end
local seq = tonumber(ARGV[5])
local fields = {'kv', ARGV[3], 'av', ARGV[4]}
if ARGV[7] == '1' then
  fields[5], fields[6] = 'a', '1'
else
  fields[5], fields[6] = 'd', ARGV[8]
end
for i = 9, #ARGV do
  local version = redis.call('GET', ARGV[1] .. ARGV[i]) or '0'
  if tonumber(version) > seq then
    return -1
  end
  fields[#fields + 1] = 't:' .. ARGV[i]
  fields[#fields + 1] = version
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
