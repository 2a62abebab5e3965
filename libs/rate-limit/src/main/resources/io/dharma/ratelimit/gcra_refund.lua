-- Give back the units a request took from buckets of one Redis Cluster slot when buckets of another slot then denied
-- it (a request spanning slots is decided slot by slot; see RedisRateLimiter).
-- KEYS[i]: bucket keys. Per bucket i: ARGV[2i-1] emission interval (us), ARGV[2i] cost (units).
-- A bucket whose theoretical arrival time falls to now or before is full again: its key is deleted.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
for i = 1, #KEYS do
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
  if tat > 0 then
    local back = tat - tonumber(ARGV[2 * i - 1]) * tonumber(ARGV[2 * i])
    if back <= now then
      redis.call('DEL', KEYS[i])
    else
      redis.call('SET', KEYS[i], string.format('%.0f', back), 'KEEPTTL')
    end
  end
end
return {#KEYS}
