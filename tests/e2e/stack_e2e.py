#!/usr/bin/env python3
"""End-to-end test of the whole metrics pipeline, as a user would check it.

Starts the native stack (scripts/stack.sh: latencylab prod/dev/qa -> OTLP ->
one OpenTelemetry Collector per plane -> Prometheus -> the dashboard's nginx) on private
127.0.0.1 ports with a small time scale, drives bounded load (`latencylab load`) at every route of
every data plane, then asks Prometheus's HTTP API whether what the load generator did is what the
graphs show:

  * every request the load generator completed is counted exactly once, per route and environment;
  * the request rate recording rule is > 0 for every route and environment;
  * the 5xx ratio of every route lies in the band its configured error rate allows;
  * p95 of /api/slow lies in the histogram buckets its time-scaled 3-5 s range falls in;
  * active requests, open connections and io-loop lag are exported by every data plane;
  * target_info names the service, environment and data plane;
  * every Grafana dashboard query, every query of config/dashboard-queries.json and every
    recording rule returns data, every rule is healthy;
  * Prometheus scrapes one job per plane (dataplane-prod|dev|qa), each up;
  * in headless Chromium (dashboard/e2e/browser.mjs), every panel of every page of the dashboard
    has points for every plane, legends name each shop service and the pool chart keeps every pool
    on one 0-100% axis, the environment selector narrows them, the status page and the
    alert list agree with Prometheus, a plane whose Collector is stopped is down on its own, and
    with Prometheus stopped the page says so and recovers;
  * the shop graph (`scripts/stack.sh up --graph shop`: frontend, orders, inventory, payments as
    their own environment `shop`), driven by the built-in `shop` scenario while the data planes
    are loaded: Prometheus shows per service the connection pool metrics of orders' and
    inventory's databases (count by state, max, pending requests, wait time) and the frontend's
    http client metrics for each of its downstreams, and job dataplane-shop is up;
  * the load run's `--report` page opens offline in the same Chromium (dashboard/e2e/report.mjs):
    no request leaves the file, no console error, every chart has points, and the charts show
    each plane's completed request count.
    Screenshots go to <work-dir>/screenshots.

It also runs the static checks (promtool check config/rules, promtool test rules,
docker-compose config, otelcol validate). The stack is always stopped. Prints one
line per check and "N passed, N failed"; exits non-zero on any failure.

  tests/e2e/stack_e2e.py --latencylab build/release/src/app/latencylab --work-dir /tmp/e2e
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
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
    "STACK_DASHBOARD_PORT": 28090,
    "STACK_SHOP_FRONTEND_PORT": 28101,
    "STACK_SHOP_ORDERS_PORT": 28102,
    "STACK_SHOP_INVENTORY_PORT": 28103,
    "STACK_SHOP_PAYMENTS_PORT": 28104,
}
# scripts/stack.sh gives each plane its own Collector, on these ports + 10 x the plane's index.
COLLECTOR_PORTS = ("STACK_OTLP_GRPC_PORT", "STACK_OTLP_HTTP_PORT", "STACK_COLLECTOR_METRICS_PORT",
                   "STACK_COLLECTOR_SELF_PORT", "STACK_COLLECTOR_HEALTH_PORT")
PLANE_PORT = {env: PORTS[f"STACK_{env.upper()}_PORT"] for env in ENVIRONMENTS}
# The shop graph runs as a fourth environment with its own Collector (ports + 10 x 3) and scrape
# job; the dashboard shows it as a plane too.
SHOP = "shop"
DASHBOARD_PLANES = (*ENVIRONMENTS, SHOP)
SHOP_GRAPH = json.loads((REPO / "config" / "graphs" / "shop.json").read_text())
SHOP_PORT = {service: PORTS[f"STACK_SHOP_{service.upper()}_PORT"] for service in SHOP_GRAPH["services"]}
SHOP_LOAD_SECONDS = 30
SHOP_RATE = 20
PROMETHEUS = f"http://127.0.0.1:{PORTS['STACK_PROMETHEUS_PORT']}"
DASHBOARD = f"http://127.0.0.1:{PORTS['STACK_DASHBOARD_PORT']}"

TIME_SCALE = 0.1  # /api/slow: 3-5 s -> 0.3-0.5 s; dev runs 1.5x slower (scripts/stack.sh)
PLANE_TIME_SCALE = {"prod": TIME_SCALE, "dev": TIME_SCALE * 1.5, "qa": TIME_SCALE}
SLOW_RANGE_S = (3.0, 5.0)  # config/graphs/default.json: GET /api/slow's delay
EXPORT_INTERVAL_MS = 1000
SCRAPE_INTERVAL = "1s"
LOAD_SECONDS = 40
CONNECTIONS_PER_PLANE = 5
SETTLE_TIMEOUT_S = 45  # export + scrape + rule evaluation after the load stops


@dataclass(frozen=True)
class Route:
    endpoint: str  # the load scenario's endpoint name
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

# Configured 5xx probability per plane of every route that has a `fail` step in the default graph
# (set through STACK_ENV_<PLANE> as graph_overrides, replacing the graph's rates and the stack's qa
# defaults): prod must show exactly 0, the others a ratio close to these.
ERROR_RATES = {"prod": 0.0, "dev": 0.2, "qa": 0.4}
DEFAULT_GRAPH = REPO / "config" / "graphs" / "default.json"


def fail_step_paths() -> dict[tuple[str, str], list[str]]:
    """The graph_overrides path of every `fail` step of the default graph, by (method, http.route)
    (a fail step nested in a cache miss or parallel step included). Routes without one map to []."""
    paths: dict[tuple[str, str], list[str]] = {}

    def walk(steps: list[dict], at: str, found: list[str]) -> None:
        for i, step in enumerate(steps):
            (kind, body), = step.items()
            if kind == "fail":
                found.append(f"{at}[{i}].fail")
            elif kind == "parallel":
                walk(body, f"{at}[{i}].parallel", found)
            elif kind == "cache":
                walk(body.get("miss", []), f"{at}[{i}].cache.miss", found)

    for name, service in json.loads(DEFAULT_GRAPH.read_text())["services"].items():
        for r, route in enumerate(service["routes"]):
            found = paths.setdefault((route["method"], route["path"]), [])
            walk(route.get("steps", []), f"services.{name}.routes[{r}].steps", found)
    return paths


FAIL_STEPS = fail_step_paths()


def configured_error_rate(env: str, route: Route) -> float:
    """A route without a fail step injects no 5xx in any plane: its configured rate is 0."""
    return ERROR_RATES[env] if FAIL_STEPS[(route.method, route.label)] else 0.0


def plane_env_overrides(env: str) -> str:
    rate = ERROR_RATES[env]
    paths = [f"{path}.probability={rate}" for route in ROUTES for path in FAIL_STEPS[(route.method, route.label)]]
    return "LATENCYLAB_GRAPH_OVERRIDES=" + ",".join(paths)


# ---------------------------------------------------------------------------------------------
# Load: `latencylab load`, closed model (a fixed number of connections per plane, each sending
# its next request when the previous answer arrives), with every route weighted equally.
# GET /api/orders/{id} asks for an id that does not exist (ids are random per process): a 404,
# or the injected 5xx, which is decided before the lookup.


def write_scenario(path: Path) -> None:
    generated = {"orders_create": "order", "payments": "payment", "search": "search"}
    paths = {"orders_get": "/api/orders/ORD-e2e-missing"}
    # What each route answers when it works; anything else (the injected 5xx) is a `status` error.
    expected = {"orders_get": [404], "payments": [201, 402]}
    endpoints = []
    for route in ROUTES:
        endpoint = {"name": route.endpoint, "method": route.method,
                    "path": paths.get(route.endpoint, route.label.replace("{id}", "")), "weight": 1}
        if route.endpoint in generated:
            endpoint["generate"] = generated[route.endpoint]
        if route.endpoint in expected:
            endpoint["expected_statuses"] = expected[route.endpoint]
        endpoints.append(endpoint)
    path.write_text(json.dumps({"name": "e2e-every-route", "description": "every route, equal weights",
                                "endpoints": endpoints}, indent=2))


@dataclass
class PlaneLoad:
    completed_by_route: dict[str, int]
    transport_errors: int  # connect, timeout, reset, protocol: requests the server may not have counted


LOAD_REPORT = "load-report.html"  # in the stack's directory


def seconds_to_first_data(started: float, deadline_s: float) -> float | None:
    """Seconds from `started` (the first request) until Prometheus answers a query on the
    service's request counts: one export interval, one scrape interval and the Collector between."""
    while time.monotonic() - started < deadline_s:
        if prom_query('count(http_server_request_duration_seconds_count{job="latencylab"})'):
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def drive_load(latencylab: str, work_dir: Path) -> tuple[bool, str, dict[str, PlaneLoad], float | None]:
    scenario = work_dir / "e2e-scenario.json"
    result_file = work_dir / "load.json"
    write_scenario(scenario)
    cmd = [latencylab, "load", "--scenario", str(scenario), "--connections", str(CONNECTIONS_PER_PLANE),
           "--duration", f"{LOAD_SECONDS}s", "--quiet", "--json", str(result_file),
           "--report", str(work_dir / LOAD_REPORT)]
    for env in ENVIRONMENTS:
        cmd += ["--target", f"{env}=http://127.0.0.1:{PLANE_PORT[env]}"]
    started = time.monotonic()
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            first_data_s = seconds_to_first_data(started, LOAD_SECONDS)
            stdout, stderr = proc.communicate(timeout=LOAD_SECONDS + 60)
        except BaseException:
            proc.kill()
            raise
    if not result_file.exists():
        return False, f"exit {proc.returncode}: {stderr[-2000:]}", {}, first_data_s
    label = {r.endpoint: r.label for r in ROUTES}
    planes = {}
    for target in json.loads(result_file.read_text())["targets"]:
        errors = target["errors"]
        planes[target["name"]] = PlaneLoad(
            completed_by_route={label[e["name"]]: e["completed"] for e in target["endpoints"]},
            transport_errors=sum(errors[k] for k in ("connect", "timeout", "reset", "protocol")))
    return proc.returncode == 0, f"exit {proc.returncode}: {stdout[-1500:]}", planes, first_data_s


