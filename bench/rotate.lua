-- bench/rotate.lua: a wrk script that POSTs signed webhook bodies in turn.
--
--   wrk -s rotate.lua http://127.0.0.1:PORT/ -- LIST [THINK_MS]
--
-- LIST holds "SIGNATURE PATH" lines (see gen.py). Each wrk thread reads the
-- bodies once and then sends them round and round, each thread from its own
-- starting point. With THINK_MS, each connection waits that many
-- milliseconds after an answer before it sends the next request, so that
-- every server gets about the same load; wrk's latency leaves the wait out. When the run ends, one RESULT line gives the figures as
-- JSON for run.sh: latencies in microseconds; status_errors counts answers
-- of 400 and above ("Non-2xx or 3xx responses" in wrk's own report).

local reqs = {}
local count = 0
local at = 0

function init(args)
  local list = args[1] or error("rotate.lua: name the list of signed bodies after --")
  for line in io.lines(list) do
    local sig, path = line:match("^(%x+)%s+(.+)$")
    if sig then
      local f = assert(io.open(path, "rb"))
      local body = f:read("*a")
      f:close()
      count = count + 1
      reqs[count] = wrk.format("POST", nil, {
        ["X-Pyrus-Sig"] = sig,
        ["Content-Type"] = "application/json",
        ["User-Agent"] = "Pyrus-Bot-4",
      }, body)
    end
  end
  local think = tonumber(args[2] or "0")
  if think > 0 then
    -- wrk looks for delay() once init has run.
    delay = function() return think end
  end
  if count == 0 then
    error("rotate.lua: no bodies in " .. list)
  end
  -- Each thread has its own Lua state: its table's address spreads the
  -- threads' starting points.
  at = tonumber(tostring(reqs):match("0x(%x+)") or "0", 16) % count
end

function request()
  at = at % count + 1
  return reqs[at]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"status_errors":%d,"connect_errors":%d,' ..
    '"read_errors":%d,"write_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,' ..
    '"p99_us":%d,"mean_us":%.1f,"max_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max))
end
