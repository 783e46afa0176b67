#!/usr/bin/env python3
"""Run-engine benchmarks against a real standalone Sightline (not part of the test suite).

  python3 bench/sightline_bench.py e2e        # 1,000,000-row run vs psql \\copy, alternating (DESIGN/issue: ratio <= 1.5)
  python3 bench/sightline_bench.py big        # 10,000,000-row run with the server at -Xmx256m, peak RSS
  python3 bench/sightline_bench.py small [R] # small runs offered at R/s (default 250) for 20 s after 20 s of the same as
                                             # warm-up: runs/s, latencies
  python3 bench/sightline_bench.py smallwrk [C] [K] [W] # small runs enqueued by wrk (bench/wrk/runs.lua) on C
                                             # keep-alive connections (default 4) as fast as they are accepted, K
                                             # concurrent runs (runner and datasource cap, default 8), 20 s after W s
                                             # (default 20) of warm-up: the saturation throughput, latencies, CPU per
                                             # run; SIGHTLINE_BENCH_PERF: a whole-machine perf profile
  python3 bench/sightline_bench.py ceiling [C] # the metadata Postgres alone: a run's writes from pgbench on C
                                             # connections (default 8), one run per statement, then 8 per statement
  python3 bench/sightline_bench.py shape [N]  # shape a 1,000,000-row, 3-series result to a 1,200 px line, N times
                                             # uncached (default 10): server-side p50/p95 (Server-Timing), heap
  python3 bench/sightline_bench.py orders [R] [N] # select * from an N-row (default 1,000,000) x 11-column order book vs
                                             # psql \\copy, R alternating pairs after one warm-up (default 5); issue 17
                                             # target 1 (and 3: N=10000000 with SIGHTLINE_BENCH_JAVA=-Xmx256m)
  python3 bench/sightline_bench.py first [S]  # the same query as the first run after a fresh start (20 s after its
                                             # ready line), S starts (default 3), each against psql \\copy; issue 17
                                             # target 2

  python3 bench/sightline_bench.py copypath [N] [R] # the COPY read-path prototype (bench/copy_path/) on an N-row
                                             # order book (default 1,000,000), R rounds at -Xmx256m, each against
                                             # psql \\copy, between real runs of the same query

  python3 bench/sightline_bench.py smallcopy [N] # N small runs (default 5,000) on the datasource side, one after the
                                             # other: today's cursor path against a COPY path (latency, CPU per run)

SIGHTLINE_BENCH_JFR=<file.jfr> records a JFR profile of the server (java -XX:StartFlightRecording); SIGHTLINE_BENCH_JAVA
adds JVM options (space-separated) to the server's command line; SIGHTLINE_BENCH_JAR runs another build (a "before" jar).

Each starts its own standalone server from standalone/target/sightline.jar (build it first:
mvn -q -DskipTests -Dskip.web.tests=true package) over a throw-away SIGHTLINE_HOME, queries the server's own embedded
Postgres as the datasource, prints figures, and stops the server. Needs psql (Debian: postgresql-client) for e2e.
"""
import http.cookiejar
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.environ.get("SIGHTLINE_BENCH_JAR") or os.path.join(ROOT, "standalone", "target", "sightline.jar")
HTTP_PORT = 18480
PG_PORT = 15439
ADMIN = ("bench@sightline.local", "bench password 123")

E2E_SQL = ("select g as id, g * 1.5::float8 as amount, md5(g::text) as label, "
           "timestamptz '2026-01-01' + g * interval '1 second' as at, g % 2 = 0 as even "
           "from generate_series(1, {n}) g")


def java_options():
    """Extra JVM options from the environment: a JFR recording and/or anything in SIGHTLINE_BENCH_JAVA."""
    options = os.environ.get("SIGHTLINE_BENCH_JAVA", "").split()
    jfr = os.environ.get("SIGHTLINE_BENCH_JFR")
    if jfr:
        options += ["-XX:+FlightRecorder", f"-XX:StartFlightRecording=filename={os.path.abspath(jfr)},settings=profile,"
                    "dumponexit=true"]
    return options


