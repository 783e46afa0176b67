#!/usr/bin/env python3
"""Stored results under load, against a real standalone Sightline (issue 17, targets 3, 5 and 6; not part of the suite).

  python3 bench/results_bench.py pages [S] [E] [W] [C]  # a 10,000,000-row result, GET /api/v1/results/{id}?
                                           # offset=&limit=1000 at random offsets, C connections (default 64) for S
                                           # seconds (default 30)
                                           # with wrk, after W s (default 20) of the same as warm-up; E: an
                                           # Accept-Encoding to send (a browser's: "gzip, deflate, br, zstd"), none
                                           # by default or "-"; SIGHTLINE_BENCH_PERF: a whole-machine perf profile
  python3 bench/results_bench.py csv [R]    # the 1,000,000-row order book downloaded as CSV (curl) vs
                                           # psql \\copy … to stdout with csv, R alternating pairs (default 5); also
                                           # the bytes stored for the result against the CSV's size
  python3 bench/results_bench.py bigorders [R]  # 10,000,000 order-book rows with the server at -Xmx256m vs psql
                                           # \\copy: the first run after start, then R alternating pairs (default
                                           # 5); time, server CPU by kind of thread, peak RSS, heap after a GC

Reuses sightline_bench.Server (standalone/target/sightline.jar, a throw-away SIGHTLINE_HOME, the embedded Postgres as
the datasource) and api_load.wrk (Debian's wrk; scripts in bench/wrk/).
"""
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_load import WRK_DIR, show, wrk  # noqa: E402
from sightline_bench import (E2E_SQL, ORDERS_SQL, PG_PORT, Server, cpu_by_kind, create_orders, describe,  # noqa: E402
                             load_average, perf_summary, perf_window, psql_copy, stored)


def pages(seconds=30, n=10_000_000, encoding=None, warm_seconds=20, connections=64):
    server = Server()
    recording = None
    try:
        t, run = server.run(E2E_SQL.format(n=n), poll=0.5)
        print(f"result of {n} rows stored: {describe(server, t, run)}; load average {load_average()}", flush=True)
        url = f"{server.base}/api/v1/results/{run['resultId']}"
        env = {"WRK_ROWS": str(n), "WRK_LIMIT": "1000"}
        auth = ["Authorization: Bearer " + server.key] + ([f"Accept-Encoding: {encoding}"] if encoding else [])
        # the JIT is still compiling the request path after a short warm-up: 20 s at full load first
        warm = wrk(url, connections, warm_seconds, auth, os.path.join(WRK_DIR, "pages.lua"), env)
        show(f"warm-up, {connections} connections, {warm_seconds} s", warm)
        cpu, threads = server.cpu_seconds(), server.thread_cpu()
        recording = perf_window(max(1, seconds - 2))
        r = wrk(url, connections, seconds, auth, os.path.join(WRK_DIR, "pages.lua"), env)
        show(f"pages of 1,000 rows at random offsets, {connections} connections, {seconds} s, "
             f"Accept-Encoding {encoding or '-'}", r)
        print(f"server CPU {(server.cpu_seconds() - cpu) * 1000 / r['requests']:.2f} ms per page "
              f"({cpu_by_kind(threads, server.thread_cpu())}); load average {load_average()}")
    finally:
        tids = set(server.thread_cpu())
        server.stop()
    perf_summary(recording, server.proc.pid, tids)


def curl_csv(server, result_id):
    started = time.perf_counter()
    out = subprocess.run(["curl", "-sS", "-f", "-o", "/dev/null", "-w", "%{size_download}", "-H",
                          "Authorization: Bearer " + server.key, f"{server.base}/api/v1/results/{result_id}.csv"],
                         capture_output=True, text=True, check=True)
    return time.perf_counter() - started, int(out.stdout)


def psql_csv(sql, count=False):
    """psql's \\copy of the rows as CSV to stdout into /dev/null (with count: through a pipe, to know its size)."""
    cmd = ["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", "sightline", "-q", "-c",
           f"\\copy ({sql}) to stdout with csv header"]
    started = time.perf_counter()
    if not count:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        return time.perf_counter() - started, None
    psql = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    size = 0
    while chunk := psql.stdout.read(1 << 20):
        size += len(chunk)
    if psql.wait() != 0:
        raise SystemExit("psql failed")
    return time.perf_counter() - started, size


