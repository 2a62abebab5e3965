-- Invalidate a key, a tag or a whole cache in O(1): draw a new version, store it, tell the other instances.
-- KEYS[1] cache sequence, KEYS[2] the version key (of the key, the tag, or the cache), KEYS[3] entry hash (keys only)
-- ARGV[1] channel, ARGV[2] message head, ARGV[3] message tail, ARGV[4] version TTL ms (0: no TTL)
-- Entries carrying an older version stop being valid at once; a key's entry is also deleted.
-- Reply: the new version
local n = redis.call('INCR', KEYS[1])
local version = string.format('%d', n)
if tonumber(ARGV[4]) > 0 then
  redis.call('SET', KEYS[2], version, 'PX', ARGV[4])
else
  redis.call('SET', KEYS[2], version)
end
if KEYS[3] then
  redis.call('DEL', KEYS[3])
end
redis.call('PUBLISH', ARGV[1], ARGV[2] .. version .. ARGV[3])
return n
