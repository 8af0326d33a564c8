-- GETs that rotate through the paths listed in $BENCH_PATHS (one a line): the result
-- pages of many completed questionnaires, not one page over and over.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

local paths = {}
local next_path = 1

function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    if line ~= "" then table.insert(paths, line) end
  end
  -- Threads start at different places in the list.
  next_path = (thread_index * 7) % #paths + 1
end

function request()
  local path = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", path)
end