def perf_window(seconds):
    """With SIGHTLINE_BENCH_PERF=<file>: a whole-machine CPU profile (perf record -a, 997 Hz, all processes and the
    kernel) over the next `seconds` seconds, in the background; None otherwise. The server should then run with
    SIGHTLINE_BENCH_JAVA="-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit" so that its compiled Java frames
    have names (/tmp/perf-<pid>.map, written when it stops); report with perf_summary() after it stopped."""
    path = os.environ.get("SIGHTLINE_BENCH_PERF")
    if not path:
        return None
    return subprocess.Popen(["perf", "record", "-a", "-F", "997", "-o", path, "--", "sleep", str(seconds)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def perf_summary(recording, server_pid, server_tids, top=25):
    """Where the machine's CPU went in a perf_window(): by process (the server's threads are server_tids), by thread
    name and object (postgres, wrk, the server's threads, its JIT-compiled code, libzstd, the kernel), then the
    server's hottest symbols."""
    if recording is None:
        return
    recording.wait()
    path = os.environ["SIGHTLINE_BENCH_PERF"]

    def report(*args):
        out = subprocess.run(["perf", "report", "-i", path, "--stdio"] + list(args), capture_output=True,
                             text=True).stdout
        return [line.strip() for line in out.splitlines() if line.strip() and not line.startswith("#")]

    groups = {}
    for line in report("--sort", "pid"):
        share, who = line.split(None, 1)
        tid, comm = who.split(":", 1)
        comm = comm.strip()
        group = ("Sightline server" if tid in server_tids else "Postgres" if comm == "postgres"
                 else "load client (wrk)" if comm == "wrk" else "idle" if comm == "swapper" else "other")
        groups[group] = groups.get(group, 0) + float(share.rstrip("%"))
    print("perf, whole machine, by process: " + ", ".join(f"{k} {v:.1f} %" for k, v in
                                                         sorted(groups.items(), key=lambda kv: -kv[1])))
    for title, args in (("whole machine, by thread name and object", ["--sort", "comm,dso"]),
                        (f"the server (pid {server_pid}), by symbol", ["--pid", str(server_pid), "--sort", "dso,sym"])):
        print(f"perf, {title}:")
        for line in report("--percent-limit", "0.5", *args)[:top]:
            print("  " + line[:150])


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def proc_cpu(stat):
    """(name, user + system CPU seconds) of a process or thread from its /proc stat file."""
    with open(stat) as f:
        text = f.read()
    name = text[text.index("(") + 1:text.rindex(")")]
    fields = text.rsplit(")", 1)[1].split()
    return name, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def busiest(before, after, n=4):
    """The threads that used the most CPU between two thread_cpu() snapshots, e.g. "vert.x-eventloo 1.47 s"."""
    deltas = sorted(((cpu - before.get(tid, (name, 0))[1], name) for tid, (name, cpu) in after.items()), reverse=True)
    return ", ".join(f"{name} {cpu:.2f} s" for cpu, name in deltas[:n])


THREAD_KINDS = (("event loops", ("vert.x-eventloo",)), ("workers", ("vert.x-worker", "vert.x-internal")),
                ("COPY readers", ("sightline-copy",)),
                ("GC", ("GC Thread", "G1 ")), ("JIT", ("C1 CompilerThre", "C2 CompilerThre")))


def cpu_by_kind(before, after):
    """CPU between two thread_cpu() snapshots by kind of thread: "event loops 9.1 s, workers 3.0 s, GC 4.2 s, ..."."""
    kinds = {}
    for tid, (name, cpu) in after.items():
        kind = next((k for k, prefixes in THREAD_KINDS if name.startswith(prefixes)), "other")
        kinds[kind] = kinds.get(kind, 0) + cpu - before.get(tid, (name, 0))[1]
    return ", ".join(f"{k} {v:.1f} s" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))


class Server:
    def __init__(self, heap=None, java=(), env=None, concurrency=8):
        self.home = tempfile.mkdtemp(prefix="sightline-bench-")
        # no demo (SIGHTLINE_DEMO=false unless set): its install and its every-minute schedules would share the cores
        env = dict({"SIGHTLINE_DEMO": "false"}, **os.environ, **(env or {}))
        env = dict(env, SIGHTLINE_HOME=self.home, SIGHTLINE_HTTP_PORT=str(HTTP_PORT),
                   SIGHTLINE_EMBEDDED_PG_PORT=str(PG_PORT), SIGHTLINE_ADMIN_EMAIL=ADMIN[0],
                   SIGHTLINE_ADMIN_PASSWORD=ADMIN[1], SIGHTLINE_RUNS_MAX_ROWS="20000000",
                   SIGHTLINE_RUNS_MAX_BYTES=str(8 << 30), SIGHTLINE_LOG_LEVEL="WARN")
        cmd = ["java"] + ([f"-Xmx{heap}"] if heap else []) + java_options() + list(java) + ["-jar", JAR]
        self.log = open(os.path.join(self.home, "server.log"), "w")
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{HTTP_PORT}"
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(self.base + "/readyz", timeout=2).status == 200:
                    break
            except Exception:
                time.sleep(0.2)
        else:
            raise SystemExit("server did not become ready; see " + self.log.name)
        self.ready_at = time.time()
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        me = self.call("POST", "/api/v1/auth/login", {"email": ADMIN[0], "password": ADMIN[1]})
        self.csrf = me["csrfToken"]
        self.key = self.call("POST", "/api/v1/api-keys", {"name": "bench"})["key"]
        self.datasource = self.call("POST", "/api/v1/datasources", {
            "name": "embedded", "host": "127.0.0.1", "port": PG_PORT, "database": "sightline", "user": "postgres",
            "sslMode": "disable", "maxConcurrency": concurrency, "defaultMaxRows": 20000000, "maxRowsLimit": 20000000,
            "defaultMaxBytes": 8 << 30, "maxBytesLimit": 8 << 30, "defaultTimeoutMs": 600000,
            "maxTimeoutMs": 600000})["id"]

    def call(self, method, path, body=None, key=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if key:
            req.add_header("Authorization", "Bearer " + key)
        elif method != "GET" and getattr(self, "csrf", None):
            req.add_header("X-XSRF-TOKEN", self.csrf)
        opener = urllib.request.build_opener() if key else self.opener
        with opener.open(req, timeout=600) as r:
            text = r.read()
            return json.loads(text) if text else None

    def run(self, sql, poll=0.02):
        started = time.perf_counter()
        run = self.call("POST", "/api/v1/runs", {"datasourceId": self.datasource, "sql": sql}, key=self.key)
        while run["status"] in ("queued", "running"):
            time.sleep(poll)
            run = self.call("GET", "/api/v1/runs/" + run["id"], key=self.key)
        if run["status"] != "succeeded":
            raise SystemExit(f"run {run['status']}: {run.get('error')}")
        return time.perf_counter() - started, run

    def rss_peak_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return -1

    def cpu_seconds(self):
        """CPU time (user + system) the server process has used so far."""
        return proc_cpu(f"/proc/{self.proc.pid}/stat")[1]

    def thread_cpu(self):
        """CPU time so far of each of the server's threads: {tid: (name, seconds)}."""
        out = {}
        task = f"/proc/{self.proc.pid}/task"
        for tid in os.listdir(task):
            try:
                out[tid] = proc_cpu(f"{task}/{tid}/stat")
            except OSError:
                pass
        return out

    def sql(self, statement):
        out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", "sightline",
                              "-At", "-c", statement], capture_output=True, text=True, check=True)
        return out.stdout.strip()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(60)
        shutil.rmtree(self.home, ignore_errors=True)


