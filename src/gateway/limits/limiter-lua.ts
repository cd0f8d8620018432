/**
 * The one Lua script behind the Redis limiter: every admit, settle and usage of a key runs atomically
 * inside Redis, on Redis's own clock (TIME), so gateway instances with skewed clocks still agree.
 *
 * KEYS (one hash tag, so one cluster slot): 1 log (zset: admission id → time ms), 2 entries (hash:
 * id → "requests:tokens"), 3 sums (hash: r, t), 4 budget (hash: total | day, day.id | month, month.id).
 * ARGV[1] is the operation, ARGV[2] a clock override for tests ('' = Redis TIME), ARGV[3] the window ms.
 *
 * admit  ARGV 4 id, 5 requests, 6 tokens, 7 cost, 8 rpm, 9 tpm, 10 budget ('' = none), 11 period kind
 *        → {1, at, periodId} | {0, limit, waitMs (-1 = never), max, used, requested}
 * settle ARGV 4 id, 5 reserved tokens, 6 actual tokens, 7 reserved cost, 8 actual cost, 9 period id,
 *        10 id for an extra entry → {at}
 * usage  ARGV 4 period kind → {requests, tokens, spent, periodId}
 */
export const LIMITER_LUA = `
local log, ent, sums, bud = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local op = ARGV[1]
local W = tonumber(ARGV[3])
local DAY = 86400000

local now
if ARGV[2] ~= '' then
  now = tonumber(ARGV[2])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function parse(v)
  local r, t = string.match(v, '^(%d+):(%d+)$')
  return tonumber(r), tonumber(t)
end

local function civil_from_days(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return y, m
end

local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = m > 2 and m - 3 or m + 9
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

-- Budget period of the current time: field, id and end (-1 = never).
local function period(kind)
  local day = math.floor(now / DAY)
  if kind == 'day' then
    return 'day', 'day:' .. day, (day + 1) * DAY
  elseif kind == 'month' then
    local y, m = civil_from_days(day)
    local ny, nm = y, m + 1
    if nm == 13 then ny, nm = y + 1, 1 end
    return 'month', 'month:' .. (y * 12 + m - 1), days_from_civil(ny, nm, 1) * DAY
  end
  return 'total', 'total', -1
end

local function spent_in(field, pid)
  if field ~= 'total' and redis.call('HGET', bud, field .. '.id') ~= pid then return 0 end
  return tonumber(redis.call('HGET', bud, field) or '0')
end

local function prune()
  local cutoff = now - W
  local old = redis.call('ZRANGEBYSCORE', log, '-inf', cutoff)
  if #old == 0 then return end
  local r, t = 0, 0
  for i = 1, #old do
    local v = redis.call('HGET', ent, old[i])
    if v then
      local a, b = parse(v)
      r, t = r + a, t + b
      redis.call('HDEL', ent, old[i])
    end
  end
  redis.call('ZREMRANGEBYSCORE', log, '-inf', cutoff)
  if redis.call('ZCARD', log) == 0 then
    redis.call('DEL', sums, ent)
  else
    redis.call('HINCRBY', sums, 'r', 0 - r)
    redis.call('HINCRBY', sums, 't', 0 - t)
  end
end

local function sum(field)
  return tonumber(redis.call('HGET', sums, field) or '0')
end

-- Ms until the oldest admissions holding at least excess units (1 requests, 2 tokens) have left.
local function wait_for(excess, which)
  local freed, start = 0, 0
  while true do
    local batch = redis.call('ZRANGE', log, start, start + 99, 'WITHSCORES')
    if #batch == 0 then return -1 end
    for i = 1, #batch, 2 do
      local v = redis.call('HGET', ent, batch[i])
      if v then
        local a, b = parse(v)
        if which == 1 then freed = freed + a else freed = freed + b end
      end
      if freed >= excess then return tonumber(batch[i + 1]) + W - now end
    end
    start = start + 100
  end
end

local function touch()
  redis.call('PEXPIRE', log, W + 1000)
  redis.call('PEXPIRE', ent, W + 1000)
  redis.call('PEXPIRE', sums, W + 1000)
end

local function add(id, requests, tokens)
  redis.call('ZADD', log, now, id)
  redis.call('HSET', ent, id, requests .. ':' .. tokens)
  redis.call('HINCRBY', sums, 'r', requests)
  redis.call('HINCRBY', sums, 't', tokens)
  touch()
end

prune()

if op == 'admit' then
  local id = ARGV[4]
  local requests, tokens, cost = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
  local field, pid, ends = period(ARGV[11])
  local spent = spent_in(field, pid)
  local worst = nil
  local function refuse(limit, max, used, requested, wait)
    local rank = wait
    if wait < 0 then rank = math.huge end
    if worst == nil or rank > worst[1] then worst = {rank, limit, wait, max, used, requested} end
  end
  -- A window limit (which: 1 requests, summed in r; 2 tokens, summed in t); arg '' = no limit.
  local function check_window(limit, arg, which, requested)
    if arg == '' then return end
    local max, used = tonumber(arg), sum(which == 1 and 'r' or 't')
    if used + requested > max then
      local wait = -1
      if requested <= max then wait = wait_for(used + requested - max, which) end
      refuse(limit, max, used, requested, wait)
    end
  end
  check_window('rpm', ARGV[8], 1, requests)
  check_window('tpm', ARGV[9], 2, tokens)
  if ARGV[10] ~= '' then
    local max = tonumber(ARGV[10])
    if spent + cost > max then
      local wait = -1
      if cost <= max and ends >= 0 then wait = ends - now end
      refuse('budget', max, spent, cost, wait)
    end
  end
  if worst ~= nil then
    return {0, worst[2], worst[3], worst[4], worst[5], worst[6]}
  end
  add(id, ARGV[5], ARGV[6])
  if field ~= 'total' and redis.call('HGET', bud, field .. '.id') ~= pid then
    redis.call('HSET', bud, field .. '.id', pid, field, 0)
  end
  redis.call('HINCRBY', bud, field, ARGV[7])
  return {1, now, pid}
elseif op == 'settle' then
  local id = ARGV[4]
  local reserved, actual = tonumber(ARGV[5]), tonumber(ARGV[6])
  local v = redis.call('HGET', ent, id)
  if v then
    local r = parse(v)
    redis.call('HSET', ent, id, r .. ':' .. ARGV[6])
    redis.call('HINCRBY', sums, 't', actual - reserved)
    touch()
  elseif actual > reserved then
    -- The admission already left the window (a long answer): the extra tokens count from now.
    add(ARGV[10], 0, actual - reserved)
  end
  local pid = ARGV[9]
  local field = string.match(pid, '^(%a+)')
  if field == 'total' or redis.call('HGET', bud, field .. '.id') == pid then
    local after = redis.call('HINCRBY', bud, field, tonumber(ARGV[8]) - tonumber(ARGV[7]))
    if after < 0 then redis.call('HSET', bud, field, 0) end
  end
  return {now}
elseif op == 'usage' then
  local field, pid = period(ARGV[4])
  return {sum('r'), sum('t'), spent_in(field, pid), pid}
end
return redis.error_reply('unknown limiter operation')
`;
