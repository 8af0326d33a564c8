-- Shared by every wrk script of `make bench`: done() prints one line of JSON that
-- bench/measure.py reads (latencies in microseconds). Scripts that expect a status other
-- than 2xx/3xx count the surprises in a global `unexpected`, summed here over threads.
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local unexpected = 0
  for _, thread in ipairs(threads) do
    unexpected = unexpected + (thread:get("unexpected") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, ' ..
    '"p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, "connect": %d, ' ..
    '"read": %d, "write": %d, "status": %d, "timeout": %d, "unexpected": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout, unexpected))
end