def psql_copy(sql):
    started = time.perf_counter()
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", "sightline", "-q", "-c",
                    f"\\copy ({sql}) to /dev/null"], check=True)
    return time.perf_counter() - started


def e2e(rounds=5, n=1_000_000):
    server = Server()
    try:
        sql = E2E_SQL.format(n=n)
        server.run(sql)      # warm-up: JIT, pools
        psql_copy(sql)
        ours, theirs = [], []
        for i in range(rounds):
            t, run = server.run(sql + f" -- round {i}")
            ours.append(t)
            theirs.append(psql_copy(sql))
            print(f"round {i}: sightline {t:.2f} s (exec {run['execMs']} ms, persist {run['persistMs']} ms, "
                  f"{run['byteCount'] / 1e6:.0f} MB), psql \\copy {theirs[-1]:.2f} s")
        ratio = statistics.median(ours) / statistics.median(theirs)
        print(f"e2e {n} rows: sightline median {statistics.median(ours):.2f} s, psql median "
              f"{statistics.median(theirs):.2f} s, ratio {ratio:.2f}")
    finally:
        server.stop()


def big(n=10_000_000, heap="256m"):
    server = Server(heap=heap)
    try:
        t, run = server.run(E2E_SQL.format(n=n), poll=0.5)
        print(f"big {n} rows at -Xmx{heap}: {run['status']} in {t:.1f} s, rows {run['rowCount']}, "
              f"{run['byteCount'] / 1e6:.0f} MB uncompressed, truncated {run['truncated']}; "
              f"peak RSS {server.rss_peak_kb() / 1024:.0f} MB")
    finally:
        server.stop()


SHAPE_SQL = ("select timestamptz '2026-01-01' + (g / 3) * interval '1 second' as at, "
             "(array['XLON','XNYS','XTKS'])[g % 3 + 1] as venue, round((random() * 1000)::numeric, 2) as price "
             "from generate_series(0, {last}) g order by g")


ORDERS_SQL = "select * from orders"