def start_shop_load(latencylab: str, work_dir: Path) -> subprocess.Popen:
    """The built-in `shop` scenario at the shop's frontend, running beside the data-plane load."""
    cmd = [latencylab, "load", "--scenario", "shop", "--target", f"{SHOP}=http://127.0.0.1:{SHOP_PORT['frontend']}",
           "--rate", str(SHOP_RATE), "--duration", f"{SHOP_LOAD_SECONDS}s", "--quiet",
           "--json", str(work_dir / "shop-load.json")]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish_shop_load(proc: subprocess.Popen, work_dir: Path) -> tuple[bool, str, dict[str, dict[str, int]]]:
    """Whether the run passed, its summary, and the status counts of each endpoint."""
    try:
        stdout, stderr = proc.communicate(timeout=SHOP_LOAD_SECONDS + 60)
    except BaseException:
        proc.kill()
        raise
    result_file = work_dir / "shop-load.json"
    if not result_file.exists():
        return False, f"exit {proc.returncode}: {stderr[-2000:]}", {}
    target = json.loads(result_file.read_text())["targets"][0]
    statuses = {e["name"]: {str(k): v for k, v in e.get("status_codes", {}).items()} for e in target["endpoints"]}
    return proc.returncode == 0, f"exit {proc.returncode}: {stdout[-1500:]}", statuses


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