def csv(rounds=5, n=1_000_000):
    server = Server()
    try:
        create_orders(server, n)
        t, run = server.run(ORDERS_SQL, poll=0.02)
        raw, packed, storage, chunks = stored(server, run)
        curl_csv(server, run["resultId"])   # warm-up
        _, csv_size = psql_csv(ORDERS_SQL, count=True)
        print(f"stored: {n} rows as {raw / 1e6:.1f} MB of JSON lines -> {packed / 1e6:.1f} MB zstd in {chunks} chunks "
              f"({storage}); the same rows as CSV: {csv_size / 1e6:.1f} MB; stored/CSV {packed / csv_size:.2f}")
        ours, theirs = [], []
        for i in range(rounds):
            t, size = curl_csv(server, run["resultId"])
            p, _ = psql_csv(ORDERS_SQL)
            ours.append(t)
            theirs.append(p)
            print(f"round {i}: sightline .csv {t:.2f} s ({size / 1e6:.1f} MB), psql \\copy csv {p:.2f} s "
                  f"(to /dev/null), ratio {t / p:.2f}; load average {load_average()}", flush=True)
        print(f"csv download of {n} order-book rows: sightline median {statistics.median(ours):.2f} s, psql median "
              f"{statistics.median(theirs):.2f} s, ratio {statistics.median(ours) / statistics.median(theirs):.2f}")
    finally:
        server.stop()


def heap_after_gc_mb(pid):
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True)
    out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if "used" in line and ("heap" in line.lower()):
            return line.strip()
    return out.strip().splitlines()[0] if out.strip() else "?"


def bigorders(rounds=5, n=10_000_000, heap="256m"):
    """The first run after the table is made (a cold server), then ROUNDS alternating pairs (sightline, psql)."""
    server = Server(heap=heap)
    try:
        create_orders(server, n)
        p_before = psql_copy(ORDERS_SQL)
        cpu, threads = server.cpu_seconds(), server.thread_cpu()
        t, run = server.run(ORDERS_SQL, poll=0.5)
        cpu, kinds = server.cpu_seconds() - cpu, cpu_by_kind(threads, server.thread_cpu())
        p_after = psql_copy(ORDERS_SQL)
        p = (p_before + p_after) / 2
        print(f"big orders {n} rows at -Xmx{heap}, first run: {describe(server, t, run)}, server CPU {cpu:.1f} s "
              f"({kinds}); psql \\copy {p_before:.2f} s / {p_after:.2f} s, ratio {t / p:.2f}; peak RSS "
              f"{server.rss_peak_kb() / 1024:.0f} MB; heap after GC: {heap_after_gc_mb(server.proc.pid)}; "
              f"load average {load_average()}", flush=True)
        ours, theirs = [], []
        for i in range(rounds):
            cpu, threads = server.cpu_seconds(), server.thread_cpu()
            t, run = server.run(ORDERS_SQL, poll=0.5)
            cpu, kinds = server.cpu_seconds() - cpu, cpu_by_kind(threads, server.thread_cpu())
            p = psql_copy(ORDERS_SQL)
            ours.append(t)
            theirs.append(p)
            print(f"round {i}: sightline {t:.2f} s ({run['status']}, {run['rowCount']} rows, server CPU {cpu:.1f} s: "
                  f"{kinds}), psql \\copy {p:.2f} s, ratio {t / p:.2f}; load average {load_average()}", flush=True)
        if rounds:
            print(f"big orders warm: sightline median {statistics.median(ours):.2f} s, psql median "
                  f"{statistics.median(theirs):.2f} s, ratio {statistics.median(ours) / statistics.median(theirs):.2f}; "
                  f"pair ratios {', '.join(f'{a / b:.2f}' for a, b in zip(ours, theirs))}; peak RSS "
                  f"{server.rss_peak_kb() / 1024:.0f} MB; heap after GC: {heap_after_gc_mb(server.proc.pid)}")
    finally:
        server.stop()


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "pages"
    arg = [int(sys.argv[2])] if len(sys.argv) > 2 else []
    if mode == "pages":
        pages(*arg, encoding=sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] != "-" else None,
              warm_seconds=int(sys.argv[4]) if len(sys.argv) > 4 else 20,
              connections=int(sys.argv[5]) if len(sys.argv) > 5 else 64)
    else:
        {"csv": csv, "bigorders": bigorders}[mode](*arg)
