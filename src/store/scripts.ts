import type { ChainableCommander, Redis } from 'ioredis';

/**
 * Replaces a lead's stored figures (lead-figures-codec.ts) and moves the difference into its
 * campaign's totals in one step, so totals always equal the sum of the stored figures, whatever
 * runs concurrently. Totals fields and member sets are per campaign code. Member set keys are
 * derived from ARGV: all keys share the prefix's hash tag on Redis Cluster.
 * KEYS: the lead's bucket, totals hash. ARGV: member-set prefix, lead id, new figures ('' = none).
 */
const APPLY_LEAD = `
local old = redis.call('HGET', KEYS[1], ARGV[2])
local new = ARGV[3]
if (old or '') == new then return 0 end
local function field(c, name) return c .. '\\31' .. name end
-- Lua prints large doubles as 1e+14; HINCRBY wants integer digits, and no '-0'. A total back at
-- zero is removed, so a campaign without leads leaves no fields behind.
local function incr(c, name, by)
  if by == 0 then return end
  if redis.call('HINCRBY', KEYS[2], field(c, name), string.format('%.0f', by)) == 0 then
    redis.call('HDEL', KEYS[2], field(c, name))
  end
end
-- Both are read before anything is written: a script that fails halfway keeps its writes.
local function parse(stored)
  local c, flags, shares = string.match(stored, '^([^,]*),[^,]*,([^,]*),[^,]*,[^,]*,(.*)$')
  if not c or #flags < 4 then error('stored lead figures are malformed: ' .. stored) end
  return { c = c, s = string.sub(flags, 1, 1), o = tonumber(string.sub(flags, 2, 2)),
    k = tonumber(string.sub(flags, 3, 3)), shares = shares }
end
local function apply(f, sign)
  local c = f.c
  incr(c, 'leads', sign)
  incr(c, 'opportunities', sign * f.o)
  incr(c, (f.s == 'w' and 'won') or (f.s == 'l' and 'lost') or 'open', sign)
  -- Won deals per denominator (leads sharing the deal): whole cents and whole deals.
  for of, cents in string.gmatch(f.shares, '(%d+):(%-?%d+)') do
    incr(c, 'r/' .. of, sign * tonumber(cents))
    incr(c, 'w/' .. of, sign)
  end
  incr(c, 'stageSkips', sign * f.k)
  if sign < 0 then
    redis.call('SREM', ARGV[1] .. c, ARGV[2])
  else
    redis.call('SADD', ARGV[1] .. c, ARGV[2])
  end
end
local before = old and parse(old)
local after = new ~= '' and parse(new)
if before then apply(before, -1) end
if after then
  redis.call('HSET', KEYS[1], ARGV[2], new)
  apply(after, 1)
else
  redis.call('HDEL', KEYS[1], ARGV[2])
end
return 1
`;

/**
 * Moves a deal between campaigns' deal sets. KEYS: deal-campaign hash.
 * ARGV: deal-set prefix, deal id, campaign ('' = none).
 */
const APPLY_DEAL_CAMPAIGN = `
local old = redis.call('HGET', KEYS[1], ARGV[2])
if (old or '') == ARGV[3] then return 0 end
if old then redis.call('SREM', ARGV[1] .. old, ARGV[2]) end
if ARGV[3] == '' then
  redis.call('HDEL', KEYS[1], ARGV[2])
else
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
  redis.call('SADD', ARGV[1] .. ARGV[3], ARGV[2])
end
return 1
`;

/**
 * Takes up to N ids from a pending set into a job's in-flight set, after whatever that job already
 * holds from an earlier attempt. KEYS: pending set, in-flight set. ARGV: N.
 */
const TAKE_PENDING = `
local held = redis.call('SCARD', KEYS[2])
local want = tonumber(ARGV[1]) - held
if want > 0 then
  local ids = redis.call('SPOP', KEYS[1], want)
  -- unpack() fails past a few thousand values, after SPOP: add in slices, or the ids are lost.
  for i = 1, #ids, 1000 do redis.call('SADD', KEYS[2], unpack(ids, i, math.min(i + 999, #ids))) end
end
return redis.call('SMEMBERS', KEYS[2])
`;