# An order book: 1,000,000 orders over a trading day, realistic spreads of values (a few desks and venues, a few
# hundred symbols, prices with 6 decimals, notional = qty * px with 6 decimals, most orders filled).
CREATE_ORDERS = """
drop table if exists orders;
create table orders (id bigint primary key, ts timestamptz not null, desk text not null, venue text not null,
  symbol text not null, side char(1) not null, qty int not null, px numeric(18,6) not null, status text not null,
  latency_us int, notional numeric(24,6));
insert into orders
select g, timestamptz '2026-11-30 08:00:00+00' + g * interval '30 milliseconds' + (random() * 29999)::int
         * interval '1 microsecond',
       (array['rates','fx','credit','equities','commodities','em'])[1 + (random() * 5)::int],
       (array['XNYS','XNAS','XLON','XPAR','XETR','XTKS','BATS','ARCX','IEXG'])[1 + (random() * 8)::int],
       'SYM' || lpad((1 + (random() * 399)::int)::text, 3, '0') || (array['', '.L', '.PA', '.DE'])[1 + g % 4],
       case when random() < 0.5 then 'B' else 'S' end,
       qty,
       px,
       (array['filled','filled','filled','partial','cancelled','rejected','new'])[1 + (random() * 6)::int],
       case when random() < 0.02 then null else (20 + random() * 5000)::int end,
       px * qty
  from (select g, (1 + random() * 9999)::int as qty, round((0.5 + random() * 2500)::numeric, 6) as px
          from generate_series(1, {n}) g) s;
vacuum analyze orders;
"""


def create_orders(server, n):
    started = time.perf_counter()
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", "sightline", "-q",
                          "-v", "ON_ERROR_STOP=1"], input=CREATE_ORDERS.format(n=n), capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("creating orders failed: " + out.stderr)
    size = server.sql("select pg_size_pretty(pg_table_size('orders'))")
    print(f"orders: {n} rows created in {time.perf_counter() - started:.1f} s ({size}); load average {load_average()}")


def stored(server, run):
    """Uncompressed and compressed bytes of a run's stored result, and where it went."""
    row = server.sql(f"select byte_count, compressed_bytes, storage, chunk_count from results "
                     f"where id = '{run['resultId']}'").split("|")
    return int(row[0]), int(row[1]), row[2], int(row[3])


def describe(server, t, run):
    raw, packed, storage, chunks = stored(server, run)
    return (f"{t:.2f} s (exec {run['execMs']} ms, persist {run['persistMs']} ms, {run['rowCount']} rows, "
            f"{raw / 1e6:.1f} MB JSON lines -> {packed / 1e6:.1f} MB zstd in {chunks} chunks, {storage})")


def orders(rounds=5, n=1_000_000):
    server = Server()
    try:
        create_orders(server, n)
        t, run = server.run(ORDERS_SQL + " -- warm-up", poll=0.02)   # warm-up: JIT, pools, caches
        print(f"warm-up: sightline {describe(server, t, run)}, psql \\copy {psql_copy(ORDERS_SQL):.2f} s")
        ours, theirs, ratios, cpus = [], [], [], []
        for i in range(rounds):
            cpu, threads = server.cpu_seconds(), server.thread_cpu()
            t, run = server.run(ORDERS_SQL + f" -- round {i}", poll=0.02)
            cpus.append(server.cpu_seconds() - cpu)
            top = busiest(threads, server.thread_cpu())
            p = psql_copy(ORDERS_SQL)
            ours.append(t)
            theirs.append(p)
            ratios.append(t / p)
            print(f"round {i}: sightline {describe(server, t, run)}, server CPU {cpus[-1]:.2f} s (threads: {top}), psql \\copy {p:.2f} s, "
                  f"ratio {t / p:.2f}; load average {load_average()}")
        print(f"orders {n} rows x 11 columns: sightline median {statistics.median(ours):.2f} s, psql median "
              f"{statistics.median(theirs):.2f} s, ratio of medians {statistics.median(ours) / statistics.median(theirs):.2f}"
              f", median of pair ratios {statistics.median(ratios):.2f}; server CPU per run median "
              f"{statistics.median(cpus):.2f} s; server peak RSS {server.rss_peak_kb() / 1024:.0f} MB; load average "
              f"{load_average()}")
    finally:
        server.stop()


FIRST_RUN_AFTER_S = 20


def first(starts=3, n=1_000_000):
    ratios = []
    for s in range(starts):
        server = Server()
        try:
            create_orders(server, n)
            # a person's first query comes some 20 s after the ready line at the soonest (open the page, sign in,
            # write it); the runner's JIT warm-up (RunnerWarmup) starts 10 s after the ready line and takes about 4 s.
            # SIGHTLINE_RUNNER_WARMUP_ROWS=0 in the environment measures a cold first run.
            time.sleep(max(0.0, server.ready_at + FIRST_RUN_AFTER_S - time.time()))
            psql_copy(ORDERS_SQL)   # psql's side warm (the table in shared buffers), the server's JVM still cold
            p_before = psql_copy(ORDERS_SQL)
            cpu, threads = server.cpu_seconds(), server.thread_cpu()
            t, run = server.run(ORDERS_SQL + " -- first", poll=0.02)
            cpu, top = server.cpu_seconds() - cpu, busiest(threads, server.thread_cpu())
            p_after = psql_copy(ORDERS_SQL)
            p = (p_before + p_after) / 2
            ratios.append(t / p)
            print(f"start {s}: first run {describe(server, t, run)}, server CPU {cpu:.2f} s (threads: {top}), psql \\copy {p_before:.2f} s / {p_after:.2f} s, "
                  f"ratio {t / p:.2f}; load average {load_average()}")
        finally:
            server.stop()
    print(f"first run after start, {starts} starts: median ratio {statistics.median(ratios):.2f} "
          f"({', '.join(f'{r:.2f}' for r in ratios)})")


