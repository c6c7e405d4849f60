#!/usr/bin/env python3
"""End-to-end benchmarks of `latencylab serve` against its references (docs/BENCHMARKS.md).

Run through scripts/bench.sh, which builds the binaries and passes their paths. Every figure is a
ratio measured within one run: the servers under comparison are measured interleaved
(A B C A B C ...), each server pinned to core 0 and every load generator to core 1, and each ratio
is reported as the median of the repetitions with its spread (min-max). Server CPU comes from
/proc/<pid>/stat (utime + stime), memory from /proc/<pid>/status (VmRSS).

Everything listens on and sends to 127.0.0.1 only. Every child is started through `Fleet`, which
terminates it on exit, on an exception and on SIGTERM/SIGINT; every load run has a duration and
a timeout.

    python3 scripts/bench/e2e.py --bin-dir build/release --seedgo build/release/seedgo \
        --otelcol .tools/otelcol/.../otelcol-latencylab --out build/release/bench-results
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SERVER_CORE = "0"
LOAD_CORE = "1"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
HERE = Path(__file__).resolve().parent


# --------------------------------------------------------------------------------------------
# Processes


class Stop(Exception):
    """Raised in the main thread by SIGTERM/SIGINT so `finally` blocks stop the children."""


def _on_signal(signum, _frame):
    raise Stop(f"signal {signum}")


class Fleet:
    """Every process the benchmark starts; stop_all() ends them (TERM, then KILL after 5 s)."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.procs: list[subprocess.Popen] = []

    def start(self, name: str, argv: list[str], core: str, env: dict | None = None,
              stdout_path: Path | None = None) -> subprocess.Popen:
        full_env = dict(os.environ)
        full_env.update(env or {})
        log = open(self.log_dir / f"{name}.log", "ab")
        out = open(stdout_path, "wb") if stdout_path else log
        proc = subprocess.Popen(["taskset", "-c", core, *argv], env=full_env, stdout=out,
                                stderr=log, stdin=subprocess.DEVNULL)
        proc.bench_name = name  # type: ignore[attr-defined]
        self.procs.append(proc)
        return proc

    def stop(self, proc, grace_s: float = 12.0) -> None:
        """Stops a Popen or a Server (anything with a .proc)."""
        proc = getattr(proc, "proc", proc)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc in self.procs:
            self.procs.remove(proc)

    def stop_all(self) -> None:
        for proc in list(self.procs):
            self.stop(proc, grace_s=5.0)