/** Deletes a pending write only if it is still the one that was sent. KEYS: outbox. ARGV: id, sent. */
const ACK_WRITE = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0
`;

/**
 * Claims webhook events for a delivery job, for a while: an event's mark names the job that owns
 * it, so a retry of that job still takes it and any other job (a repeated delivery) does not.
 * KEYS: the events' seen-marks. ARGV: job id, seconds. Returns 1 for each event the job takes.
 */
const CLAIM_EVENTS = `
local taken = {}
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, ARGV[1], 'NX', 'EX', ARGV[2]) then
    taken[i] = 1
  else
    taken[i] = (redis.call('GET', key) == ARGV[1]) and 1 or 0
  end
end
return taken
`;

/**
 * Gives each name not coded yet the next number (see name-codes.ts). KEYS: codes (name → code),
 * names (code → name). ARGV: names. Returns their codes in order.
 */
const ASSIGN_CODES = `
local codes = {}
for i, name in ipairs(ARGV) do
  local code = redis.call('HGET', KEYS[1], name)
  if not code then
    code = tostring(redis.call('HLEN', KEYS[2]) + 1)
    redis.call('HSET', KEYS[1], name, code)
    redis.call('HSET', KEYS[2], code, name)
  end
  codes[i] = code
end
return codes
`;

/**
 * The totals hash as one string (fields and values joined by newlines, which none contains):
 * ioredis takes about a microsecond per reply element, so HGETALL of 2,000 fields cost 4 ms of
 * client CPU where one string costs a split. KEYS: totals hash.
 */
const READ_TOTALS = `return table.concat(redis.call('HGETALL', KEYS[1]), '\\n')`;

const SCRIPTS = {
  closeloopApplyLead: { numberOfKeys: 2, lua: APPLY_LEAD },
  closeloopApplyDealCampaign: { numberOfKeys: 1, lua: APPLY_DEAL_CAMPAIGN },
  closeloopTakePending: { numberOfKeys: 2, lua: TAKE_PENDING },
  closeloopAckWrite: { numberOfKeys: 1, lua: ACK_WRITE },
  closeloopAssignCodes: { numberOfKeys: 2, lua: ASSIGN_CODES },
  closeloopReadTotals: { numberOfKeys: 1, lua: READ_TOTALS },
  // The number of keys comes first in each call.
  closeloopClaimEvents: { lua: CLAIM_EVENTS },
} as const;

type ScriptName = keyof typeof SCRIPTS;
type ScriptRunner = (...args: (string | number)[]) => Promise<unknown>;

const defined = new WeakSet<Redis>();

/** Defines closeloop's scripts on a connection (once); they run by EVALSHA, in pipelines too. */
export function scripts(redis: Redis): Record<ScriptName, ScriptRunner> {
  if (!defined.has(redis)) {
    for (const [name, definition] of Object.entries(SCRIPTS)) redis.defineCommand(name, definition);
    defined.add(redis);
  }
  const commands = redis as unknown as Record<ScriptName, ScriptRunner>;
  return {
    closeloopApplyLead: (...args) => commands.closeloopApplyLead(...args),
    closeloopApplyDealCampaign: (...args) => commands.closeloopApplyDealCampaign(...args),
    closeloopTakePending: (...args) => commands.closeloopTakePending(...args),
    closeloopAckWrite: (...args) => commands.closeloopAckWrite(...args),
    closeloopClaimEvents: (...args) => commands.closeloopClaimEvents(...args),
    closeloopAssignCodes: (...args) => commands.closeloopAssignCodes(...args),
    closeloopReadTotals: (...args) => commands.closeloopReadTotals(...args),
  };
}

/** The same scripts queued on a pipeline (after `scripts(redis)` defined them). */
export function pipelineScripts(
  pipeline: ChainableCommander,
): Record<
  Exclude<ScriptName, 'closeloopClaimEvents' | 'closeloopAssignCodes' | 'closeloopReadTotals'>,
  (...args: (string | number)[]) => void
> {
  const commands = pipeline as unknown as Record<
    ScriptName,
    (...args: (string | number)[]) => ChainableCommander
  >;
  return {
    closeloopApplyLead: (...args) => void commands.closeloopApplyLead(...args),
    closeloopApplyDealCampaign: (...args) => void commands.closeloopApplyDealCampaign(...args),
    closeloopTakePending: (...args) => void commands.closeloopTakePending(...args),
    closeloopAckWrite: (...args) => void commands.closeloopAckWrite(...args),
  };
}
