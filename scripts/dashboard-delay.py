#!/usr/bin/env python3
"""Measures how long a request takes to show on the control-plane dashboard.

For each source (an environment, or one service of an environment running several) the script
waits until the dashboard's request-rate query shows it idle (rate 0: no request for the rule's
5-minute window), sends it one GET at a random moment of the next --spread seconds (the stack's
timers tick at fixed phases: without it every request would meet them alike), and polls the query
the Metrics page's request-rate panel sends, through the dashboard's own origin (nginx), until
that source's line leaves 0. One request on an idle source is the only thing that can move its
line, so the first non-zero point is that request. What bounds the figure: the service's export
interval, Prometheus's scrape and rule-evaluation intervals (scripts/stack.sh: 10 s each by
default); a browser on auto refresh adds up to one refresh interval on top.

  scripts/stack.sh up --graph shop     # then leave it without load for 5 minutes
  scripts/dashboard-delay.py --dashboard http://127.0.0.1:8090 \\
      --source prod=http://127.0.0.1:8081/health --source 'shop frontend=http://127.0.0.1:8101/health'

Loopback only; one request per source and repetition.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import urllib.parse
import urllib.request

RULE = "env:http_server_requests:rate5m"  # the request-rate panel's series (dashboard/src/pages.jsx)


def panel_values(dashboard: str) -> dict[str, float]:
    """The last point of every line of the request-rate panel, by the panel's legend name
    (environment, plus the service where the environment runs several: "shop frontend")."""
    end = time.time()
    query = urllib.parse.urlencode({"query": f'{RULE}{{deployment_environment_name=~".*"}}',
                                    "start": f"{end - 300:.3f}", "end": f"{end:.3f}", "step": 2})
    with urllib.request.urlopen(f"{dashboard}/api/v1/query_range?{query}", timeout=10) as resp:
        result = json.load(resp)["data"]["result"]
    envs: dict[str, set[str]] = {}
    for s in result:
        envs.setdefault(s["metric"]["deployment_environment_name"], set()).add(s["metric"].get("service_name", ""))
    values = {}
    for s in result:
        env, service = s["metric"]["deployment_environment_name"], s["metric"].get("service_name", "")
        values[f"{env} {service}" if len(envs[env]) > 1 else env] = float(s["values"][-1][1])
    return values


def wait_until(predicate, timeout_s: float, interval_s: float) -> float | None:
    """Seconds until predicate() holds, or None after timeout_s."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if predicate():
            return time.monotonic() - started
        time.sleep(interval_s)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dashboard", default="http://127.0.0.1:8090")
    parser.add_argument("--source", action="append", required=True, metavar="NAME=URL",
                        help="a legend name of the request-rate panel and a loopback URL that reaches only it")
    parser.add_argument("--repeat", type=int, default=1, help="rounds over the sources")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for one request")
    parser.add_argument("--spread", type=float, default=10, help="seconds over which a request's moment is drawn "
                        "(the longest of the export, scrape and evaluation intervals)")
    args = parser.parse_args()
    sources = [s.split("=", 1) for s in args.source]
    if any(urllib.parse.urlsplit(url).hostname not in ("127.0.0.1", "localhost") for _, url in sources):
        sys.exit("loopback URLs only")

    delays = []
    for _ in range(args.repeat):
        for name, url in sources:
            idle = wait_until(lambda: panel_values(args.dashboard).get(name) == 0.0, 420, 5)
            if idle is None:
                sys.exit(f"{name} is not idle on the dashboard (rate > 0 or no line): stop its load for 5 minutes")
            time.sleep(random.uniform(0, args.spread))
            sent = time.monotonic()
            urllib.request.urlopen(url, timeout=10).read()
            shown = wait_until(lambda: panel_values(args.dashboard).get(name, 0.0) > 0, args.timeout, 0.2)
            if shown is None:
                sys.exit(f"{name}: the request did not show within {args.timeout:.0f} s")
            delays.append(time.monotonic() - sent)
            print(f"{name}: {delays[-1]:.1f} s", flush=True)
    print(f"{len(delays)} requests: min {min(delays):.1f} s, median {statistics.median(delays):.1f} s, "
          f"max {max(delays):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