def copypath(n=1_000_000, rounds=5, heap="256m"):
    """The COPY read-path prototype (bench/copy_path/CopyPathProto.java) against psql and a real run of the same rows."""
    server = Server()
    try:
        create_orders(server, n)
        runs = []

        def sightline_rounds(tag, count):
            for i in range(count):
                t, run = server.run(ORDERS_SQL + f" -- {tag} {i}", poll=0.05)
                p = psql_copy(ORDERS_SQL)
                runs.append(t / p)
                print(f"sightline run {tag} {i}: {t:.2f} s, psql \\copy {p:.2f} s, ratio {t / p:.2f}", flush=True)

        sightline_rounds("before", 3)
        for mode in ("null", "json"):
            subprocess.run(["java", f"-Xmx{heap}", "-cp", JAR, os.path.join(ROOT, "bench", "copy_path",
                            "CopyPathProto.java"), str(PG_PORT), mode, str(rounds)], check=True)
        sightline_rounds("after", 3)
        print(f"sightline runs (warm after the first): pair ratios {', '.join(f'{r:.2f}' for r in runs)}; "
              f"load average {load_average()}")
    finally:
        server.stop()


def smallcopy(runs=5000):
    """Small runs on the datasource side: today's cursor path against a COPY path (bench/copy_path/SmallRunsProto)."""
    server = Server(env={"SIGHTLINE_RUNNER_WARMUP_ROWS": "0"})
    try:
        subprocess.run(["java", "-cp", JAR, os.path.join(ROOT, "bench", "copy_path", "SmallRunsProto.java"),
                        str(PG_PORT), str(runs)], check=True)
        print(f"load average {load_average()}")
    finally:
        server.stop()


def heap_used_mb(pid):
    """Heap in use after a full GC, from jcmd (the JDK's own tool)."""
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, check=True)
    out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if "used" in parts:  # " garbage-first heap   total 262144K, used 23456K [...]"
            return int(parts[parts.index("used") + 1].rstrip("K,")) / 1024
    raise SystemExit("no heap figure in jcmd output:\n" + out)


def shape(times=10, n=1_000_000, width=1200):
    server = Server()
    try:
        t, run = server.run(SHAPE_SQL.format(last=n - 1), poll=0.1)
        result = run["resultId"]
        print(f"result: {run['rowCount']} rows, {run['byteCount'] / 1e6:.0f} MB of JSON lines, written in {t:.1f} s")

        def post(i):
            body = {"kind": "line", "width": width, "config": {
                "x": {"column": "at"}, "y": [{"column": "price", "aggregate": "max", "name": f"price {i}"}],
                "seriesBy": "venue"}}
            req = urllib.request.Request(f"{server.base}/api/v1/results/{result}/series",
                                         data=json.dumps(body).encode(), method="POST")
            req.add_header("Content-Type", "application/json")
            req.add_header("Authorization", "Bearer " + server.key)
            started = time.perf_counter()
            with urllib.request.urlopen(req, timeout=600) as r:
                answer = json.loads(r.read())
                timing = r.headers.get("Server-Timing", "")
                cache = r.headers.get("X-Sightline-Cache")
            client_ms = (time.perf_counter() - started) * 1000
            return float(timing.split("dur=")[1]) if "dur=" in timing else None, client_ms, cache, answer

        heap_before = heap_used_mb(server.proc.pid)
        for i in range(3):  # warm-up: JIT
            post(f"warm {i}")
        server_ms, client_ms = [], []
        for i in range(times):
            s_ms, c_ms, cache, answer = post(i)
            assert cache == "miss", cache
            meta = answer["meta"]
            server_ms.append(s_ms)
            client_ms.append(c_ms)
            print(f"shape {i}: server {s_ms:.0f} ms, client {c_ms:.0f} ms; {len(answer['series'])} series, "
                  f"{len(answer['x']['values'])} x, points {meta['points']}, sampled {meta['sampled']}, "
                  f"rows {meta['sourceRows']}")
        heap_after = heap_used_mb(server.proc.pid)

        def pct(values, p):
            ordered = sorted(values)
            return ordered[min(len(ordered) - 1, int(round((len(ordered) - 1) * p)))]
        print(f"shape {n} rows x 3 series -> {width} px line, {times} uncached: server p50 {pct(server_ms, 0.5):.0f} ms,"
              f" p95 {pct(server_ms, 0.95):.0f} ms (client p50 {pct(client_ms, 0.5):.0f} ms); heap used after GC "
              f"{heap_before:.0f} MB before, {heap_after:.0f} MB after; peak RSS {server.rss_peak_kb() / 1024:.0f} MB")
    finally:
        server.stop()


