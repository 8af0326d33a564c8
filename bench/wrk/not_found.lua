-- GET of an address the site does not have: a 404 is the right answer, so only other
-- statuses count as errors (wrk itself counts every 4xx).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

unexpected = 0

function response(status, headers, body)
  if status ~= 404 then unexpected = unexpected + 1 end
end
