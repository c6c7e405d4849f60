#!/usr/bin/env python3
"""Keeps the dashboards' PromQL in one place: config/dashboard-queries.json.

Checks, as a ctest (label unit), that
  * every Grafana panel query is either a recording rule read by name (`rule{...}`) or, verbatim,
    a query of config/dashboard-queries.json;
  * docs/PROMQL.md's generated section lists exactly the queries of that file;
  * the control-plane dashboard's sources (dashboard/src) hold no PromQL of their own: the
    recording rules they name exist, the named queries they ask for exist, and no aggregation,
    rate or quantile is spelled out there.

  tests/dashboard/queries_agree.py            # check; exit 1 naming each disagreement
  tests/dashboard/queries_agree.py --write    # regenerate the docs/PROMQL.md section
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
QUERIES = REPO / "config/dashboard-queries.json"
PROMQL_MD = REPO / "docs/PROMQL.md"
GRAFANA = REPO / "config/grafana/dashboards/latencylab.json"
RULES = sorted((REPO / "config/prometheus/rules").glob("*.yml"))
DASHBOARD_SRC = REPO / "dashboard/src"

BEGIN = "<!-- generated from config/dashboard-queries.json: tests/dashboard/queries_agree.py --write -->"
END = "<!-- end of generated section -->"


def recording_rules() -> set[str]:
    return {m.group(1) for path in RULES for m in re.finditer(r"^\s*- record: (\S+)", path.read_text(), re.M)}


def render(queries: dict) -> str:
    lines = [BEGIN, "", "```promql"]
    for name, query in queries.items():
        lines += [f"# {query['title']} ({name})", query["expr"], ""]
    lines[-1] = "```"
    return "\n".join(lines + ["", END])


def main() -> int:
    queries = json.loads(QUERIES.read_text())["queries"]
    doc = PROMQL_MD.read_text()
    section = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    if "--write" in sys.argv[1:]:
        PROMQL_MD.write_text(section.sub(lambda _: render(queries), doc))
        return 0

    problems = []
    rules = recording_rules()
    exprs = {q["expr"] for q in queries.values()}

    grafana = json.loads(GRAFANA.read_text())
    for panel in grafana["panels"]:
        for target in panel.get("targets", []):
            expr = target["expr"]
            rule = re.fullmatch(r"([\w:]+)\{[^}]*\}", expr)
            if not (rule and rule.group(1) in rules) and expr not in exprs:
                problems.append(f"Grafana panel '{panel['title']}' has a query not in {QUERIES.name}: {expr}")

    found = section.search(doc)
    if not found:
        problems.append(f"{PROMQL_MD.name} has no generated section (run {sys.argv[0]} --write)")
    elif found.group(0) != render(queries):
        problems.append(f"{PROMQL_MD.name}'s generated section differs from {QUERIES.name} (run {sys.argv[0]} --write)")

    spelled_out = re.compile(r"\b(?:(?:rate|increase|histogram_quantile|max_over_time)\(|(?:sum|count|avg|max|min) by \()")
    for path in sorted(DASHBOARD_SRC.rglob("*.js*")):
        text = path.read_text()
        rel = path.relative_to(REPO)
        for m in spelled_out.finditer(text):
            problems.append(f"{rel}: PromQL spelled out ('{m.group(0)}'); put it in {QUERIES.name}")
        for name in re.findall(r'"((?:route_env|env|service_env):[\w:]+)"', text):
            if name not in rules:
                problems.append(f"{rel}: no recording rule named {name}")
        for name in re.findall(r'namedQuery\("(\w+)"', text):
            if name not in queries:
                problems.append(f"{rel}: no query '{name}' in {QUERIES.name}")

    for problem in problems:
        print(problem)
    print(f"{len(queries)} shared queries, {len(rules)} recording rules: "
          + ("in agreement" if not problems else f"{len(problems)} disagreement(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
