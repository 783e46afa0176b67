#!/usr/bin/env python3
"""Many viewers on one dashboard with a 10 s refresh (issue 13: "50 simulated viewers with refresh=10 s on the same
dashboard cause no more than one datasource query per tile per interval"). Not part of the test suite.

  python3 bench/dashboard_viewers.py [viewers] [seconds]     # default 50 viewers for 60 s

Starts a standalone server from standalone/target/sightline.jar (build it first:
mvn -B -q -ntp -Dskip.web -DskipTests package) through sightline_bench.Server (throw-away home, the server's own
embedded Postgres as the datasource), saves four queries and a 10-tile dashboard whose tiles do 6 distinct pieces of
work (several tiles share a query and its values), then lets each viewer POST /api/v1/dashboards/{id}/runs with
maxAgeSeconds=10 every 10 s, the viewers' first requests spread evenly over the first interval. Counts the
executions the metadata database recorded for the dashboard (runs, one per datasource query; identical requests
join a live run instead) per piece of work, the smallest gap between two executions of the same work, and the
client-side and server-side (Server-Timing) p50/p95 of the runs request. Needs psql (Debian: postgresql-client).
"""
import json
import os
import statistics
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sightline_bench import Server  # noqa: E402  (the shared server start, sign-in and datasource)

REFRESH_SECONDS = 10

BUCKETS_SQL = ("select g % {{k}} as bucket, count(*) as n from generate_series(1, 300000) g "
               "group by 1 order by 1")
DAILY_SQL = ("select d::date as day, count(*) as hours from generate_series({{period.start}}::timestamp, "
             "{{period.end}}::timestamp, interval '1 hour') d group by 1 order by 1")
TOTALS_SQL = "select count(*) as n, sum(g) as s from generate_series(1, 500000) g"
TOP_SQL = "select g, md5(g::text) as h from generate_series(1, {{top}}) g"


def save_query(server, name, sql, params=()):
    return server.call("POST", "/api/v1/queries", {"name": name, "datasourceId": server.datasource, "sql": sql,
                                                   "params": list(params)})["id"]


def save_viz(server, query_id, name):
    return server.call("POST", f"/api/v1/queries/{query_id}/visualizations",
                       {"name": name, "kind": "table", "config": {}})["id"]


