-- GCRA over every bucket of one request, all or nothing, in one round trip.
-- KEYS[i]: bucket keys. ARGV[1]: TTL jitter in ms; then per bucket i: ARGV[3i-1] emission interval (us),
-- ARGV[3i] burst tolerance tau = capacity * interval (us), ARGV[3i+1] cost (units).
-- Reply: {now (us, Redis TIME), 1 if admitted else 0, tat_1 .. tat_n} where tat_i = max(stored TAT, now)
-- before consumption. Integers only: microsecond values stay far below 2^53, so Lua's doubles are exact.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local jitter = tonumber(ARGV[1])
local n = #KEYS
local tats = {}
local admitted = 1
for i = 1, n do
  local interval = tonumber(ARGV[3 * i - 1])
  local tau = tonumber(ARGV[3 * i])
  local cost = tonumber(ARGV[3 * i + 1])
  local tat = tonumber(redis.call('GET', KEYS[i]) or now) or now
  if tat < now then
    tat = now
  end
  tats[i] = tat
  if tat + cost * interval - tau > now then
    admitted = 0
  end
end
if admitted == 1 then
  for i = 1, n do
    local new_tat = tats[i] + tonumber(ARGV[3 * i + 1]) * tonumber(ARGV[3 * i - 1])
    local ttl = math.floor((new_tat - now) / 1000) + 1 + jitter
    redis.call('SET', KEYS[i], string.format('%.0f', new_tat), 'PX', ttl)
  end
end
local reply = {now, admitted}
for i = 1, n do
  reply[i + 2] = tats[i]
end
return reply