def check_counts(report: Report, planes: dict[str, PlaneLoad]) -> None:
    for env in ENVIRONMENTS:
        plane = planes.get(env, PlaneLoad({}, 0))
        report.check(f"{env}: load saw no transport errors", plane.transport_errors == 0,
                     f"{plane.transport_errors} connect/timeout/reset/protocol errors")
        reached = {route for route, n in plane.completed_by_route.items() if n > 0}
        report.check(f"{env}: load reached every route", reached == {r.label for r in ROUTES},
                     f"{sum(plane.completed_by_route.values())} requests, routes {sorted(reached)}")

    expected = {(env, route): n for env, plane in planes.items() for route, n in plane.completed_by_route.items()}

    def counted():
        got = by_labels(prom_query('sum by (deployment_environment_name, http_route) '
                                   '(http_server_request_duration_seconds_count{job="latencylab"})'),
                        "deployment_environment_name", "http_route")
        diff = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
        return not diff, f"(load generator, prometheus) differ: {diff}" if diff else f"{len(expected)} series match"

    ok, detail = poll(counted, SETTLE_TIMEOUT_S)
    report.check("every request counted exactly once per route and environment", ok, detail)


def check_rates_and_errors(report: Report) -> None:
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
        for route in ROUTES:
            p = configured_error_rate(env, route)
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

    # The dashboard's status page counts processes per plane with this shared query: one each here
    # (a Collector's own target_info must not count).
    expr = json.loads((REPO / "config/dashboard-queries.json").read_text())["queries"]["processes_per_plane"]["expr"]
    processes = by_labels(prom_query(expr.replace("$env", "|".join(ENVIRONMENTS))), "deployment_environment_name")
    report.check("one process exporting per plane (processes_per_plane)",
                 processes == {(env,): 1.0 for env in ENVIRONMENTS}, f"{processes}")


