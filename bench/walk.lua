-- bench/walk.lua: the wrk script of bench/web.sh and bench/omega_web.sh,
-- one file so both servers get the same walk over the same list.
--   wrk ... -s walk.lua URL -- PATHS PREFIX THREADS
-- PATHS: one request path a line (the query already in it); PREFIX goes
-- before each; THREADS: wrk's -t.  Thread k of THREADS (k from 0) starts
-- at row floor(k * rows / THREADS) + 1 and takes the rows in turn from
-- there, wrapping around, one per request of any of its connections
-- (wrk calls thread 0's request() once before the run, to check it, so
-- that thread's first request is in fact row 2).
-- done() prints one line "WRK {json}": requests, seconds, rps, p50/p90/
-- p99/max/mean latency in ms, socket errors, non-2xx answers.
local paths, prefix, i = {}, "", 0
local started = 0
function setup(thread)
    thread:set("k", started)
    started = started + 1
end
function init(args)
    for line in io.lines(args[1]) do paths[#paths + 1] = line end
    prefix = args[2]
    local threads = tonumber(args[3]) or 1
    i = math.floor((k or 0) * #paths / threads)
end
function request()
    i = i % #paths + 1
    return wrk.format("GET", prefix .. paths[i])
end
function done(summary, latency, requests)
    local e = summary.errors
    local secs = summary.duration / 1e6
    io.write(string.format(
        'WRK {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p90_ms": %.2f, ' ..
        '"p99_ms": %.2f, "max_ms": %.2f, "mean_ms": %.2f, "errors": %d, "non_2xx": %d}\n',
        summary.requests, secs, summary.requests / secs,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000,
        latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
        e.connect + e.read + e.write + e.timeout, e.status))
end
