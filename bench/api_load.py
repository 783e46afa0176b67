#!/usr/bin/env python3
"""API load against a real standalone Sightline with wrk (Debian's `wrk`), not part of the test suite.

  python3 bench/api_load.py [seconds]     # default 20 s per step

Steps (each prints one line; docs/benchmarks.md "API under load" records them):
  1. GET /api/v1/runs/{id}            64 connections, API key  -> p50/p99, errors, non-2xx
  2. GET /api/v1/runs?limit=50        64 connections, API key  (2,000 runs in the history)
  3. POST /api/v1/auth/login          4 connections, a right password -> sign-ins/s with Argon2id
  4. the same with a wrong password for another account while step 3's load runs -> how many got 401 before 429
     (the per-account throttle must hold: at most SIGHTLINE_LOGIN_FAILURES_PER_ACCOUNT attempts checked)
  5. bridge fan-out: bench/bridge_fanout.mjs — 500 sockets on the org feed while 100 runs/s flow (Node + `ws`)

Starts its own server from standalone/target/sightline.jar (mvn -q -DskipTests -Dskip.web.tests=true package).
"""
import json
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sightline_bench import ADMIN, ROOT, Server  # noqa: E402

WRK_DIR = os.path.join(ROOT, "bench", "wrk")
REPORT = os.path.join(WRK_DIR, "report.lua")


def wrk(url, connections, seconds, headers=(), script=None, env=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script or REPORT]
    for h in headers:
        cmd += ["-H", h]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True,
                         env=dict(os.environ, WRK_REPORT=REPORT, **(env or {})))
    line = next(l for l in out.stdout.splitlines() if l.startswith("WRK_JSON "))
    result = json.loads(line[len("WRK_JSON "):])
    result["rps"] = round(result["requests"] / result["seconds"], 1)
    return result


def show(name, r):
    print(f"{name}: {r['rps']} req/s, p50 {r['p50_ms']:.2f} ms, p90 {r['p90_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
          f"max {r['max_ms']:.1f} ms, socket errors {r['errors']}, statuses {r['codes']}", flush=True)


def main(seconds=20):
    server = Server()
    try:
        auth = "Authorization: Bearer " + server.key
        ids = []
        for i in range(2000):
            ids.append(server.call("POST", "/api/v1/runs", {"datasourceId": server.datasource,
                                                            "sql": f"select {i} as n"}, key=server.key)["id"])
        server.run("select 'settled' as s")  # the queue drained behind it
        show("GET /api/v1/runs/{id} (64 connections)",
             wrk(server.base + "/api/v1/runs/" + ids[-1], 64, seconds, [auth]))
        show("GET /api/v1/runs?limit=50 (64 connections)",
             wrk(server.base + "/api/v1/runs?limit=50", 64, seconds, [auth]))

        # another account for the wrong-password step
        server.call("POST", "/api/v1/users", {"email": "victim@sightline.local", "role": "viewer"})
        right = json.dumps({"email": ADMIN[0], "password": ADMIN[1]})
        wrong = json.dumps({"email": "victim@sightline.local", "password": "not the password"})
        results = {}
        attack = threading.Thread(target=lambda: results.update(wrong=wrk(
            server.base + "/api/v1/auth/login", 8, seconds, script=os.path.join(WRK_DIR, "login.lua"),
            env={"WRK_LOGIN_BODY": wrong})))
        attack.start()
        # 4 connections: more parallel sign-ins of one account than the per-account limit are refused by design
        # (an attempt counts as it starts)
        results["right"] = wrk(server.base + "/api/v1/auth/login", 4, seconds,
                               script=os.path.join(WRK_DIR, "login.lua"), env={"WRK_LOGIN_BODY": right})
        attack.join()
        show("POST /api/v1/auth/login, right password (4 connections, beside the attack)", results["right"])
        show("POST /api/v1/auth/login, wrong password for another account (8 connections)", results["wrong"])
        checked = results["wrong"]["codes"].get("401", 0)
        print(f"throttle: {checked} wrong-password attempts were checked (401), the rest refused (429)", flush=True)

        subprocess.run(["node", os.path.join(ROOT, "bench", "bridge_fanout.mjs"), server.base, server.key,
                        server.datasource], check=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