def offer_runs(server, rate, seconds, tag):
    """POSTs small runs at `rate` per second for `seconds` (a thread per request), SQL text tagged `-- {tag} i`."""
    sent = []
    errors = []
    interval = 1.0 / rate
    begin = time.perf_counter()

    def offer(i):
        try:
            run = server.call("POST", "/api/v1/runs", {"datasourceId": server.datasource,
                              "sql": f"select n from generate_series(1, 10) n -- {tag} {i}"}, key=server.key)
            sent.append(run["id"])
        except Exception as e:  # noqa: BLE001
            errors.append(str(e))

    i = 0
    threads = []
    while time.perf_counter() - begin < seconds:
        due = begin + i * interval
        now = time.perf_counter()
        if due > now:
            time.sleep(due - now)
        th = threading.Thread(target=offer, args=(i,))
        th.start()
        threads.append(th)
        i += 1
    for th in threads:
        th.join()
    return sent, errors


def drain(server, where="true", limit=60):
    """Waits until no run matching `where` is queued or running (gives up after `limit` seconds)."""
    deadline = time.time() + limit
    while time.time() < deadline:
        if not int(server.sql(f"select count(*) from runs where {where} and status in ('queued','running')")):
            return True
        time.sleep(0.5)
    return False


def pct(values, p):
    """The p-quantile of sorted `values`."""
    return values[min(len(values) - 1, int(len(values) * p))]


def run_latencies(server, where):
    """Runs matching `where`: (rows [status, ms enqueue->finished, wake-up ms, created epoch], succeeded rows, sorted
    enqueue->succeeded ms, sorted wake-up ms, seconds from the first enqueue to the last finish)."""
    rows = [line.split("|") for line in server.sql(
        "select status, extract(epoch from (finished_at - created_at)) * 1000, queue_ms, "
        f"extract(epoch from created_at) from runs where {where}").splitlines()]
    ok = [row for row in rows if row[0] == "succeeded"]
    span = float(server.sql(
        f"select extract(epoch from (max(finished_at) - min(created_at))) from runs where {where}"))
    return rows, ok, sorted(float(row[1]) for row in ok), sorted(float(row[2]) for row in ok), span


def small(rate=250, seconds=20, warm_seconds=20):
    server = Server()
    try:
        # warm-up at the same rate: right after a start the JIT compiler takes as much CPU as the runs themselves
        # (measured: 5.8 s of compiler threads against 5.8 s of event loops in 15 s), which is not the steady state
        offer_runs(server, rate, warm_seconds, "warm")
        drain(server)
        sent, errors = offer_runs(server, rate, seconds, "load")
        ids_filter = "sql like '%-- load %'"
        drain(server, ids_filter)
        done, ok, total, wake, finished_span = run_latencies(server, ids_filter)
        span = max(float(d[3]) for d in done) - min(float(d[3]) for d in done)
        print(f"small runs offered at {rate}/s for {seconds} s: {len(sent)} enqueued ({len(errors)} errors), "
              f"{len(ok)} succeeded; offered over {span:.1f} s, all finished within {finished_span:.1f} s "
              f"=> {len(ok) / finished_span:.0f} runs/s sustained")
        print(f"enqueue->succeeded p50 {pct(total, 0.5):.1f} ms, p99 {pct(total, 0.99):.1f} ms; "
              f"enqueue->claimed (wake-up) p50 {pct(wake, 0.5):.1f} ms, p99 {pct(wake, 0.99):.1f} ms")
    finally:
        server.stop()


def postgres_processes():
    """{pid: (kind, CPU seconds so far)} of every Postgres process on the machine: kind is "backend" for a client's
    session, else the process's title ("autovacuum worker", "walwriter", "checkpointer", ...)."""
    out = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                name, cpu = proc_cpu(f"/proc/{pid}/stat")
                if not name.startswith("postgres"):
                    continue
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    title = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
            except OSError:
                continue
            kind = title[len("postgres: "):] if title.startswith("postgres: ") else "postmaster"
            out[pid] = ("backend" if "(" in kind or "idle" in kind or kind.startswith("postgres ") else kind, cpu)
    return out


def postgres_cpu():
    """CPU seconds so far of every Postgres process on the machine (the embedded server's backends included)."""
    return sum(cpu for _, cpu in postgres_processes().values())


def postgres_cpu_by_kind(before, after):
    """CPU seconds between two postgres_processes() snapshots by kind of process (processes that began and ended in
    between, such as most autovacuum workers, are not seen)."""
    kinds = {}
    for pid, (kind, cpu) in after.items():
        kinds[kind] = kinds.get(kind, 0.0) + cpu - before.get(pid, (kind, 0.0))[1]
    return sorted(kinds.items(), key=lambda kv: -kv[1])


