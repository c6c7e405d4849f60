#!/usr/bin/env python3
"""End-to-end test of the whole metrics pipeline, as a user would check it.

Starts the native stack (scripts/stack.sh: latencylab prod/dev/qa -> OTLP ->
OpenTelemetry Collector -> Prometheus) on private 127.0.0.1 ports with a small
time scale, drives bounded load at every route of every data plane, then asks
Prometheus's HTTP API whether what the client did is what the graphs show:

  * every request the client made is counted exactly once, per route and environment;
  * the request rate recording rule is > 0 for every route and environment;
  * the 5xx ratio of every route lies in the band its configured error rate allows;
  * p95 of /api/slow lies in the histogram buckets its time-scaled 3-5 s range falls in;
  * active requests, open connections and io-loop lag are exported by every data plane;
  * target_info names the service, environment and data plane;
  * every Grafana dashboard query and every recording rule returns data, every rule is healthy.

It also runs the static checks (promtool check config/rules, promtool test rules,
docker-compose config, otelcol validate). The stack is always stopped. Prints one
line per check and "N passed, N failed"; exits non-zero on any failure.

  tests/e2e/stack_e2e.py --latencylab build/release/src/app/latencylab --work-dir /tmp/e2e
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STACK_SH = REPO / "scripts" / "stack.sh"

ENVIRONMENTS = ("prod", "dev", "qa")

# Private ports, so a developer's own `scripts/stack.sh up` (8081..., 9090) can keep running.
PORTS = {
    "STACK_PROD_PORT": 28081,
    "STACK_DEV_PORT": 28082,
    "STACK_QA_PORT": 28083,
    "STACK_OTLP_GRPC_PORT": 24317,
    "STACK_OTLP_HTTP_PORT": 24318,
    "STACK_COLLECTOR_METRICS_PORT": 28889,
    "STACK_COLLECTOR_SELF_PORT": 28888,
    "STACK_COLLECTOR_HEALTH_PORT": 23133,
    "STACK_PROMETHEUS_PORT": 29090,
}
PLANE_PORT = {env: PORTS[f"STACK_{env.upper()}_PORT"] for env in ENVIRONMENTS}
PROMETHEUS = f"http://127.0.0.1:{PORTS['STACK_PROMETHEUS_PORT']}"

TIME_SCALE = 0.1  # /api/slow: 3-5 s -> 0.3-0.5 s; dev runs 1.5x slower (scripts/stack.sh)
PLANE_TIME_SCALE = {"prod": TIME_SCALE, "dev": TIME_SCALE * 1.5, "qa": TIME_SCALE}
SLOW_RANGE_S = (3.0, 5.0)  # config/latencylab.json endpoints.slow.latency
EXPORT_INTERVAL_MS = 1000
SCRAPE_INTERVAL = "1s"
LOAD_SECONDS = 40
THREADS_PER_PLANE = 5
MAX_REQUESTS_PER_THREAD = 4000
SETTLE_TIMEOUT_S = 45  # export + scrape + rule evaluation after the load stops


@dataclass(frozen=True)
class Route:
    endpoint: str  # config key under endpoints.*
    method: str
    label: str  # the http.route attribute


ROUTES = (
    Route("users", "GET", "/api/users"),
    Route("orders_create", "POST", "/api/orders"),
    Route("orders_get", "GET", "/api/orders/{id}"),
    Route("slow", "GET", "/api/slow"),
    Route("products", "GET", "/api/products"),
    Route("search", "GET", "/api/search"),
    Route("reports", "GET", "/api/reports"),
    Route("payments", "POST", "/api/payments"),
)

# Configured 5xx probability per plane and endpoint (set through STACK_ENV_<PLANE>,
# overriding config/latencylab.json and the stack's qa defaults): prod must show
# exactly 0, the others a ratio close to these.
ERROR_RATES = {"prod": 0.0, "dev": 0.2, "qa": 0.4}


def plane_env_overrides(env: str) -> str:
    rate = ERROR_RATES[env]
    return " ".join(f"LATENCYLAB_ENDPOINTS__{r.endpoint.upper()}__ERROR_RATE={rate}" for r in ROUTES)


# ---------------------------------------------------------------------------------------------
# Load.
# TRANSITIONAL: a small stdlib client until `latencylab load` exists; then replace
# drive_load() with a bounded `latencylab load --target ... --duration ...` per plane
# and take the per-route counts from its report.


@dataclass
class PlaneTally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    by_route: dict[str, dict[int, int]] = field(default_factory=dict)
    transport_errors: int = 0
    order_ids: list[str] = field(default_factory=list)

    def record(self, route: str, status: int) -> None:
        with self.lock:
            statuses = self.by_route.setdefault(route, {})
            statuses[status] = statuses.get(status, 0) + 1


def request_for(route: Route, tally: PlaneTally, rng: random.Random) -> tuple[str, bytes | None] | None:
    if route.endpoint == "orders_create":
        qty = rng.randint(1, 3)
        body = {"user_id": f"e2e-{rng.randint(1, 50)}", "items": [{"id": "sku-1", "qty": qty}],
                "total": round(9.99 * qty, 2)}
        return "/api/orders", json.dumps(body).encode()
    if route.endpoint == "orders_get":
        with tally.lock:
            if not tally.order_ids:
                return None  # nothing created yet: a 404 would not exercise the lookup
            order_id = rng.choice(tally.order_ids)
        return f"/api/orders/{order_id}", None
    if route.endpoint == "payments":
        body = {"amount": round(rng.uniform(1, 500), 2), "currency": rng.choice(["USD", "EUR"])}
        return "/api/payments", json.dumps(body).encode()
    if route.endpoint == "search":
        return "/api/search?q=" + rng.choice(["latency", "orders", "grpc"]), None
    return route.label, None


def load_worker(env: str, tally: PlaneTally, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", PLANE_PORT[env], timeout=10)
    sent = 0
    try:
        while time.monotonic() < deadline and sent < MAX_REQUESTS_PER_THREAD:
            for route in rng.sample(ROUTES, len(ROUTES)):
                req = request_for(route, tally, rng)
                if req is None:
                    continue
                path, body = req
                headers = {"Content-Type": "application/json"} if body is not None else {}
                try:
                    conn.request(route.method, path, body=body, headers=headers)
                    resp = conn.getresponse()
                    payload = resp.read()
                except (OSError, http.client.HTTPException):
                    with tally.lock:
                        tally.transport_errors += 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", PLANE_PORT[env], timeout=10)
                    continue
                sent += 1
                tally.record(route.label, resp.status)
                if route.endpoint == "orders_create" and resp.status == 201:
                    with tally.lock:
                        tally.order_ids.append(json.loads(payload)["order_id"])
    finally:
        conn.close()


def drive_load() -> dict[str, PlaneTally]:
    tallies = {env: PlaneTally() for env in ENVIRONMENTS}
    deadline = time.monotonic() + LOAD_SECONDS
    threads = [threading.Thread(target=load_worker, args=(env, tallies[env], deadline, i * 31 + j))
               for i, env in enumerate(ENVIRONMENTS) for j in range(THREADS_PER_PLANE)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tallies


# ---------------------------------------------------------------------------------------------
# Prometheus.


def prom_query(expr: str) -> list[dict]:
    url = f"{PROMETHEUS}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=10) as resp:
        body = json.load(resp)
    if body.get("status") != "success":
        raise RuntimeError(f"query failed: {expr}: {body}")
    return body["data"]["result"]


def prom_rules() -> list[dict]:
    with urllib.request.urlopen(f"{PROMETHEUS}/api/v1/rules", timeout=10) as resp:
        groups = json.load(resp)["data"]["groups"]
    return [rule for group in groups for rule in group["rules"]]


def by_labels(result: list[dict], *labels: str) -> dict[tuple[str, ...], float]:
    return {tuple(s["metric"].get(l, "") for l in labels): float(s["value"][1]) for s in result}


def poll(check, timeout_s: float, interval_s: float = 1.0):
    """Calls check() until it returns (True, detail) or the timeout passes; returns the last result."""
    deadline = time.monotonic() + timeout_s
    while True:
        ok, detail = check()
        if ok or time.monotonic() >= deadline:
            return ok, detail
        time.sleep(interval_s)


# ---------------------------------------------------------------------------------------------
# Checks.


class Report:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        status = "PASS" if ok else "FAIL"
        print(f"[{status}] {name}" + (f": {detail}" if detail else ""), flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        return ok


def run(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 120) -> tuple[bool, str]:
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    out = (proc.stdout + proc.stderr).strip()
    return proc.returncode == 0, out


def static_checks(report: Report, otelcol: str) -> None:
    cfg = REPO / "config"
    for name, cmd in [
        ("promtool check config", ["promtool", "check", "config", str(cfg / "prometheus.yml")]),
        ("promtool check rules", ["promtool", "check", "rules", *map(str, sorted((cfg / "prometheus/rules").glob("*.yml")))]),
        ("promtool test rules", ["promtool", "test", "rules", *map(str, sorted((cfg / "prometheus/tests").glob("*.yml")))]),
        ("docker-compose config", ["docker-compose", "-f", str(REPO / "compose.yaml"), "config", "--quiet"]),
        ("otelcol validate", [otelcol, "validate", "--config", str(cfg / "otel-collector.yaml")]),
    ]:
        if shutil.which(cmd[0]) is None and not os.path.isabs(cmd[0]):
            report.check(name, False, f"{cmd[0]} is not installed (scripts/setup.sh installs it)")
            continue
        ok, out = run(cmd)
        report.check(name, ok, "" if ok else out[-2000:])


def check_counts(report: Report, tallies: dict[str, PlaneTally]) -> None:
    for env, tally in tallies.items():
        report.check(f"{env}: load client saw no transport errors", tally.transport_errors == 0,
                     f"{tally.transport_errors} failed requests")
        total = sum(sum(s.values()) for s in tally.by_route.values())
        report.check(f"{env}: load reached every route", set(tally.by_route) == {r.label for r in ROUTES},
                     f"{total} requests, routes {sorted(tally.by_route)}")

    expected = {(env, route): sum(statuses.values())
                for env, tally in tallies.items() for route, statuses in tally.by_route.items()}

    def counted():
        got = by_labels(prom_query('sum by (deployment_environment_name, http_route) '
                                   '(http_server_request_duration_seconds_count{job="latencylab"})'),
                        "deployment_environment_name", "http_route")
        diff = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
        return not diff, f"(client, prometheus) differ: {diff}" if diff else f"{len(expected)} series match"

    ok, detail = poll(counted, SETTLE_TIMEOUT_S)
    report.check("every request counted exactly once per route and environment", ok, detail)


def check_rates_and_errors(report: Report, tallies: dict[str, PlaneTally]) -> None:
    def rates():
        got = by_labels(prom_query("route_env:http_server_requests:rate5m"),
                        "deployment_environment_name", "http_route")
        missing = [(e, r.label) for e in ENVIRONMENTS for r in ROUTES if not got.get((e, r.label), 0) > 0]
        return not missing, f"no rate for {missing}" if missing else f"{len(got)} series > 0"

    ok, detail = poll(rates, SETTLE_TIMEOUT_S)
    report.check("route_env:http_server_requests:rate5m > 0 for every route and environment", ok, detail)

    totals = by_labels(prom_query("sum by (deployment_environment_name, http_route) "
                                  "(http_server_request_duration_seconds_count)"),
                       "deployment_environment_name", "http_route")
    errors = by_labels(prom_query('sum by (deployment_environment_name, http_route) '
                                  '(http_server_request_duration_seconds_count{http_response_status_code=~"5.."})'),
                       "deployment_environment_name", "http_route")
    for env in ENVIRONMENTS:
        p = ERROR_RATES[env]
        for route in ROUTES:
            n = totals.get((env, route.label), 0.0)
            ratio = errors.get((env, route.label), 0.0) / n if n else math.nan
            # Binomial sampling: 4.5 standard deviations (a false failure about once in 10^5 runs
            # per route) plus 0.01 slack; exactly 0 when p is 0. The band must exclude 0, or too
            # few requests were made to tell injected errors from none.
            band = 4.5 * math.sqrt(p * (1 - p) / n) + 0.01 if p > 0 and n else 0.0
            ok = n > 0 and abs(ratio - p) <= band and (p == 0 or band < p)
            report.check(f"{env} {route.label}: 5xx ratio within configured band", ok,
                         f"{ratio:.3f} of {n:.0f} requests, configured {p} +/- {band:.3f}")


def check_slow_percentile(report: Report) -> None:
    result = prom_query('histogram_quantile(0.95, sum by (deployment_environment_name, le) '
                        '(http_server_request_duration_seconds_bucket{http_route="/api/slow"}))')
    p95 = by_labels(result, "deployment_environment_name")
    bounds = sorted({float(s["metric"]["le"]) for s in prom_query(
        'http_server_request_duration_seconds_bucket{http_route="/api/slow"}')})
    for env in ENVIRONMENTS:
        lo, hi = (v * PLANE_TIME_SCALE[env] for v in SLOW_RANGE_S)
        # histogram_quantile interpolates inside a bucket: the estimate lies between the
        # bucket boundary below the fastest configured latency and the one above the slowest
        # (+10% for request handling around the simulated delay).
        floor = max([b for b in bounds if b <= lo], default=0.0)
        ceil = min([b for b in bounds if b >= hi * 1.1], default=math.inf)
        value = p95.get((env,), math.nan)
        report.check(f"{env} /api/slow p95 in its time-scaled band", floor <= value <= ceil,
                     f"{value:.3f} s, configured {lo:.2f}-{hi:.2f} s, band [{floor}, {ceil}]")


def check_runtime_metrics(report: Report) -> None:
    for name, expr in [
        ("active requests", "http_server_active_requests"),
        ("open connections", "latencylab_server_open_connections"),
        ("io-loop lag", '{__name__=~"latencylab_io_loop_lag_seconds.*"}'),
    ]:
        envs = {s["metric"].get("deployment_environment_name") for s in prom_query(expr)}
        report.check(f"{name} exported by every data plane", envs >= set(ENVIRONMENTS), f"environments {sorted(e for e in envs if e)}")

    info = prom_query("target_info")
    seen = {(s["metric"].get("job"), s["metric"].get("deployment_environment_name"), s["metric"].get("data_plane_id"))
            for s in info}
    want = {("latencylab", env, f"{env}-1") for env in ENVIRONMENTS}
    report.check("target_info carries service name, environment and data plane", seen >= want,
                 f"(job, environment, data_plane_id) = {sorted(seen)}")


def dashboard_queries() -> list[tuple[str, str]]:
    """(panel title, PromQL) for every panel target and query variable, variables filled in."""
    dashboard = json.loads((REPO / "config/grafana/dashboards/latencylab.json").read_text())
    substitutions = {"$__rate_interval": "1m", "$env": ".*", "$route": ".*"}

    def fill(expr: str) -> str:
        for var, value in substitutions.items():
            expr = expr.replace(var, value)
        return expr

    queries = []
    for var in dashboard["templating"]["list"]:
        if var["type"] != "query":
            continue
        # label_values(<selector>, <label>) lists the label's values on the matching series.
        m = re.fullmatch(r"label_values\((.*),\s*(\w+)\)", var["query"]["query"])
        queries.append((f"variable ${var['name']}", fill(f"count by ({m.group(2)}) ({m.group(1)})")))
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            queries.append((f"panel '{panel['title']}' {target['refId']}", fill(target["expr"])))
    return queries


def check_dashboard_and_rules(report: Report) -> None:
    def all_have_data(queries):
        def check():
            empty = [title for title, expr in queries if not prom_query(expr)]
            return not empty, f"no data: {empty}" if empty else f"{len(queries)} queries return data"
        return check

    ok, detail = poll(all_have_data(dashboard_queries()), SETTLE_TIMEOUT_S)
    report.check("every Grafana dashboard query returns data", ok, detail)

    rules = prom_rules()
    records = [(r["name"], r["name"]) for r in rules if r["type"] == "recording"]
    ok, detail = poll(all_have_data(records), SETTLE_TIMEOUT_S)
    report.check(f"every recording rule returns data ({len(records)} rules)", ok, detail)
    unhealthy = [(r["name"], r.get("lastError")) for r in prom_rules() if r.get("health") != "ok"]
    report.check(f"every rule evaluates without error ({len(rules)} rules)", not unhealthy, f"{unhealthy}")


# ---------------------------------------------------------------------------------------------


def ports_free() -> list[int]:
    busy = []
    for port in PORTS.values():
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                busy.append(port)
    return busy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latencylab", required=True, help="the latencylab executable")
    parser.add_argument("--work-dir", required=True, help="stack state (pids, logs, Prometheus data)")
    args = parser.parse_args()

    # ctest (or a user) stopping the test must still stop the stack: turn SIGTERM into an exception.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated by signal"))

    report = Report()
    started = time.monotonic()
    stack_dir = Path(args.work_dir).resolve() / "stack"
    env = dict(os.environ)
    env.update({k: str(v) for k, v in PORTS.items()})
    env.update({
        "STACK_DIR": str(stack_dir),
        "STACK_LATENCYLAB_BIN": str(Path(args.latencylab).resolve()),
        "STACK_TIME_SCALE": str(TIME_SCALE),
        "STACK_EXPORT_INTERVAL_MS": str(EXPORT_INTERVAL_MS),
        "STACK_SCRAPE_INTERVAL": SCRAPE_INTERVAL,
        **{f"STACK_ENV_{e.upper()}": plane_env_overrides(e) for e in ENVIRONMENTS},
    })

    # Cached after the first build (which takes minutes): prints the binary's path on stdout.
    build = subprocess.run([str(REPO / "scripts/build-otelcol.sh")], cwd=REPO, capture_output=True,
                           text=True, timeout=900)
    if not report.check("build the OpenTelemetry Collector", build.returncode == 0, build.stderr[-2000:]
                        if build.returncode else ""):
        print(f"{report.passed} passed, {report.failed} failed")
        return 1
    otelcol = build.stdout.strip()
    env["OTELCOL_BIN"] = otelcol
    static_checks(report, otelcol)

    # Leftovers of an interrupted earlier run (same STACK_DIR) are stopped first.
    run([str(STACK_SH), "down"], env=env)
    shutil.rmtree(stack_dir, ignore_errors=True)
    busy = ports_free()
    if not report.check("stack ports are free", not busy, f"in use: {busy}"):
        print(f"{report.passed} passed, {report.failed} failed")
        return 1

    try:
        ok, out = run([str(STACK_SH), "up"], env=env, timeout=180)
        if report.check("scripts/stack.sh up", ok, out[-3000:]):
            tallies = drive_load()
            check_counts(report, tallies)
            check_rates_and_errors(report, tallies)
            check_slow_percentile(report)
            check_runtime_metrics(report)
            check_dashboard_and_rules(report)
    finally:
        if report.failed:
            _, logs = run([str(STACK_SH), "logs"], env=env)
            print("--- last log lines of the stack ---\n" + logs, flush=True)
        ok, out = run([str(STACK_SH), "down"], env=env, timeout=120)
        report.check("scripts/stack.sh down", ok, out[-1000:])
        _, status = run([str(STACK_SH), "status"], env=env)
        report.check("nothing left running", "running" not in status, status)

    print(f"e2e took {time.monotonic() - started:.0f} s")
    print(f"{report.passed} passed, {report.failed} failed")
    return 0 if report.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