def check_shop(report: Report, shop_load: tuple[bool, str, dict[str, dict[str, int]]]) -> None:
    ok, detail, statuses = shop_load
    report.check("shop: latencylab load --scenario shop", ok, detail)
    checkout = statuses.get("checkout", {})
    report.check("shop: checkouts completed through frontend -> orders, inventory -> payments",
                 checkout.get("201", 0) > 0 and all(statuses.get(e, {}).get("200", 0) > 0 for e in ("catalog", "about")),
                 f"{statuses}")

    on_shop = f'deployment_environment_name="{SHOP}"'

    # Every database pool of the graph, on the service that owns it: its size as `max`, its
    # connections by state adding up to it, its queue and the wait time of its acquires.
    pools = {(name, db_name): db["pool_size"] for name, service in SHOP_GRAPH["services"].items()
             for db_name, db in service.get("databases", {}).items()}

    def pool_metrics():
        def of(metric: str) -> dict[tuple[str, str], float]:
            return by_labels(prom_query(f"sum by (job, db_client_connection_pool_name) ({metric}{{{on_shop}}})"),
                             "job", "db_client_connection_pool_name")
        maxima = of("db_client_connection_max")
        counts = of("db_client_connection_count")
        pending = of("db_client_connection_pending_requests")
        waits = of("db_client_connection_wait_time_seconds_count")
        problems = [f"{pool}: max {maxima.get(pool)}, count {counts.get(pool)}, pending {pending.get(pool)}, "
                    f"waits {waits.get(pool)}, pool_size {size}"
                    for pool, size in pools.items()
                    if not (maxima.get(pool) == size and counts.get(pool) == size and pool in pending
                            and waits.get(pool, 0) > 0)]
        return not problems, "; ".join(problems) if problems else f"pools {sorted(pools)}"

    ok, detail = poll(pool_metrics, SETTLE_TIMEOUT_S)
    report.check("shop: Prometheus shows each service's db pool (count = max = pool_size, pending, wait time)",
                 ok, detail)

    # The frontend's downstreams, told apart by the port stack.sh's --peer flags gave them.
    downstream_ports = {str(SHOP_PORT[d["service"]]): name
                        for name, d in SHOP_GRAPH["services"]["frontend"]["downstreams"].items()}

    def client_metrics():
        got = by_labels(prom_query(f'sum by (server_port) (http_client_request_duration_seconds_count'
                                   f'{{job="frontend", {on_shop}}})'), "server_port")
        missing = [name for port, name in downstream_ports.items() if not got.get((port,), 0) > 0]
        return not missing, f"no calls from the frontend to {missing}: {got}" if missing else f"{got}"

    ok, detail = poll(client_metrics, SETTLE_TIMEOUT_S)
    report.check("shop: Prometheus shows the frontend's http client metrics for each downstream", ok, detail)

    services = {s["metric"].get("job") for s in prom_query(f"target_info{{{on_shop}}}")}
    report.check("shop: target_info of every shop service in environment shop",
                 services == set(SHOP_GRAPH["services"]), f"{sorted(s for s in services if s)}")


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

    shared = json.loads((REPO / "config/dashboard-queries.json").read_text())["queries"]
    fill = {"$__rate_interval": "1m", "$env": ".*", "$route": ".*"}
    queries = []
    for name, query in shared.items():
        expr = query["expr"]
        for var, value in fill.items():
            expr = expr.replace(var, value)
        queries.append((name, expr))
    ok, detail = poll(all_have_data(queries), SETTLE_TIMEOUT_S)
    report.check("every query of config/dashboard-queries.json returns data", ok, detail)

    up = by_labels(prom_query('up{job=~"dataplane-.*"}'), "job", "deployment_environment_name")
    want = {(f"dataplane-{env}", env): 1.0 for env in DASHBOARD_PLANES}
    report.check("one scrape job per data plane (and the shop), each up, with its environment label",
                 up == want, f"{up}")

    rules = prom_rules()
    records = [(r["name"], r["name"]) for r in rules if r["type"] == "recording"]
    ok, detail = poll(all_have_data(records), SETTLE_TIMEOUT_S)
    report.check(f"every recording rule returns data ({len(records)} rules)", ok, detail)
    unhealthy = [(r["name"], r.get("lastError")) for r in prom_rules() if r.get("health") != "ok"]
    report.check(f"every rule evaluates without error ({len(rules)} rules)", not unhealthy, f"{unhealthy}")