def steal_seconds():
    """CPU time the hypervisor gave to others so far (the steal column of /proc/stat)."""
    with open("/proc/stat") as f:
        return int(f.readline().split()[8]) / os.sysconf("SC_CLK_TCK")


STATEMENTS = """
    select calls, round(total_exec_time::numeric, 1), shared_blks_hit + shared_blks_read, plans,
           round(total_plan_time::numeric, 1),
           regexp_replace(left(query, 400), '\\s+', ' ', 'g')
    from pg_stat_statements where dbid = (select oid from pg_database where datname = 'sightline')
      and query not like '%pg_stat_statements%'
    order by total_exec_time desc"""


def statement_profile(server, runs):
    """Statements per run from pg_stat_statements (reset before the load): every statement of the metadata and the
    datasource sessions, with calls, execution time and buffers per run, the costliest first."""
    rows = [line.split("|", 5) for line in server.sql(STATEMENTS).splitlines()]
    calls = sum(int(r[0]) for r in rows)
    exec_ms = sum(float(r[1]) for r in rows)
    plans = sum(int(r[3]) for r in rows)
    plan_ms = sum(float(r[4]) for r in rows)
    print(f"statements: {calls / runs:.1f} per run, execution {exec_ms / runs:.2f} ms per run, planned {plans / runs:.1f} "
          f"times per run in {plan_ms / runs:.2f} ms (pg_stat_statements over {runs} runs):")
    print("  calls/run  exec ms/run  buffers/call  plans/call  plan ms/run  statement")
    for c, t, b, n, pt, q in rows:
        if int(c) >= runs / 20:
            print(f"  {int(c) / runs:9.2f}  {float(t) / runs:11.3f}  {int(b) / max(1, int(c)):12.1f}  "
                  f"{int(n) / max(1, int(c)):10.2f}  {float(pt) / runs:11.3f}  {q[:80]}")


def small_wrk(connections=4, seconds=20, warm_seconds=20, concurrency=8):
    """Small runs at saturation from wrk (bench/wrk/runs.lua, keep-alive connections, C in Lua: little CPU of its
    own): runs enqueued and finished per second, latencies from the database, CPU per run of the server and Postgres,
    statements per run (pg_stat_statements is preloaded into the embedded Postgres)."""
    from api_load import WRK_DIR, show, wrk  # noqa: E402  (api_load imports this module)
    # no runner warm-up: it streams its rows whenever no run is in flight, and would be measured with the runs
    # concurrency: the runner's concurrent runs and the datasource's cap (8 by default, as a new datasource has)
    server = Server(java=["-Dsightline.embedded.preload=pg_stat_statements"],
                    env={"SIGHTLINE_RUNNER_WARMUP_ROWS": "0", "SIGHTLINE_RUNNER_CONCURRENCY": str(concurrency)},
                    concurrency=concurrency)
    recording = None
    try:
        url = server.base + "/api/v1/runs"
        auth = ["Authorization: Bearer " + server.key]
        script = os.path.join(WRK_DIR, "runs.lua")

        show("warm-up", wrk(url, connections, warm_seconds, auth, script, {"WRK_DATASOURCE": server.datasource,
                                                                            "WRK_TAG": "warm"}))
        if not drain(server, limit=180):
            raise SystemExit("the queue did not drain")
        # statistics as any database older than a minute has them (autovacuum analyzes once a minute at most): a fresh
        # database's first plans, cached by every pooled session, chose the wrong index to check run_events' foreign
        # key to runs (hundreds of index entries per check)
        server.sql("analyze")
        server.sql("create extension if not exists pg_stat_statements")
        server.sql("alter system set pg_stat_statements.track_planning = on")
        server.sql("select pg_reload_conf()")
        server.sql("select pg_stat_statements_reset()")
        cpu, pg, steal, threads = server.cpu_seconds(), postgres_processes(), steal_seconds(), server.thread_cpu()
        recording = perf_window(max(1, seconds - 2))
        r = wrk(url, connections, seconds, auth, script, {"WRK_DATASOURCE": server.datasource, "WRK_TAG": "load"})
        show(f"enqueue, {connections} connections, {seconds} s", r)
        where = "sql like '%-- load %'"
        if not drain(server, where, limit=180):
            raise SystemExit("the queue did not drain")
        pg_after = postgres_processes()
        after = server.thread_cpu()
        by_kind = cpu_by_kind(threads, after)
        cpu, kinds, steal = server.cpu_seconds() - cpu, postgres_cpu_by_kind(pg, pg_after), steal_seconds() - steal
        pg = sum(v for _, v in kinds)
        rows, ok, total, wake, span = run_latencies(server, where)
        print(f"{len(rows)} runs enqueued ({r['rps']}/s), {len(ok)} succeeded, all finished within {span:.1f} s => "
              f"{len(ok) / span:.0f} runs/s sustained; enqueue->succeeded p50 {pct(total, 0.5):.1f} ms, p99 "
              f"{pct(total, 0.99):.1f} ms; wake-up p50 {pct(wake, 0.5):.1f} ms, p99 {pct(wake, 0.99):.1f} ms; CPU per "
              f"run: server {cpu * 1000 / len(rows):.2f} ms, Postgres {pg * 1000 / len(rows):.2f} ms; load average "
              f"{load_average()}")
        print("Postgres CPU per run by process: " + ", ".join(f"{k} {v * 1000 / len(rows):.2f} ms" for k, v in kinds
                                                               if v > 0.005) + f"; CPU stolen by the host {steal:.1f} s")
        print(f"server CPU by kind of thread: {by_kind}")
        statement_profile(server, len(rows))
    finally:
        tids = set(server.thread_cpu())
        server.stop()
    perf_summary(recording, server.proc.pid, tids)


