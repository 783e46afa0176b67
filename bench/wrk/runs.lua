-- POST /api/v1/runs: a small query whose SQL text differs on every request (so no run is shared or reused), on
-- WRK_DATASOURCE, tagged "-- WRK_TAG <thread> <n>"; statuses counted by report.lua. Closed loop: each connection
-- sends its next run as soon as the last was enqueued.
dofile(os.getenv("WRK_REPORT"))
local datasource = os.getenv("WRK_DATASOURCE")
local tag = os.getenv("WRK_TAG") or "wrk"
local thread_tag
local n = 0

function init(args)
  codes = {}
  thread_tag = tostring({}):sub(8)
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local body = string.format('{"datasourceId":"%s","sql":"select n from generate_series(1, 10) n -- %s %s %d"}',
    datasource, tag, thread_tag, n)
  return wrk.format("POST", nil, nil, body)
end