def check_browser(report: Report, env: dict[str, str], screenshots: Path) -> None:
    """dashboard/e2e/browser.mjs against the running stack; its checks print their own lines."""
    # The dashboard build (scripts/stack.sh up ran it) installed playwright-core with npm ci.
    cmd = ["node", str(REPO / "dashboard/e2e/browser.mjs"), "--url", DASHBOARD, "--prometheus", PROMETHEUS,
           "--planes", ",".join(DASHBOARD_PLANES), "--screenshots", str(screenshots),
           "--graph-env", SHOP, "--graph-services", ",".join(SHOP_GRAPH["services"]),
           "--graph-pools", ",".join(db for service in SHOP_GRAPH["services"].values() for db in service.get("databases", {})),
           "--graph-downstreams", ",".join(d for service in SHOP_GRAPH["services"].values() for d in service.get("downstreams", {})),
           "--graph-breakers", ",".join(d for service in SHOP_GRAPH["services"].values()
                                        for d, spec in service.get("downstreams", {}).items() if "breaker" in spec),
           "--stop-prometheus", f"'{STACK_SH}' stop prometheus", "--start-prometheus", f"'{STACK_SH}' up",
           "--stop-collector", f"'{STACK_SH}' stop otel-collector-{{plane}}", "--start-collector", f"'{STACK_SH}' up"]
    chromium = env.get("CHROMIUM", "/usr/bin/chromium")
    if shutil.which("node") is None or not os.path.exists(chromium):
        report.check("browser test of the dashboard", False,
                     f"needs node and {chromium} (scripts/setup.sh installs chromium)")
        return
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    print(proc.stdout, end="", flush=True)
    report.check("browser test of the dashboard (dashboard/e2e/browser.mjs)", proc.returncode == 0,
                 proc.stderr[-3000:] if proc.returncode else f"screenshots in {screenshots}")


def check_load_report(report: Report, env: dict[str, str], planes: dict[str, PlaneLoad], stack_dir: Path,
                      screenshots: Path) -> None:
    """dashboard/e2e/report.mjs on the load run's --report page; its checks print their own lines."""
    page = stack_dir / LOAD_REPORT
    if not report.check("latencylab load --report wrote its page", page.is_file(), str(page)):
        return
    if shutil.which("node") is None:
        report.check("the --report page in the browser", False, "needs node (see check_browser)")
        return
    requests = ",".join(f"{env_name}={sum(p.completed_by_route.values())}" for env_name, p in planes.items())
    cmd = ["node", str(REPO / "dashboard/e2e/report.mjs"), "--report", str(page), "--requests", requests,
           "--screenshot", str(screenshots / "load-report.png")]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    print(proc.stdout, end="", flush=True)
    report.check("the --report page in the browser (dashboard/e2e/report.mjs)", proc.returncode == 0,
                 proc.stderr[-3000:] if proc.returncode else f"screenshot in {screenshots}")


# ---------------------------------------------------------------------------------------------


def ports_free() -> list[int]:
    busy = []
    planes = range(len(DASHBOARD_PLANES))
    collector_ports = [PORTS[name] + 10 * i for name in COLLECTOR_PORTS for i in planes]
    for port in sorted(set(PORTS.values()) | set(collector_ports)):
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
    Path(args.work_dir).resolve().mkdir(parents=True, exist_ok=True)
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
        ok, out = run([str(STACK_SH), "up", "--graph", SHOP], env=env, timeout=180)
        if report.check("scripts/stack.sh up --graph shop", ok, out[-3000:]):
            latencylab = str(Path(args.latencylab).resolve())
            shop_proc = start_shop_load(latencylab, stack_dir)
            ok, detail, planes, first_data_s = drive_load(latencylab, stack_dir)
            report.check("latencylab load", ok, detail)
            shop_load = finish_shop_load(shop_proc, stack_dir)
            # Bound: export interval + scrape interval + 8 s for the load generator's start, the
            # Collector's batch and a machine that CI shares with other jobs (4.9 s seen while
            # a compile ran on both cores; the printed figure is the measurement).
            bound_s = EXPORT_INTERVAL_MS / 1000 + float(SCRAPE_INTERVAL.rstrip("s")) + 8
            report.check(f"first requests visible in Prometheus within {bound_s:.0f} s",
                         first_data_s is not None and first_data_s <= bound_s,
                         f"{first_data_s:.1f} s after the first request" if first_data_s is not None
                         else f"nothing after {LOAD_SECONDS} s")
            check_counts(report, planes)
            check_rates_and_errors(report)
            check_slow_percentile(report)
            check_runtime_metrics(report)
            check_shop(report, shop_load)
            check_dashboard_and_rules(report)
            check_browser(report, env, Path(args.work_dir).resolve() / "screenshots")
            check_load_report(report, env, planes, stack_dir, Path(args.work_dir).resolve() / "screenshots")
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
