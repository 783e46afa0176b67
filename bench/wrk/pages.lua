-- GET /api/v1/results/{id}?offset=&limit= at random offsets of a result of WRK_ROWS rows (path in the URL, page size
-- WRK_LIMIT); statuses counted by report.lua.
dofile(os.getenv("WRK_REPORT"))
local rows = tonumber(os.getenv("WRK_ROWS"))
local limit = tonumber(os.getenv("WRK_LIMIT") or "1000")
local path

function init(args)
  codes = {}
  path = wrk.path
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

function request()
  local offset = math.random(0, rows - limit)
  return wrk.format("GET", path .. "?offset=" .. offset .. "&limit=" .. limit)
end
