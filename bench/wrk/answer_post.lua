-- Answer POSTs as a browser sends them: CSRF token, the page's revision, one choice,
-- with the session cookie of an open questionnaire.
--
-- The site refuses a POST that carries a stale revision (409), and each accepted answer
-- moves the session's revision on by exactly one. wrk's request() is not told which
-- connection it is writing to, so "GET the form on this connection, then POST" cannot be
-- done reliably here. Instead every thread owns its own pool of pre-created sessions
-- ($BENCH_POOL: cookie, path, CSRF token, revision, choice; tab-separated), 16 per
-- connection, and takes them in turn, adding one to a session's revision each time it posts
-- for it. A session comes round again only after all the others in the pool: more answers
-- than a lagging request can fall behind within wrk's timeout (bench/knobs.py), so its
-- previous answer has been answered (302) by then. bench/readers.py reads the
-- revisions back from the pages before every run.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

local pool = {}
local next_entry = 1
-- wrk calls request() once on its first thread, before the run, only to check what it
-- returns: that request is never sent, so it must not use up a revision.
local checked = false

function init(args)
  local threads = tonumber(os.getenv("BENCH_THREADS"))
  local index = 0
  for line in io.lines(os.getenv("BENCH_POOL")) do
    if line ~= "" then
      if index % threads == thread_index then
        local cookie, path, csrf, revision, choice =
          line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
        table.insert(pool, {
          headers = {
            ["Cookie"] = cookie,
            ["Content-Type"] = "application/x-www-form-urlencoded",
          },
          path = path,
          prefix = "csrfmiddlewaretoken=" .. csrf .. "&choice=" .. choice .. "&revision=",
          revision = tonumber(revision),
        })
      end
      index = index + 1
    end
  end
end

function request()
  local entry = pool[next_entry]
  if thread_index == 0 and not checked then
    checked = true
    return wrk.format("POST", entry.path, entry.headers, entry.prefix .. entry.revision)
  end
  next_entry = next_entry % #pool + 1
  local body = entry.prefix .. entry.revision
  entry.revision = entry.revision + 1
  return wrk.format("POST", entry.path, entry.headers, body)
end