def machine_busy():
    """(busy, idle) CPU seconds of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    hz = os.sysconf("SC_CLK_TCK")
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / hz, (v[3] + v[4]) / hz


def ceiling(seconds=20, clients=8, batch=8):
    """The metadata Postgres alone, without Sightline's processes: a run's writes as the run engine makes them (enqueue,
    claim, started, success with an inline result, each in its own statement and commit; bench/pgbench/
    run_writes_single.sql), then the same writes for `batch` runs per statement (run_writes_batch.sql), from pgbench
    on `clients` connections. Prints runs/s with both cores for Postgres, and CPU per run of the machine and of
    pgbench. The server idles meanwhile (warm-up off)."""
    server = Server(env={"SIGHTLINE_RUNNER_WARMUP_ROWS": "0"})
    try:
        org = server.sql(f"select org_id from datasources where id = '{server.datasource}'")
        user = server.sql("select id from users limit 1")
        here = os.path.join(ROOT, "bench", "pgbench")
        for name, script, per_tx in (("one run per statement", "run_writes_single.sql", 1),
                                     (f"{batch} runs per statement", "run_writes_batch.sql", batch)):
            busy, idle = machine_busy()
            started = time.perf_counter()
            out = subprocess.run(["pgbench", "-n", "-M", "prepared", "-c", str(clients), "-j", "2", "-T", str(seconds),
                                  "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-D", f"org={org}",
                                  "-D", f"ds={server.datasource}", "-D", f"usr={user}", "-D", f"b={batch}",
                                  "-f", os.path.join(here, script), "sightline"],
                                 capture_output=True, text=True, check=True)
            wall = time.perf_counter() - started
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            tool = usage.ru_utime + usage.ru_stime - ceiling.tool
            ceiling.tool += tool
            busy, idle = machine_busy()[0] - busy, machine_busy()[1] - idle
            tx = int(next(line for line in out.stdout.splitlines() if "actually processed" in line).split()[-1]
                     .split("/")[0])
            runs = tx * per_tx
            print(f"{name}: {runs / seconds:.0f} runs/s ({tx / seconds:.0f} statements of each kind/s) on {clients} "
                  f"connections; machine busy {busy:.1f} s, idle {idle:.1f} s in {wall:.1f} s; CPU per run: "
                  f"{busy * 1000 / runs:.2f} ms, of it pgbench {tool * 1000 / runs:.2f} ms; load average "
                  f"{load_average()}")
    finally:
        server.stop()


ceiling.tool = 0.0


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "e2e"
    if mode == "small" and len(sys.argv) > 2:
        small(rate=int(sys.argv[2]))
    elif mode == "smallwrk":
        small_wrk(connections=int(sys.argv[2]) if len(sys.argv) > 2 else 4,
                  concurrency=int(sys.argv[3]) if len(sys.argv) > 3 else 8,
                  warm_seconds=int(sys.argv[4]) if len(sys.argv) > 4 else 20)
    elif mode == "ceiling":
        ceiling(clients=int(sys.argv[2]) if len(sys.argv) > 2 else 8)
    elif mode == "shape":
        shape(times=int(sys.argv[2]) if len(sys.argv) > 2 else 10)
    elif mode == "smallcopy":
        smallcopy(int(sys.argv[2]) if len(sys.argv) > 2 else 5000)
    elif mode == "copypath":
        copypath(n=int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000,
                 rounds=int(sys.argv[3]) if len(sys.argv) > 3 else 5)
    elif mode in ("orders", "first"):
        {"orders": orders, "first": first}[mode](int(sys.argv[2]) if len(sys.argv) > 2 else (5 if mode == "orders" else 3),
                                                 n=int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000)
    else:
        {"e2e": e2e, "big": big, "small": small}[mode]()