def dashboard(server):
    """A 10-tile dashboard: 6 distinct pieces of work, 4 of them on two tiles each. Answers its id."""
    buckets = save_viz(server, save_query(server, "Buckets", BUCKETS_SQL, [
        {"name": "k", "type": "integer", "required": True}]), "Buckets")
    daily = save_viz(server, save_query(server, "Daily", DAILY_SQL, [
        {"name": "period", "type": "date_range", "required": True}]), "Daily")
    totals = save_viz(server, save_query(server, "Totals", TOTALS_SQL), "Totals")
    top = save_viz(server, save_query(server, "Top", TOP_SQL, [
        {"name": "top", "type": "integer", "default": 100}]), "Top")
    from_dashboard = {"from": "dashboard"}
    bindings = [
        (buckets, {"k": dict(from_dashboard, param="k")}), (buckets, {"k": dict(from_dashboard, param="k")}),
        (buckets, {"k": {"value": 3}}), (buckets, {"k": {"value": 3}}),
        (daily, {"period": dict(from_dashboard, param="period")}),
        (daily, {"period": dict(from_dashboard, param="period")}),
        (totals, {}), (totals, {}),
        (top, {"top": {"value": 50}}), (top, {}),
    ]
    tiles = [{"kind": "viz", "visualizationId": viz, "x": (i % 2) * 12, "y": (i // 2) * 8, "w": 12, "h": 8,
              "bindings": b} for i, (viz, b) in enumerate(bindings)]
    return server.call("POST", "/api/v1/dashboards", {
        "name": "Viewers bench", "refreshSeconds": REFRESH_SECONDS, "tiles": tiles,
        "params": [{"name": "k", "type": "integer", "default": 7},
                   {"name": "period", "type": "date_range", "default": "last_30d"}]})["id"]


def post_runs(server, dashboard_id):
    """One viewer's refresh: (client ms, server ms from Server-Timing, the tiles' answers)."""
    req = urllib.request.Request(f"{server.base}/api/v1/dashboards/{dashboard_id}/runs", method="POST",
                                 data=json.dumps({"maxAgeSeconds": REFRESH_SECONDS}).encode())
    req.add_header("Content-Type", "application/json")
    req.add_header("Authorization", "Bearer " + server.key)
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=60) as r:
        body = json.loads(r.read())
        timing = r.headers.get("Server-Timing", "app;dur=-1")
    client_ms = (time.perf_counter() - started) * 1000
    return client_ms, float(timing.split("dur=")[1]), body["tiles"]


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def main(viewers=50, seconds=60):
    server = Server()
    try:
        dashboard_id = dashboard(server)
        post_runs(server, dashboard_id)  # warm-up: the JIT, prepared statements; its runs are not counted
        while server.sql(f"select count(*) from runs where dashboard_id = '{dashboard_id}'"
                         " and status in ('queued', 'running')") != "0":
            time.sleep(0.2)
        time.sleep(REFRESH_SECONDS + 1)  # the warm-up's results are stale now: the first viewer runs everything
        since = server.sql("select now()")
        client, app, errors, statuses = [], [], [], {}
        lock = threading.Lock()
        begin = time.perf_counter()

        def viewer(i):
            due = begin + i * REFRESH_SECONDS / viewers
            while due < begin + seconds:
                time.sleep(max(0.0, due - time.perf_counter()))
                try:
                    c, a, tiles = post_runs(server, dashboard_id)
                    with lock:
                        client.append(c)
                        app.append(a)
                        for t in tiles:
                            key = "reused" if t["reused"] else t["status"]
                            statuses[key] = statuses.get(key, 0) + 1
                except Exception as e:  # noqa: BLE001
                    with lock:
                        errors.append(str(e))
                due += REFRESH_SECONDS

        threads = [threading.Thread(target=viewer, args=(i,)) for i in range(viewers)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        deadline = time.time() + 60
        while time.time() < deadline and server.sql(
                f"select count(*) from runs where dashboard_id = '{dashboard_id}' and status in ('queued', 'running')"
        ) != "0":
            time.sleep(0.2)
        window = f"dashboard_id = '{dashboard_id}' and created_at >= '{since}'"
        per_work = [line.split("|") for line in server.sql(
            "select fingerprint, count(*), coalesce(extract(epoch from min(gap)), 0), count(*) filter (where status"
            " <> 'succeeded') from (select fingerprint, status, created_at - lag(created_at) over (partition by"
            f" fingerprint order by created_at) as gap from runs where {window}) r group by 1").splitlines()]
        requests = int(server.sql("select count(*) from run_requests where dashboard_id = "
                                  f"'{dashboard_id}' and created_at >= '{since}'"))
        executions = sum(int(w[1]) for w in per_work)
        intervals = seconds / REFRESH_SECONDS
        gaps = [float(w[2]) for w in per_work if int(w[1]) > 1]
        print(f"{viewers} viewers x refresh {REFRESH_SECONDS} s for {seconds} s on a 10-tile dashboard "
              f"(6 distinct pieces of work): {len(client)} runs requests ({len(errors)} errors), "
              f"{len(client) * 10} tile answers {statuses}")
        print(f"datasource queries executed (runs created): {executions} for {len(per_work)} pieces of work = "
              f"{executions / len(per_work) / intervals:.2f} per piece of work per {REFRESH_SECONDS} s interval "
              f"(max {max(int(w[1]) for w in per_work)} for one piece of work over {intervals:.0f} intervals); "
              f"smallest gap between two executions of the same work {min(gaps) if gaps else 0:.1f} s; "
              f"{sum(int(w[3]) for w in per_work)} not succeeded; {requests} dashboard requests recorded on them")
        print(f"POST …/runs: client p50 {pct(client, 0.5):.1f} ms, p95 {pct(client, 0.95):.1f} ms; "
              f"server (Server-Timing) p50 {pct(app, 0.5):.0f} ms, p95 {pct(app, 0.95):.0f} ms, "
              f"mean {statistics.mean(app):.1f} ms")
        if errors:
            print("first error:", errors[0])
    finally:
        server.stop()


if __name__ == "__main__":
    main(viewers=int(sys.argv[1]) if len(sys.argv) > 1 else 50, seconds=int(sys.argv[2]) if len(sys.argv) > 2 else 60)