def wait_with_cpu(proc: subprocess.Popen, timeout_s: float) -> float:
    """Waits for a child and returns the CPU seconds (user + system) it used, from wait4."""
    deadline = time.monotonic() + timeout_s
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return usage.ru_utime + usage.ru_stime
        if time.monotonic() > deadline:
            raise subprocess.TimeoutExpired(proc.args, timeout_s)
        time.sleep(0.02)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.bench_name} exited with {proc.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{proc.bench_name} did not listen on 127.0.0.1:{port}")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class RssPeak:
    """Samples a process's VmRSS every 50 ms on a background thread; .peak_kb after stop()."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak_kb = rss_kb(pid)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._done.wait(0.05):
            try:
                self.peak_kb = max(self.peak_kb, rss_kb(self.pid))
            except (OSError, RuntimeError):
                return

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak_kb


# --------------------------------------------------------------------------------------------
# Load generators


@dataclass
class WrkResult:
    requests: int
    seconds: float
    rps: float
    errors: int
    client_cpu_s: float


def run_wrk(fleet: Fleet, url: str, connections: int, duration_s: int) -> WrkResult:
    proc = fleet.start("wrk", ["wrk", "-t1", f"-c{connections}", f"-d{duration_s}s", url],
                       LOAD_CORE, stdout_path=fleet.log_dir / "wrk.out")
    try:
        client_cpu = wait_with_cpu(proc, duration_s + 30)
    finally:
        fleet.stop(proc)
    out = (fleet.log_dir / "wrk.out").read_text()
    m = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    if not m:
        raise RuntimeError(f"cannot parse wrk output:\n{out}")
    secs = float(m.group(2)) / (1000.0 if m.group(3) == "ms" else 1.0)
    errors = 0
    se = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if se:
        errors += sum(int(x) for x in se.groups())
    n2 = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if n2:
        errors += int(n2.group(1))
    requests = int(m.group(1))
    return WrkResult(requests, secs, requests / secs, errors, client_cpu)


@dataclass
class LoadResult:
    doc: dict
    client_cpu_s: float

    @property
    def target(self) -> dict:
        return self.doc["targets"][0]


def run_load(fleet: Fleet, bin_dir: Path, args: list[str], timeout_s: float,
             name: str = "load") -> LoadResult:
    json_path = fleet.log_dir / f"{name}.json"
    json_path.unlink(missing_ok=True)
    proc = fleet.start(name, [str(bin_dir / "src/app/latencylab"), "load", "-q", "--json",
                              str(json_path), *args], LOAD_CORE)
    try:
        client_cpu = wait_with_cpu(proc, timeout_s)
    except subprocess.TimeoutExpired:
        fleet.stop(proc)
        raise RuntimeError(f"latencylab load did not finish within {timeout_s} s")
    fleet.stop(proc)
    if not json_path.exists():
        raise RuntimeError(f"latencylab load wrote no result (exit {proc.returncode}), "
                           f"see {fleet.log_dir / (name + '.log')}")
    return LoadResult(json.loads(json_path.read_text()), client_cpu)


# --------------------------------------------------------------------------------------------
# Servers


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    port: int
    stdout_path: Path | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


# GET /api/products (route 4 of config/graphs/default.json) with its one delay step at 0 ms.
ZERO_LATENCY_PRODUCTS = ['--graph-set',
                         'services.latencylab.routes[4].steps[0].delay={"fixed":{"value_ms":0}}']


def start_latencylab(fleet: Fleet, bin_dir: Path, name: str, env: dict,
                     extra: list[str] | None = None, stdout_path: Path | None = None) -> Server:
    port = free_port()
    argv = [str(bin_dir / "src/app/latencylab"), "serve", "--address", "127.0.0.1", "--port",
            str(port), "--log-level", "warn", "--seed", "1", *(extra or [])]
    base_env = {"OTEL_SERVICE_NAME": "latencylab-bench"}
    base_env.update(env)
    proc = fleet.start(name, argv, SERVER_CORE, base_env, stdout_path)
    wait_port(port, proc)
    return Server(name, proc, port, stdout_path)


def start_bare(fleet: Fleet, bin_dir: Path, products_file: Path) -> Server:
    """The baseline; `products_file` (latencylab's /api/products body) must exist."""
    port = free_port()
    proc = fleet.start("bare", [str(bin_dir / "bench/baseline/bare_beast_server"), str(port),
                                str(products_file)], SERVER_CORE)
    wait_port(port, proc)
    return Server("bare", proc, port)


def start_seedgo(fleet: Fleet, seedgo: Path, otlp_endpoint: str) -> Server:
    port = free_port()
    proc = fleet.start("seedgo", [str(seedgo), "-addr", f"127.0.0.1:{port}"], SERVER_CORE,
                       {"OTEL_EXPORTER_OTLP_ENDPOINT": otlp_endpoint})
    wait_port(port, proc)
    return Server("seedgo", proc, port)


def start_collector(fleet: Fleet, otelcol: Path, out: Path) -> tuple[str, Path]:
    """A Collector with an OTLP/gRPC receiver on 127.0.0.1 and the debug exporter, whose log
    line per export names the number of data points received."""
    port = free_port()
    config = out / "otelcol-bench.yaml"
    config.write_text((HERE / "otelcol-bench.yaml").read_text().replace("@PORT@", str(port)))
    proc = fleet.start("otelcol", [str(otelcol), "--config", str(config)], LOAD_CORE)
    wait_port(port, proc, timeout_s=60)
    return f"http://127.0.0.1:{port}", out / "otelcol.log"


def collector_data_points(log_path: Path) -> int | None:
    """Data points in the Collector's last received export (debug exporter, basic verbosity)."""
    last = None
    for line in log_path.read_text(errors="replace").splitlines():
        m = re.search(r'"data points": (\d+)', line)
        if m:
            last = int(m.group(1))
    return last


# --------------------------------------------------------------------------------------------
# Statistics and output


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


class Report:
    def __init__(self, path: Path):
        self.path = path
        self.lines: list[str] = []

    def add(self, text: str = "") -> None:
        print(text, flush=True)
        self.lines.append(text)
        self.path.write_text("\n".join(self.lines) + "\n")

    def table(self, header: list[str], rows: list[list]) -> None:
        self.add("| " + " | ".join(header) + " |")
        self.add("|" + "---|" * len(header))
        for row in rows:
            self.add("| " + " | ".join(str(c) for c in row) + " |")
        self.add()


# --------------------------------------------------------------------------------------------
# 1. Overhead: bare Beast vs latencylab metrics off vs metrics on


def products_body(ctx) -> Path:
    """latencylab's GET /api/products body, which the bare server serves verbatim."""
    path = ctx.out / "products.json"
    if not path.exists():
        probe = start_latencylab(ctx.fleet, ctx.bin_dir, "probe", {"OTEL_SDK_DISABLED": "true"},
                                 ZERO_LATENCY_PRODUCTS)
        try:
            path.write_bytes(_http_get(probe.port, "/api/products"))
        finally:
            ctx.fleet.stop(probe)
    return path


def bench_overhead(ctx) -> None:
    r = ctx.report
    fleet, bin_dir = ctx.fleet, ctx.bin_dir
    products_file = products_body(ctx)

    servers = [
        start_bare(fleet, bin_dir, products_file),
        start_latencylab(fleet, bin_dir, "metrics_off", {"OTEL_SDK_DISABLED": "true"},
                         ZERO_LATENCY_PRODUCTS),
        start_latencylab(fleet, bin_dir, "metrics_on",
                         {"OTEL_EXPORTER_OTLP_ENDPOINT": ctx.otlp_endpoint,
                          "OTEL_METRIC_EXPORT_INTERVAL": "1000"}, ZERO_LATENCY_PRODUCTS),
    ]
    try:
        r.add("### 1. Overhead against a bare Beast coroutine server")
        r.add()
        r.add(f"wrk -t1 -c{ctx.conns} -d{ctx.duration}s on core {LOAD_CORE}, each server pinned "
              f"to core {SERVER_CORE}; servers interleaved bare, off, on; {ctx.reps} rounds. "
              "`off` = OTEL_SDK_DISABLED=true (no request guard, no lag probe, no export); "
              "`on` = request guard + lag probe + OTLP/gRPC export every 1 s to a Collector on "
              "127.0.0.1. /api/products with its latency set to a fixed 0 ms.")
        r.add()
        for path in ["/health", "/api/products"]:
            for s in servers:  # warm-up: connections, caches, lazily created series
                run_wrk(fleet, s.url(path), ctx.conns, 2)
            per = {s.name: [] for s in servers}
            for _ in range(ctx.reps):
                for s in servers:
                    before = cpu_seconds(s.pid)
                    w = run_wrk(fleet, s.url(path), ctx.conns, ctx.duration)
                    cpu = cpu_seconds(s.pid) - before
                    per[s.name].append((w.rps, cpu / w.requests * 1e6, w.errors))
            rows = []
            for i in range(ctx.reps):
                bare_rps, bare_cpu, _ = per["bare"][i]
                row = [i + 1]
                for name in ["bare", "metrics_off", "metrics_on"]:
                    rps, cpu_us, err = per[name][i]
                    row.append(f"{rps:,.0f} / {cpu_us:.2f} µs" + (f" ({err} err)" if err else ""))
                row.append(f"{per['metrics_on'][i][0] / bare_rps:.3f}")
                row.append(f"{per['metrics_on'][i][1] / bare_cpu:.3f}")
                rows.append(row)
            rps_on = [per["metrics_on"][i][0] / per["bare"][i][0] for i in range(ctx.reps)]
            rps_off = [per["metrics_off"][i][0] / per["bare"][i][0] for i in range(ctx.reps)]
            cpu_on = [per["metrics_on"][i][1] / per["bare"][i][1] for i in range(ctx.reps)]
            cpu_off = [per["metrics_off"][i][1] / per["bare"][i][1] for i in range(ctx.reps)]
            r.add(f"`GET {path}` (rps / server CPU per request):")
            r.add()
            r.table(["round", "bare Beast", "latencylab metrics off", "latencylab metrics on",
                     "on/bare rps", "on/bare CPU per req"], rows)
            r.table(["ratio (median, min-max)", "value", "target", ""], [
                ["off / bare rps", summary(rps_off), "", ""],
                ["on / bare rps", summary(rps_on), ">= 0.95",
                 verdict(statistics.median(rps_on) >= 0.95)],
                ["off / bare CPU per request", summary(cpu_off), "", ""],
                ["on / bare CPU per request", summary(cpu_on), "<= 1.10",
                 verdict(statistics.median(cpu_on) <= 1.10)],
            ])
    finally:
        for s in servers:
            fleet.stop(s.proc)
    bench_instructions(ctx, products_file)


def callgrind_total(ctx, name: str, argv: list[str], env: dict, port: int, requests: int,
                    scenario: str = "health") -> int:
    """User-space instructions the server executed (callgrind) for `requests` requests of the
    load `scenario` (default GET /health), start-up and shut-down included; the difference of two
    counts cancels those."""
    out_file = ctx.out / f"callgrind-{name}-{requests}.out"
    proc = ctx.fleet.start(f"callgrind-{name}", ["valgrind", "--tool=callgrind",
                                                 f"--callgrind-out-file={out_file}", *argv],
                           SERVER_CORE, env)
    try:
        wait_port(port, proc, timeout_s=60)
        run_load(ctx.fleet, ctx.bin_dir, ["-t", f"http://127.0.0.1:{port}", "-s", scenario, "-c",
                                          "1", "-n", str(requests), "-d", "120s"], 180,
                 name=f"callgrind-load-{name}")
    finally:
        ctx.fleet.stop(proc, grace_s=30)
    for line in out_file.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise RuntimeError(f"no totals in {out_file}")


def bench_instructions(ctx, products_file: Path) -> None:
    """Instructions per request, bare vs latencylab: deterministic where rps is noisy, but
    user space only (the kernel's share, ~60% of the CPU time here, is the same syscalls)."""
    r = ctx.report
    few, many = 1000, 3000
    per_request = {}
    for name in ("bare", "metrics_off", "metrics_on"):
        port = free_port()
        if name == "bare":
            argv = [str(ctx.bin_dir / "bench/baseline/bare_beast_server"), str(port),
                    str(products_file)]
            env = {}
        else:
            argv = [str(ctx.bin_dir / "src/app/latencylab"), "serve", "--address", "127.0.0.1",
                    "--port", str(port), "--log-level", "warn", "--seed", "1"]
            env = ({"OTEL_SDK_DISABLED": "true"} if name == "metrics_off" else
                   {"OTEL_METRICS_EXPORTER": "none"})
        counts = [callgrind_total(ctx, name, argv, env, port, n) for n in (few, many)]
        per_request[name] = (counts[1] - counts[0]) / (many - few)
    bare = per_request["bare"]
    r.add(f"Instructions per `GET /health` (valgrind --tool=callgrind, user space only: "
          f"(Ir for {many} requests - Ir for {few}) / {many - few}, `latencylab load -c 1`, one request per event-loop turn; "
          "metrics on = request guard + lag probe, OTEL_METRICS_EXPORTER=none):")
    r.add()
    r.table(["server", "instructions per request", "vs bare"],
            [[name, f"{v:,.0f}", f"{v / bare:.2f}"] for name, v in per_request.items()])


def _http_get(port: int, path: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data.split(b"\r\n\r\n", 1)[1]


# --------------------------------------------------------------------------------------------
# 2. The seed's Go design as a peer


def slow_scenario(ctx) -> Path:
    path = ctx.out / "slow-scenario.json"
    path.write_text(json.dumps({"name": "slow", "description": "GET /api/slow only",
                                "endpoints": [{"name": "slow", "method": "GET",
                                               "path": "/api/slow", "weight": 1}]}))
    return path


def slow_load_args(ctx, server: Server, n: int) -> list[str]:
    """N connections, each sending /api/slow back to back for 6 s: N requests are in flight on
    the server from the first wave (all sent at once) until the last response. The generator
    counts the requests that complete within the 6 s window (the whole first wave, 3-5 s each,
    plus a few of the second); later completions are waited for but not reported."""
    return ["-t", server.url(""), "-s", str(slow_scenario(ctx)), "-c", str(n), "-d", "6s",
            "--timeout", "20s", "--source-addresses", str(n // 8000 + 1)]


def inflight_memory(ctx, server: Server, n: int) -> tuple[float, dict]:
    """Holds n concurrent /api/slow requests; returns (KB of RSS per request, load result)."""
    # Warm the server's allocator and runtime with a few requests first.
    run_load(ctx.fleet, ctx.bin_dir, ["-t", server.url(""), "-s", "health", "-c", "8", "-n",
                                      "2000", "-d", "10s"], 30, name="warm")
    time.sleep(0.5)
    base = rss_kb(server.pid)
    sampler = RssPeak(server.pid)
    result = run_load(ctx.fleet, ctx.bin_dir,
                      slow_load_args(ctx, server, n), 60, name="slowload")
    peak = sampler.stop()
    return (peak - base) / n, result.target


def bench_seedgo(ctx) -> None:
    r = ctx.report
    fleet = ctx.fleet
    r.add("### 2. The seed's design (Go net/http + gorilla/mux + OTel Go SDK) as a peer")
    r.add()
    r.add(f"bench/peers/seedgo, GOMAXPROCS=1 by affinity (core {SERVER_CORE}); both export "
          "OTLP/gRPC to the same Collector on 127.0.0.1 (seedgo every 10 s as in the seed, "
          "latencylab every 1 s). rps per core = requests / server CPU seconds (utime+stime).")
    r.add()
    go = start_seedgo(fleet, ctx.seedgo, ctx.otlp_endpoint)
    ll = start_latencylab(fleet, ctx.bin_dir, "latencylab",
                          {"OTEL_EXPORTER_OTLP_ENDPOINT": ctx.otlp_endpoint,
                           "OTEL_METRIC_EXPORT_INTERVAL": "1000"})
    bare = start_bare(fleet, ctx.bin_dir, products_body(ctx))
    try:
        for s in (go, ll, bare):
            run_wrk(fleet, s.url("/health"), ctx.conns, 2)
        rows, ratios, bare_ratios = [], [], []
        for i in range(ctx.reps):
            per = {}
            for s in (go, ll, bare):
                before = cpu_seconds(s.pid)
                w = run_wrk(fleet, s.url("/health"), ctx.conns, ctx.duration)
                cpu = cpu_seconds(s.pid) - before
                per[s.name] = (w.rps, w.requests / cpu, w.errors)
            ratio = per["latencylab"][1] / per["seedgo"][1]
            ratios.append(ratio)
            bare_ratios.append(per["bare"][1] / per["seedgo"][1])
            rows.append([i + 1, f"{per['seedgo'][0]:,.0f}", f"{per['seedgo'][1]:,.0f}",
                         f"{per['latencylab'][0]:,.0f}", f"{per['latencylab'][1]:,.0f}",
                         f"{per['bare'][1]:,.0f}", f"{ratio:.2f}", f"{bare_ratios[-1]:.2f}"])
        r.add(f"`GET /health`, wrk -t1 -c{ctx.conns} -d{ctx.duration}s on core {LOAD_CORE}:")
        r.add()
        r.table(["round", "seedgo rps", "seedgo rps per core", "latencylab rps",
                 "latencylab rps per core", "bare Beast rps per core",
                 "latencylab / seedgo per core", "bare / seedgo per core"], rows)
        r.add(f"rps per core, latencylab / seedgo: **{summary(ratios)}** (target >= 3: "
              f"{verdict(statistics.median(ratios) >= 3)}); for reference the bare Beast server "
              f"(section 1) / seedgo: {summary(bare_ratios)}")
        r.add()
    finally:
        for s in (go, ll, bare):
            fleet.stop(s)

    # Memory: a fresh process per measurement, so that no round reuses memory an earlier round
    # already made the process take.
    n = ctx.inflight_n
    rows, ratios = [], []
    for i in range(ctx.mem_reps):
        per = {}
        for start in (lambda: start_seedgo(fleet, ctx.seedgo, ctx.otlp_endpoint),
                      lambda: start_latencylab(fleet, ctx.bin_dir, "latencylab",
                                               {"OTEL_EXPORTER_OTLP_ENDPOINT": ctx.otlp_endpoint,
                                                "OTEL_METRIC_EXPORT_INTERVAL": "1000"})):
            s = start()
            try:
                per[s.name] = inflight_memory(ctx, s, n)
            finally:
                fleet.stop(s)
        ratio = per["latencylab"][0] / per["seedgo"][0]
        ratios.append(ratio)
        rows.append([i + 1] + [f"{per[x][0]:.2f} KB ({per[x][1]['requests']['completed']} "
                               f"completed, {per[x][1]['requests']['errors']} errors)"
                               for x in ("seedgo", "latencylab")] + [f"{ratio:.3f}"])
    r.add(f"Memory per in-flight `GET /api/slow` (real 3-5 s): peak RSS minus RSS before, "
          f"divided by N = {n} concurrent requests (`latencylab load -c {n} -d 6s`, N in flight "
          "throughout; completed = responses within the 6 s window):")
    r.add()
    r.table(["round", "seedgo", "latencylab", "latencylab / seedgo"], rows)
    r.add(f"memory per in-flight request, latencylab / seedgo: **{summary(ratios)}** "
          f"(target <= 0.25: {verdict(statistics.median(ratios) <= 0.25)})")
    r.add()


# --------------------------------------------------------------------------------------------
# 3. Saturation: N concurrent real 3-5 s /api/slow on one thread


def find_metric(node, name: str):
    if isinstance(node, dict):
        if node.get("name") == name:
            return node
        for v in node.values():
            found = find_metric(v, name)
            if found:
                return found
    elif isinstance(node, list):
        for v in node:
            found = find_metric(v, name)
            if found:
                return found
    return None


def histogram_quantile_upper(point: dict, q: float) -> float:
    """Upper bound of the bucket holding quantile q (the bound, or max for the last bucket)."""
    counts, bounds = point["bucket_counts"], point["explicit_bounds"]
    rank = q * point["count"]
    seen = 0
    for i, c in enumerate(counts):
        seen += c
        if seen >= rank and c:
            return min(bounds[i], point["max"]) if i < len(bounds) else point["max"]
    return point["max"]


def server_slow_duration(stdout_path: Path) -> dict | None:
    """The service's own http.server.request.duration for /api/slow: count, mean and max (s)."""
    last = None
    for line in stdout_path.read_text(errors="replace").splitlines():
        if '"http.server.request.duration"' in line:
            last = line
    if not last:
        return None
    metric = find_metric(json.loads(last), "http.server.request.duration")
    for point in metric["points"]:
        attrs = json.dumps(point["attributes"])
        if "/api/slow" in attrs:
            return {"count": point["count"], "mean": point["sum"] / point["count"],
                    "max": point["max"]}
    return None


def io_loop_lag(stdout_path: Path) -> dict | None:
    last = None
    for line in stdout_path.read_text(errors="replace").splitlines():
        if '"latencylab.io_loop.lag"' in line:
            last = line
    if not last:
        return None
    metric = find_metric(json.loads(last), "latencylab.io_loop.lag")
    point = metric["points"][0]
    return {"count": point["count"], "p50": histogram_quantile_upper(point, 0.5) * 1e3,
            "p99": histogram_quantile_upper(point, 0.99) * 1e3, "max": point["max"] * 1e3}


def bench_saturation(ctx) -> None:
    r = ctx.report
    fleet = ctx.fleet
    r.add("### 3. Saturation: concurrent real 3-5 s `/api/slow` requests on one thread")
    r.add()
    r.add(f"One `latencylab serve` (time_scale 1, metrics on, console exporter, core "
          f"{SERVER_CORE}) per N; `latencylab load -c N -d 6s` (N connections sending back to back, "
          f"so N requests are in flight from the first wave to the last response; "
          f"--source-addresses spreads ephemeral ports) on core {LOAD_CORE}. Completed = "
          "responses within the 6 s window (the whole first wave must be there). "
          "RSS per in-flight = (peak VmRSS - VmRSS before) / N. Lag = the service's own "
          "latencylab.io_loop.lag histogram (a 100 ms probe timer; p50/p99 are bucket upper "
          "bounds, max exact). The last row uses a fixed 4000 ms latency so that overshoot = "
          "duration - 4000 ms can be read at the client (service time: includes loopback and "
          "the client's own loop) and at the server (its http.server.request.duration for "
          "/api/slow, from reading the request to writing the response: mean and max).")
    r.add()
    rows = []
    sizes = [(0, False)] + [(n, False) for n in ctx.saturation_sizes] + [(ctx.overshoot_n, True)]
    for n, fixed in sizes:
        stdout_path = ctx.out / f"serve-saturation-{n}{'-fixed' if fixed else ''}.jsonl"
        extra = ["--set", f"server.max_connections={max(n + 100, 16000)}"]
        if fixed:
            # GET /api/slow (route 3 of config/graphs/default.json): one delay step.
            extra += ["--graph-set", 'services.latencylab.routes[3].steps[0].delay={"fixed":{"value_ms":4000}}']
        s = start_latencylab(fleet, ctx.bin_dir, f"saturation-{n}",
                             {"OTEL_METRICS_EXPORTER": "console",
                              "OTEL_METRIC_EXPORT_INTERVAL": "600000"}, extra, stdout_path)
        try:
            time.sleep(0.5)
            base = rss_kb(s.pid)
            cpu0 = cpu_seconds(s.pid)
            sampler = RssPeak(s.pid)
            t0 = time.monotonic()
            if n == 0:  # control: an idle server, to show the machine's own scheduling noise
                time.sleep(10)
                res = None
            else:
                res = run_load(fleet, ctx.bin_dir, slow_load_args(ctx, s, n), 90, name=f"sat-{n}")
            wall = time.monotonic() - t0
            peak = sampler.stop()
            cpu = cpu_seconds(s.pid) - cpu0
        finally:
            fleet.stop(s.proc)  # SIGTERM: drain, final console export
        lag = io_loop_lag(stdout_path)
        if res is None:
            rows.append(["0 (idle control)", "", "", "", f"{base / 1024:.1f} → {peak / 1024:.1f}",
                         f"{cpu:.2f} s ({wall:.1f} s)", "",
                         f"{lag['p50']:.2f} / {lag['p99']:.2f} / {lag['max']:.2f}" if lag else "",
                         "", ""])
            continue
        t = res.target
        st = t["service_time_ms"]
        ok = t["requests"]["completed"] - t["requests"]["errors"]
        kb = (peak - base) / n
        row = [f"{n:,}" + (" (fixed 4 s)" if fixed else ""),
               f"{ok:,}" + ("" if ok >= n else f" **< N = {n:,}**"),
               t["requests"]["errors"], f"{kb:.2f}", f"{base / 1024:.1f} → {peak / 1024:.1f}",
               f"{cpu:.2f} s ({cpu / wall * 100:.0f}% of {wall:.1f} s)",
               f"{st['min']:.0f} / {st['p50']:.0f} / {st['max']:.0f}"]
        row.append(f"{lag['p50']:.2f} / {lag['p99']:.2f} / {lag['max']:.2f}" if lag else "n/a")
        row.append(f"{st['p50'] - 4000:.2f} / {st['p99'] - 4000:.2f} / {st['max'] - 4000:.2f}"
                   if fixed else "")
        server = server_slow_duration(stdout_path)
        row.append(f"{server['count']:,}: {(server['mean'] - 4) * 1e3:.2f} / "
                   f"{(server['max'] - 4) * 1e3:.2f}" if fixed and server else "")
        rows.append(row)
        ctx.saturation[n if not fixed else -n] = {"ok": ok, "errors": t["requests"]["errors"],
                                                  "kb": kb, "lag": lag}
    r.table(["N", "completed 2xx in window", "errors", "RSS per in-flight (KB)", "RSS MiB before → peak",
             "server CPU (whole run)", "client service time ms min/p50/max",
             "io-loop lag ms p50/p99/max", "client overshoot ms p50/p99/max",
             "server-measured overshoot: count: mean / max ms"], rows)


# --------------------------------------------------------------------------------------------
# 4. Export cost


def series_scenario(ctx) -> Path:
    """/health at 50% (the request whose p99 is compared) and every route x method, so the
    service's per (method, route, status) histograms hold as many series as the API allows."""
    routes = ["/health", "/ready", "/api/users", "/api/orders", "/api/orders/ORD-1", "/api/slow",
              "/api/products", "/api/search", "/api/reports", "/api/payments", "/nope"]
    methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE"]
    endpoints = [{"name": "health", "method": "GET", "path": "/health", "weight": 50 * 88}]
    for route in routes:
        for method in methods:
            e = {"name": f"{method} {route}", "method": method, "path": route, "weight": 50}
            if method in ("POST", "PUT", "PATCH"):
                if route == "/api/orders":
                    e["generate"] = "order"
                elif route == "/api/payments":
                    e["generate"] = "payment"
                else:
                    e["body"] = '{"x":1}'
                    e["content_type"] = "application/json"
            endpoints.append(e)
    # Bodies that fail validation (400) and a wrong Content-Type (415).
    endpoints.append({"name": "bad order", "method": "POST", "path": "/api/orders",
                      "weight": 50, "body": '{"user_id":""}', "content_type": "application/json"})
    endpoints.append({"name": "bad payment", "method": "POST", "path": "/api/payments",
                      "weight": 50, "body": "amount=1", "content_type": "text/plain"})
    path = ctx.out / "series-scenario.json"
    path.write_text(json.dumps({"name": "series", "description": "many series",
                                "endpoints": endpoints}))
    return path


def bench_export(ctx) -> None:
    r = ctx.report
    fleet = ctx.fleet
    r.add("### 4. Export cost: request p99 with OTLP export every 1 s vs no export")
    r.add()
    scenario = series_scenario(ctx)
    common = ["--set", "time_scale=0.001"]
    no_export = start_latencylab(fleet, ctx.bin_dir, "no_export",
                                 {"OTEL_METRICS_EXPORTER": "none"}, common)
    export = start_latencylab(fleet, ctx.bin_dir, "export_1s",
                              {"OTEL_EXPORTER_OTLP_ENDPOINT": ctx.otlp_endpoint,
                               "OTEL_METRIC_EXPORT_INTERVAL": "1000",
                               "OTEL_SERVICE_NAME": "latencylab-export-bench"}, common)
    try:
        rows, deltas = [], []
        args = ["-s", str(scenario), "-r", str(ctx.export_rate), "-d", f"{ctx.export_duration}s",
                "-w", "3s", "--timeout", "5s"]
        for i in range(ctx.export_reps):
            per = {}
            for s in (no_export, export):
                res = run_load(fleet, ctx.bin_dir, ["-t", s.url(""), *args],
                               ctx.export_duration + 30, name=f"export-{s.name}")
                health = next(e for e in res.target["endpoints"] if e["name"] == "health")
                per[s.name] = (health["latency_ms"]["p99"], health["latency_ms"]["max"],
                               res.target["requests"]["completed"])
            delta = per["export_1s"][0] - per["no_export"][0]
            deltas.append(delta)
            rows.append([i + 1, f"{per['no_export'][0]:.3f} / {per['no_export'][1]:.2f}",
                         f"{per['export_1s'][0]:.3f} / {per['export_1s'][1]:.2f}",
                         f"{delta:+.3f}"])
        points = collector_data_points(ctx.otelcol_log)
        r.add(f"Open model, {ctx.export_rate} requests/s for {ctx.export_duration} s (3 s warm-up) "
              f"of a mix: 50% `GET /health` (the measured request) and every route x 8 methods "
              f"plus 400/415 bodies, time_scale 0.001, so that the service's metrics hold many "
              f"series. Data points in the last export the Collector received: **{points}** "
              f"(all instruments; cumulative temporality re-exports every series each second). "
              "`no export` = OTEL_METRICS_EXPORTER=none (recording still on).")
        r.add()
        r.table(["round", "no export: health p99 / max ms", "export 1 s: health p99 / max ms",
                 "p99 added ms"], rows)
        r.add(f"p99 added by exporting every 1 s: **{summary(deltas)} ms** (target <= 1 ms: "
              f"{verdict(statistics.median(deltas) <= 1.0)})")
        r.add()
    finally:
        fleet.stop(no_export.proc)
        fleet.stop(export.proc)


# --------------------------------------------------------------------------------------------
# 5. Load generator vs wrk


def bench_loadgen(ctx) -> None:
    r = ctx.report
    fleet = ctx.fleet
    r.add("### 5. `latencylab load` closed model vs wrk")
    r.add()
    s = start_latencylab(fleet, ctx.bin_dir, "serve_for_load", {"OTEL_SDK_DISABLED": "true"})
    try:
        run_wrk(fleet, s.url("/health"), ctx.conns, 2)
        rows, ratios, cpu_ratios = [], [], []
        for i in range(ctx.reps):
            w = run_wrk(fleet, s.url("/health"), ctx.conns, ctx.duration)
            res = run_load(fleet, ctx.bin_dir, ["-t", s.url(""), "-s", "health", "-c",
                                                str(ctx.conns), "-d", f"{ctx.duration}s"],
                           ctx.duration + 30, name="loadgen")
            ll_rps = res.target["throughput"]
            ratio = ll_rps / w.rps
            ratios.append(ratio)
            wrk_us = w.client_cpu_s / w.requests * 1e6
            ll_us = res.client_cpu_s / (ll_rps * res.doc["measured_s"]) * 1e6
            cpu_ratios.append(ll_us / wrk_us)
            rows.append([i + 1, f"{w.rps:,.0f} / {wrk_us:.2f} µs", f"{ll_rps:,.0f} / {ll_us:.2f} µs",
                         res.target["requests"]["errors"], f"{ratio:.3f}", f"{ll_us / wrk_us:.2f}"])
        r.add(f"Against `latencylab serve` (OTEL_SDK_DISABLED=true) on core {SERVER_CORE}; "
              f"`wrk -t1 -c{ctx.conns} -d{ctx.duration}s` and `latencylab load -c {ctx.conns} "
              f"-d {ctx.duration}s --scenario health` alternate on core {LOAD_CORE}.")
        r.add()
        r.table(["round", "wrk rps / client CPU per request", "latencylab load rps / client CPU "
                 "per request", "load errors", "load / wrk rps", "load / wrk CPU per request"],
                rows)
        r.add(f"closed-model rps, latencylab load / wrk: **{summary(ratios)}** (target >= 0.90: "
              f"{verdict(statistics.median(ratios) >= 0.90)}); client CPU per request, "
              f"latencylab load / wrk: {summary(cpu_ratios)} (client CPU from wait4; the server "
              "is the bottleneck at these rates, so the CPU ratio is the client's own efficiency)")
        r.add()
    finally:
        fleet.stop(s.proc)


# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# 6. Service graphs: the step engine against the parent's hand-written handlers, and the memory
#    of a request parked on a step


def single_route_scenario(ctx, name: str, path: str) -> Path:
    scenario = ctx.out / f"scenario-{name}.json"
    scenario.write_text(json.dumps({"name": name, "description": f"GET {path} only",
                                    "endpoints": [{"name": name, "method": "GET", "path": path,
                                                   "weight": 1}]}))
    return scenario


def graph_instructions(ctx) -> None:
    """Instructions per GET /health and per zero-latency GET /api/products (one delay step + the
    products body), the parent's handler classes vs this build's graph, metrics on."""
    r = ctx.report
    few, many = 1000, 3000
    products = str(single_route_scenario(ctx, "products", "/api/products"))
    builds = {"parent": (ctx.parent_bin_dir,
                         ["--set", 'endpoints.products.latency={"distribution":"fixed","value_ms":0,'
                          '"min_ms":0,"max_ms":0}']),  # the sample is clamped to [min, max]
              "graph": (ctx.bin_dir, ZERO_LATENCY_PRODUCTS)}
    per_request: dict = {}
    for path, scenario in (("/health", "health"), ("/api/products", products)):
        for name, (bin_dir, extra) in builds.items():  # interleaved: parent, graph per path
            port = free_port()
            argv = [str(bin_dir / "src/app/latencylab"), "serve", "--address", "127.0.0.1",
                    "--port", str(port), "--log-level", "warn", "--seed", "1", *extra]
            counts = [callgrind_total(ctx, f"graph-{name}-{scenario.split('/')[-1]}", argv,
                                      {"OTEL_METRICS_EXPORTER": "none"}, port, n, scenario)
                      for n in (few, many)]
            per_request[(path, name)] = (counts[1] - counts[0]) / (many - few)
    r.add(f"Instructions per request, parent ({ctx.parent_rev}, hand-written handlers) vs this "
          f"build (service graph): valgrind --tool=callgrind, user space only, (Ir for {many} "
          f"requests - Ir for {few}) / {many - few}, `latencylab load -c 1` (this build's) on core "
          f"{LOAD_CORE}, metrics on (request guard + lag probe, OTEL_METRICS_EXPORTER=none). "
          "/api/products at a fixed 0 ms: the parent's `endpoints.products.latency`, the graph's "
          "one delay step.")
    r.add()
    rows = []
    for path in ("/health", "/api/products"):
        parent, graph = per_request[(path, "parent")], per_request[(path, "graph")]
        rows.append([f"`GET {path}`", f"{parent:,.0f}", f"{graph:,.0f}", f"{graph / parent:.3f}",
                     "<= 1.05", verdict(graph / parent <= 1.05)])
    r.table(["request", "parent", "graph", "graph / parent", "target", ""], rows)


def parked_graph(ctx, hold_ms: int, n: int) -> list[str]:
    """`--graph FILE`: the default service plus GET /bench/parked-db (a db step on a pool of one
    connection whose query takes hold_ms, n may wait) and GET /bench/parked-delay (a delay step
    of hold_ms)."""
    graph = json.loads((HERE.parents[1] / "config/graphs/default.json").read_text())
    service = graph["services"]["latencylab"]
    service["databases"]["bench_db"] = {"system": "other_sql", "pool_size": 1,
                                        "max_waiting": 2 * n, "acquire_timeout_ms": 10 * hold_ms}
    hold = {"fixed": {"value_ms": hold_ms}}
    service["routes"] += [
        {"method": "GET", "path": "/bench/parked-db",
         "steps": [{"db": {"database": "bench_db", "operation": "SELECT", "collection": "items",
                           "latency": hold}}],
         "response": {"status": 200, "json": {}}},
        {"method": "GET", "path": "/bench/parked-delay", "steps": [{"delay": hold}],
         "response": {"status": 200, "json": {}}},
    ]
    path = ctx.out / "graph-parked.json"
    path.write_text(json.dumps(graph, indent=2))
    return ["--graph", str(path)]


def graph_parked_memory(ctx) -> None:
    """RSS per request parked on a db step (in the pool's queue) vs on a delay step, and vs a
    request in flight on the parent's /api/slow (its hand-written handler's timer)."""
    r = ctx.report
    fleet = ctx.fleet
    n = 1000 if ctx.quick else 10000
    hold_ms = 20000
    hold = f'{{"distribution":"fixed","value_ms":{hold_ms},"min_ms":{hold_ms},"max_ms":{hold_ms}}}'
    cases = [("delay", ctx.bin_dir, parked_graph(ctx, hold_ms, n), "/bench/parked-delay"),
             ("db", ctx.bin_dir, parked_graph(ctx, hold_ms, n), "/bench/parked-db")]
    if ctx.parent_bin_dir:
        cases.append(("parent", ctx.parent_bin_dir, ["--set", f"endpoints.slow.latency={hold}"],
                      "/api/slow"))
    rows, per = [], {}
    for kind, bin_dir, extra, path in cases:  # a fresh process each, as for the in-flight memory
        s = start_latencylab(fleet, bin_dir, f"parked-{kind}", {"OTEL_METRICS_EXPORTER": "none"},
                             extra + ["--set", f"server.max_connections={n + 1000}"])
        try:
            run_load(fleet, ctx.bin_dir, ["-t", s.url(""), "-s", "health", "-c", "8", "-n",
                                          "2000", "-d", "10s"], 30, name="warm")
            time.sleep(0.5)
            base = rss_kb(s.pid)
            sampler = RssPeak(s.pid)
            # n connections send once each and wait: every request is parked for the whole 6 s
            # window (hold 20 s); the generator then gives up on them (timeout 8 s).
            res = run_load(fleet, ctx.bin_dir,
                           ["-t", s.url(""), "-s", str(single_route_scenario(ctx, f"parked-{kind}", path)),
                            "-c", str(n), "-d", "6s", "--timeout", "8s",
                            "--source-addresses", str(n // 8000 + 1)], 60, name=f"parked-{kind}")
            peak = sampler.stop()
        finally:
            fleet.stop(s)
        per[kind] = (peak - base) / n
        t = res.target
        rows.append([{"delay": "`delay` step (graph)", "db": "`db` step, in the pool's queue (graph)",
                      "parent": f"`/api/slow` in flight (parent {ctx.parent_rev})"}[kind],
                     f"{per[kind]:.2f}", f"{base / 1024:.1f} → {peak / 1024:.1f}",
                     t["requests"]["sent"], t["requests"]["completed"] - t["requests"]["errors"]])
    r.add(f"Memory per request parked on a step: N = {n:,} requests held at once "
          f"(`latencylab load -c {n} -d 6s --timeout 8s`: each connection sends one request, "
          f"which stays parked for the whole window), (peak VmRSS - VmRSS before) / N, a fresh "
          f"server per row, metrics on. `db` = a pool of ONE connection whose query takes "
          f"{hold_ms / 1000:.0f} s, so N - 1 requests wait in the pool's queue (max_waiting "
          f"{2 * n:,}); `delay` = a {hold_ms / 1000:.0f} s delay step; the parent's `/api/slow` at a "
          f"fixed {hold_ms / 1000:.0f} s = a request in flight before the graph. No 2xx is "
          "expected (the client gives up first).")
    r.add()
    r.table(["parked on", "RSS per request (KB)", "RSS MiB before → peak", "sent", "2xx"], rows)
    ratios = [f"db / delay: {per['db'] / per['delay']:.3f}"]
    if "parent" in per:
        ratios += [f"delay / parent in flight: {per['delay'] / per['parent']:.3f}",
                   f"db / parent in flight: {per['db'] / per['parent']:.3f} (target <= 1: "
                   f"{verdict(per['db'] <= per['parent'])})"]
    r.add("; ".join(ratios))
    r.add()


def bench_graph(ctx) -> None:
    ctx.report.add("### 6. Service graphs")
    ctx.report.add()
    if ctx.parent_bin_dir:
        graph_instructions(ctx)
    else:
        ctx.report.add("(parent comparison skipped: no --parent-bin-dir)")
        ctx.report.add()
    graph_parked_memory(ctx)


@dataclass
class Context:
    fleet: Fleet
    report: Report
    bin_dir: Path
    seedgo: Path
    out: Path
    reps: int
    duration: int
    conns: int
    inflight_n: int
    mem_reps: int
    saturation_sizes: list[int]
    overshoot_n: int
    export_rate: int
    export_duration: int
    export_reps: int
    otlp_endpoint: str = ""
    otelcol_log: Path = Path()
    quick: bool = False
    parent_bin_dir: Path | None = None
    parent_rev: str = ""
    saturation: dict = field(default_factory=dict)


SECTIONS = {"overhead": bench_overhead, "seedgo": bench_seedgo, "saturation": bench_saturation,
            "export": bench_export, "loadgen": bench_loadgen, "graph": bench_graph}
NEEDS_COLLECTOR = {"overhead", "seedgo", "export"}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bin-dir", type=Path, required=True)
    p.add_argument("--seedgo", type=Path, required=True)
    p.add_argument("--otelcol", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--only", default=",".join(SECTIONS))
    p.add_argument("--quick", action="store_true", help="shorter runs, smaller N (a smoke test)")
    p.add_argument("--parent-bin-dir", type=Path, help="build dir of the parent rev (graph section)")
    p.add_argument("--parent-rev", default="", help="the parent's git rev, for the report")
    a = p.parse_args()
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    a.out.mkdir(parents=True, exist_ok=True)
    max_n = 18000
    ctx = Context(fleet=Fleet(a.out), report=Report(a.out / "results.md"), bin_dir=a.bin_dir,
                  seedgo=a.seedgo, out=a.out, reps=3, duration=3 if a.quick else 8, conns=50,
                  inflight_n=500 if a.quick else 5000, mem_reps=1 if a.quick else 3,
                  saturation_sizes=[1000] if a.quick else [1000, 5000, 10000, max_n],
                  overshoot_n=1000 if a.quick else 10000,
                  export_rate=500 if a.quick else 2000, export_duration=5 if a.quick else 20,
                  export_reps=3 if a.quick else 5, quick=a.quick,
                  parent_bin_dir=a.parent_bin_dir, parent_rev=a.parent_rev)
    try:
        if NEEDS_COLLECTOR & set(a.only.split(",")):
            ctx.otlp_endpoint, ctx.otelcol_log = start_collector(ctx.fleet, a.otelcol, a.out)
        for name in a.only.split(","):
            SECTIONS[name](ctx)
    except Stop as stop:
        print(f"bench: stopped by {stop}", file=sys.stderr)
        return 130
    finally:
        ctx.fleet.stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
