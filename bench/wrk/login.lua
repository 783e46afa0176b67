-- POST /api/v1/auth/login with the body in the environment (WRK_LOGIN_BODY); statuses counted by report.lua.
dofile(os.getenv("WRK_REPORT"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("WRK_LOGIN_BODY")
