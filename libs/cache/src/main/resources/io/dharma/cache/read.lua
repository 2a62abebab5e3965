-- Read one entry and check it against the current versions, in one round trip; on a miss, try to take the lease.
-- KEYS[1] entry hash, KEYS[2] key version, KEYS[3] cache sequence, KEYS[4] cache-wide version, KEYS[5] lease
-- ARGV[1] prefix of tag version keys, ARGV[2] lease token ('' = take no lease), ARGV[3] lease TTL (ms),
-- ARGV[4] refresh-ahead (ms, 0 = off): a hit with less TTL left than this takes the lease to reload it early
-- The entry hash holds kv (key version), av (cache-wide version) and t:<tag> (tag version) as they were when it was
-- stored, plus d (payload) or a (absent). It is valid while every one of them still equals the current version; a
-- missing version key counts as 0, so an evicted version key invalidates entries instead of reviving them.
-- Hit:  {seq, 1, kv, av, absent 0/1, 1 if the caller took the lease to refresh else 0, payload, tag, ...}
-- Miss: {seq, 0, kv, av, 1 if the caller holds the lease else 0}
local seq = tonumber(redis.call('GET', KEYS[3]) or '0')
local kv = tonumber(redis.call('GET', KEYS[2]) or '0')
local av = tonumber(redis.call('GET', KEYS[4]) or '0')
local fields = redis.call('HGETALL', KEYS[1])
if #fields > 0 then
  local valid = true
  local reply = {seq, 1, kv, av, 0, 0, ''}
  for i = 1, #fields, 2 do
    local name, value = fields[i], fields[i + 1]
    if name == 'd' then
      reply[7] = value
    elseif name == 'a' then
      reply[5] = 1
    elseif name == 'kv' then
      valid = valid and tonumber(value) == kv
    elseif name == 'av' then
      valid = valid and tonumber(value) == av
    elseif string.sub(name, 1, 2) == 't:' then
      local tag = string.sub(name, 3)
      valid = valid and tonumber(value) == tonumber(redis.call('GET', ARGV[1] .. tag) or '0')
      reply[#reply + 1] = tag
    end
  end
  if valid then
    local ahead = tonumber(ARGV[4])
    if ahead > 0 and ARGV[2] ~= '' then
      local left = redis.call('PTTL', KEYS[1])
      if left >= 0 and left < ahead and redis.call('SET', KEYS[5], ARGV[2], 'NX', 'PX', ARGV[3]) then
        reply[6] = 1
      end
    end
    return reply
  end
  redis.call('DEL', KEYS[1])
end
local leased = 0
if ARGV[2] ~= '' then
  if redis.call('SET', KEYS[5], ARGV[2], 'NX', 'PX', ARGV[3]) or redis.call('GET', KEYS[5]) == ARGV[2] then
    leased = 1
  end
end
return {seq, 0, kv, av, leased}
