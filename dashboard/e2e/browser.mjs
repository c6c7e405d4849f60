#!/usr/bin/env node
// Browser test of the control-plane dashboard against a live stack: headless
// Chromium (Debian's, driven by playwright-core) opens every page, reads the
// data points out of the ECharts instances the page draws, and checks what a
// user would look at. Prints one [PASS]/[FAIL] line per check and exits
// non-zero on any failure. tests/e2e/stack_e2e.py runs it after its load run:
//
//   node dashboard/e2e/browser.mjs --url http://127.0.0.1:8090 \
//     --prometheus http://127.0.0.1:9090 --planes prod,dev,qa --screenshots build/shots \
//     --stop-prometheus 'scripts/stack.sh stop prometheus' --start-prometheus 'scripts/stack.sh up' \
//     --stop-collector 'scripts/stack.sh stop otel-collector-{plane}' --start-collector 'scripts/stack.sh up' \
//     --graph-env shop --graph-services frontend,orders,inventory,payments \
//     --graph-pools orders_db,inventory_db --graph-downstreams orders,inventory,payments \
//     --graph-breakers payments
//
// --graph-env names an environment running a service graph with database pools and downstreams
// (the stack's `up --graph shop`): the graph-service panels must show its pools and downstreams,
// and every panel and its landing card must tell its services apart.
// Without it they are checked on the planes alone (their default graph's pool, no downstreams).
//
// Every request the page makes to anything but --url is blocked and counted as
// a failure: the page must work offline.
import { execSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";

const { values: args } = parseArgs({
  options: {
    url: { type: "string" },
    prometheus: { type: "string" },
    planes: { type: "string", default: "prod,dev,qa" },
    screenshots: { type: "string" },
    "stop-prometheus": { type: "string" },
    "start-prometheus": { type: "string" },
    "stop-collector": { type: "string" },
    "start-collector": { type: "string" },
    "settle-seconds": { type: "string", default: "60" },
    "graph-env": { type: "string" },
    "graph-services": { type: "string", default: "frontend,orders,inventory,payments" },
    "graph-pools": { type: "string", default: "orders_db,inventory_db" },
    "graph-downstreams": { type: "string", default: "orders,inventory,payments" },
    "graph-breakers": { type: "string", default: "payments" },
    chromium: { type: "string", default: process.env.CHROMIUM ?? "/usr/bin/chromium" },
  },
});
const planes = args.planes.split(",");
const settleMs = Number(args["settle-seconds"]) * 1000;
mkdirSync(args.screenshots, { recursive: true });

let failed = 0;
let passed = 0;
function check(name, ok, detail = "") {
  console.log(`[${ok ? "PASS" : "FAIL"}] browser: ${name}${detail ? `: ${detail}` : ""}`);
  ok ? passed++ : failed++;
  return ok;
}

// Calls fn until it returns { ok: true } or the time is up; returns the last result.
async function poll(fn, timeoutMs, intervalMs = 1000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await fn();
    if (result.ok || Date.now() >= deadline) return result;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const browser = await chromium.launch({ executablePath: args.chromium, args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const origin = new URL(args.url).origin;
const consoleErrors = [];
let outage = false;
page.on("console", (m) => {
  // While Prometheus is stopped on purpose the proxy's 502s are expected.
  if (m.type() === "error" && !(outage && /status of 50[234]/.test(m.text()))) consoleErrors.push(m.text());
});
page.on("pageerror", (e) => consoleErrors.push(String(e)));
const offsite = [];
await page.route("**/*", (route) => {
  if (new URL(route.request().url()).origin === origin) return route.continue();
  offsite.push(route.request().url());
  return route.abort();
});

// The time ranges the page asked Prometheus for (end - start of every query_range).
const queriedRanges = [];
page.on("request", (r) => {
  const url = new URL(r.url());
  if (url.pathname === "/api/v1/query_range") {
    queriedRanges.push(Math.round(Number(url.searchParams.get("end")) - Number(url.searchParams.get("start"))));
  }
});

const open = (hash) => page.goto(`${args.url}/#/${hash}`);
const refresh = () => page.click("button[name=refresh-now]");
const shot = (name) => page.screenshot({ path: `${args.screenshots}/${name}.png`, fullPage: true });

// Per chart: series name -> number of non-null points, read from the ECharts instance.
const chartPoints = () =>
  page.evaluate(() =>
    Object.fromEntries(
      Object.entries(window.latencylabCharts ?? {}).map(([id, chart]) => [
        id,
        Object.fromEntries(chart.getOption().series.map((s) => [s.name, s.data.filter(([, v]) => v != null).length])),
      ]),
    ),
  );

// Per chart: the names of its series in legend order (duplicates kept) and the top of its y axis
// as drawn.
const chartNames = () =>
  page.evaluate(() =>
    Object.fromEntries(
      Object.entries(window.latencylabCharts ?? {}).map(([id, chart]) => [
        id,
        {
          names: chart.getOption().series.map((s) => s.name),
          top: chart.getModel().getComponent("yAxis", 0).axis.scale.getExtent()[1],
          highest: Math.max(...chart.getOption().series.flatMap((s) => s.data.map(([, v]) => v ?? -Infinity))),
        },
      ]),
    ),
  );

// Every panel in `ids` has a series with points for every plane in `want`
// (series names start with the plane's name).
async function panelsHaveData(ids, want) {
  return poll(async () => {
    await refresh();
    await page.waitForTimeout(1500);
    const charts = await chartPoints();
    const gaps = [];
    for (const id of ids) {
      for (const plane of want) {
        const points = Object.entries(charts[id] ?? {})
          .filter(([name]) => name === plane || name.startsWith(`${plane} `))
          .reduce((n, [, c]) => n + c, 0);
        if (!points) gaps.push(`${id}/${plane}`);
      }
    }
    return { ok: gaps.length === 0, gaps, charts };
  }, settleMs);
}

const METRIC_PANELS = ["request-rate", "latency", "error-rate", "active-requests", "io-loop-lag", "open-connections", "comparison"];
const POOL_PANELS = ["pool-utilization", "pool-pending", "pool-wait", "pool-timeouts"];
const CALL_PANELS = ["downstream-rate", "downstream-errors", "downstream-p99"];
const DOWNSTREAM_PANELS = ["downstream-retries", "downstream-breaker"];

// Series names with points, per graph-service panel, for the environment `env`: pools are named
// "<env> <service> <pool>[ used|max]", calls "<env> <service> → <host>:<port>[ <error.type>]",
// retries and breakers "<env> <service> → <downstream>[ retries|rejected]".
async function graphSeries(env) {
  const charts = await chartPoints();
  return Object.fromEntries(
    [...POOL_PANELS, ...CALL_PANELS, ...DOWNSTREAM_PANELS].map((id) => [
      id,
      Object.entries(charts[id] ?? {}).filter(([name, n]) => n > 0 && name.startsWith(`${env} `)).map(([name]) => name),
    ]),
  );
}

// What the graph-service panels of `env` lack: every pool in every pool panel, a call series to
// `peers` servers per call panel, every downstream's retries and `breakers`' states.
function graphGaps(series, { pools, downstreams, peers, breakers }) {
  const gaps = [];
  for (const id of POOL_PANELS) {
    for (const pool of pools) {
      if (!series[id].some((n) => n.split(" ").includes(pool))) gaps.push(`${id}/${pool}`);
    }
  }
  for (const id of CALL_PANELS) {
    const servers = new Set(series[id].map((n) => n.split(" ")[3]));
    if (servers.size < peers) gaps.push(`${id}: ${servers.size} of ${peers} servers`);
  }
  for (const ds of downstreams) {
    if (!series["downstream-retries"].some((n) => n.includes(` → ${ds} retries`))) gaps.push(`downstream-retries/${ds}`);
  }
  for (const ds of breakers) {
    if (!series["downstream-breaker"].some((n) => n.endsWith(` → ${ds}`))) gaps.push(`downstream-breaker/${ds}`);
  }
  return gaps;
}

try {
  // Landing: a card per plane with its health and figures.
  await open("?refresh=off");
  const landing = await poll(async () => {
    await refresh();
    await page.waitForTimeout(1000);
    const cards = await page.$$eval("section.card", (els) =>
      els.map((e) => ({
        plane: e.dataset.plane,
        health: e.dataset.health,
        rate: e.querySelector("[data-figure=rate] dd")?.textContent ?? null,
        services: [...e.querySelectorAll("[data-service]")].map((s) => s.dataset.service),
      })),
    );
    const good = cards.filter((c) => c.health === "up" && c.rate && /^[0-9.]+ \/s$/.test(c.rate));
    return { ok: planes.every((p) => good.some((c) => c.plane === p)), cards };
  }, settleMs);
  check("landing page shows every plane healthy with a request rate", landing.ok, JSON.stringify(landing.cards));
  if (args["graph-env"]) {
    // A graph's plane runs several services: its card gives each its own figures.
    const card = landing.cards.find((c) => c.plane === args["graph-env"]);
    const want = args["graph-services"].split(",").sort();
    check(`landing page: ${args["graph-env"]}'s card has figures for each of its services`,
          JSON.stringify([...(card?.services ?? [])].sort()) === JSON.stringify(want), `${card?.services} (want ${want})`);
  }
  await shot("landing");

  // Auto refresh: a new update without touching the page.
  await open("?refresh=10s");
  await page.waitForSelector(".updated[data-last-update^='2']");
  const first = await page.getAttribute(".updated", "data-last-update");
  const refreshed = await poll(async () => {
    const now = await page.getAttribute(".updated", "data-last-update");
    return { ok: now !== first, now };
  }, 16000, 500);
  check("auto refresh (10s) updates the page by itself", refreshed.ok, `${first} -> ${refreshed.now}`);

  // Metrics, every environment.
  await open("metrics?env=all&range=5m&refresh=off");
  const all = await panelsHaveData(METRIC_PANELS, planes);
  check("metrics page: every panel has points for every plane", all.ok, all.ok ? METRIC_PANELS.join(", ") : `missing ${all.gaps}`);
  for (const [id, text] of [["fault-windows", "no fault windows"], ["exemplars", "no exemplars"]]) {
    const shown = await page.textContent(`[data-panel=${id}]`);
    check(`metrics page: '${id}' says why it is empty`, shown.includes(text), shown);
  }
  if (args["graph-env"]) {
    // Legends tell every series apart: no two series of a chart share a name, and the graph's
    // services are named ("shop frontend", "shop orders p95"), not all called "shop".
    const env = args["graph-env"];
    const services = args["graph-services"].split(",");
    const charts = await chartNames();
    const problems = [];
    for (const id of METRIC_PANELS) {
      const names = charts[id]?.names ?? [];
      const repeated = names.filter((n, i) => names.indexOf(n) !== i);
      if (repeated.length) problems.push(`${id}: ${[...new Set(repeated)]} twice`);
      for (const service of services) {
        const named = names.some((n) => n === `${env} ${service}` || n.startsWith(`${env} ${service} `));
        if (!named) problems.push(`${id}: no series named '${env} ${service}'`);
      }
    }
    check(`metrics page: every panel's legend tells the series apart and names each ${env} service`, problems.length === 0,
          problems.length ? problems.join("; ") : JSON.stringify(charts["latency"].names));
  }
  const threshold = await page.evaluate(() =>
    window.latencylabCharts["error-rate"].getOption().series[0].markLine?.data?.[0]?.yAxis);
  check("error-rate panel draws the SLO threshold", threshold === 0.05, `threshold ${threshold}`);
  await shot("metrics");

  // Graph services: every plane but the graph's runs the default graph, which owns a database
  // pool (users_db) and calls no downstream: the pool panels have those planes, and the
  // downstream panels, on the first of them, say that no graph service reports any.
  const planePools = await poll(async () => {
    await refresh();
    await page.waitForTimeout(1500);
    const gaps = [];
    for (const plane of planes.filter((p) => p !== args["graph-env"])) gaps.push(...graphGaps(await graphSeries(plane), { pools: ["users_db"], downstreams: [], peers: 0, breakers: [] }).map((g) => `${plane}: ${g}`));
    return { ok: gaps.length === 0, gaps };
  }, settleMs);
  check("graph-service pool panels have points for every plane's users_db", planePools.ok, planePools.gaps.join(", "));
  if (args["graph-env"]) {
    // The graph's services: its pools, its downstreams, and those of them with a breaker.
    const env = args["graph-env"];
    const want = {
      pools: args["graph-pools"].split(","),
      downstreams: args["graph-downstreams"].split(","),
      peers: args["graph-downstreams"].split(",").length,
      breakers: args["graph-breakers"].split(",").filter(Boolean),
    };
    for (const selected of ["all", env]) {
      await open(`metrics?env=${selected}&range=5m&refresh=off`);
      const graph = await poll(async () => {
        await refresh();
        await page.waitForTimeout(1500);
        const series = await graphSeries(env);
        return { ok: graphGaps(series, want).length === 0, gaps: graphGaps(series, want), series };
      }, settleMs);
      check(`graph-service panels (env ${selected}) have points for ${env}'s pools ${want.pools} and downstreams ${want.downstreams}`,
            graph.ok, graph.ok ? JSON.stringify(graph.series["downstream-rate"]) : `missing ${graph.gaps}`);
      if (selected === "all") {
        // Pools of 10 and 16,000 connections on one chart: as shares of their size, on an axis
        // that ends at 100%, so the largest pool does not flatten the others.
        const { names = [], top, highest } = (await chartNames())["pool-utilization"] ?? {};
        const pools = [...want.pools, "users_db"];
        check("pool utilization chart: every pool on one 0-100% axis", top === 1 && highest <= 1 && pools.every((p) => names.some((n) => n.split(" ").includes(p))),
              `axis top ${top}, highest point ${highest}, series ${JSON.stringify(names)}`);
      }
      if (selected === env) await shot(`metrics-${env}`);
    }
  }
  const plain = planes.find((p) => p !== args["graph-env"]);
  await open(`metrics?env=${plain}&range=5m&refresh=off`);
  const empty = await poll(async () => {
    await refresh();
    await page.waitForTimeout(1500);
    const panels = await page.$$eval([...CALL_PANELS, ...DOWNSTREAM_PANELS].map((id) => `[data-panel=${id}]`).join(","), (els) =>
      els.map((e) => ({ id: e.dataset.panel, state: e.dataset.state, text: e.textContent })));
    return { ok: panels.length === 5 && panels.every((p) => p.state === "empty" && p.text.includes("no graph services reporting downstream calls in")), panels };
  }, 20000);
  check(`downstream panels on ${plain} (no downstreams) say 'no graph services reporting'`, empty.ok, JSON.stringify(empty.panels));
  await open("metrics?env=all&range=5m&refresh=off");

  // The environment selector narrows the per-environment panels to one plane.
  const only = planes[planes.length - 1];
  await page.selectOption("select[name=env]", only);
  const narrowed = await poll(async () => {
    await page.waitForTimeout(1000);
    const charts = await chartPoints();
    const names = Object.fromEntries(METRIC_PANELS.filter((id) => id !== "comparison").map((id) => [id, Object.keys(charts[id] ?? {})]));
    const ok = Object.values(names).every((n) => n.length > 0 && n.every((s) => s === only || s.startsWith(`${only} `)));
    return { ok, names, comparison: Object.keys(charts.comparison ?? {}) };
  }, 20000);
  check(`environment selector '${only}' shows only ${only}'s series`, narrowed.ok, JSON.stringify(narrowed.names));
  check("the comparison panel keeps every plane",
        planes.every((p) => narrowed.comparison.some((n) => n === p || n.startsWith(`${p} `))), `${narrowed.comparison}`);
  await shot(`metrics-${only}`);

  // The time range selector sets the window of every chart's query.
  queriedRanges.length = 0;
  await page.selectOption("select[name=range]", "1h");
  await page.waitForTimeout(2000);
  check("time range '1h' queries the last hour", queriedRanges.length > 0 && queriedRanges.every((r) => r === 3600),
        `query_range windows ${[...new Set(queriedRanges)]} s`);

  // Data-plane status: from /api/v1/targets.
  await open("status?refresh=off");
  const status = await poll(async () => {
    await refresh();
    await page.waitForTimeout(1000);
    const rows = await page.$$eval("table.status tbody tr", (trs) =>
      trs.map((tr) => ({ plane: tr.dataset.plane, health: tr.dataset.health, lastScrape: tr.dataset.lastScrape, samples: tr.cells[6].textContent })),
    );
    const recent = rows.filter((r) => r.health === "up" && Date.now() - Date.parse(r.lastScrape) < 30000 && Number(r.samples) > 0);
    return { ok: rows.length === planes.length && planes.every((p) => recent.some((r) => r.plane === p)), rows };
  }, settleMs);
  check("status page lists every plane, up, scraped in the last 30 s, with samples", status.ok, JSON.stringify(status.rows));
  await shot("status");

  // SLOs: burn-rate charts per plane, and the alert list equals Prometheus's.
  await open("slo?range=5m&refresh=off");
  const burn = await panelsHaveData(["availability-burn", "latency-burn"], planes);
  check("SLO page: burn-rate panels have points for every plane", burn.ok, burn.ok ? "" : `missing ${burn.gaps}`);
  const alertsMatch = await poll(async () => {
    const api = await (await fetch(`${args.prometheus}/api/v1/alerts`)).json();
    await refresh();
    await page.waitForTimeout(1000);
    const shown = await page.$$eval("[data-panel=alerts] tbody tr", (trs) => trs.map((tr) => `${tr.dataset.alert}/${tr.dataset.env}/${tr.dataset.state}`));
    const want = api.data.alerts.map((a) => `${a.labels.alertname}/${a.labels.deployment_environment_name ?? ""}/${a.state}`);
    const emptyShown = (await page.getAttribute("[data-panel=alerts]", "data-state")) === "empty";
    const ok = JSON.stringify([...shown].sort()) === JSON.stringify([...want].sort()) && (want.length > 0 || emptyShown);
    return { ok, shown, want };
  }, 20000, 2000);
  check("alert list matches /api/v1/alerts", alertsMatch.ok, `page ${JSON.stringify(alertsMatch.shown)}, api ${JSON.stringify(alertsMatch.want)}`);
  await shot("slo");

  // One plane's Collector stopped: that plane, and only it, shows as down.
  if (args["stop-collector"]) {
    execSync(args["stop-collector"].replaceAll("{plane}", only), { stdio: "inherit" });
    await open("status?refresh=off");
    const down = await poll(async () => {
      await refresh();
      await page.waitForTimeout(1000);
      const rows = await page.$$eval("table.status tbody tr", (trs) =>
        trs.map((tr) => ({ plane: tr.dataset.plane, health: tr.dataset.health, error: tr.cells[8].textContent })));
      const ok = rows.every((r) => (r.plane === only ? r.health === "down" && r.error !== "–" : r.health === "up"));
      return { ok, rows };
    }, 30000);
    check(`status page: with ${only}'s Collector stopped only ${only} is down, with its scrape error`, down.ok, JSON.stringify(down.rows));
    await shot("status-collector-down");
    await open("?refresh=off");
    const card = await poll(async () => {
      await refresh();
      await page.waitForTimeout(1000);
      const text = await page.textContent(`section.card[data-plane=${only}]`);
      const health = await page.getAttribute(`section.card[data-plane=${only}]`, "data-health");
      return { ok: health === "down" && text.includes("connection refused"), text };
    }, 30000);
    // (Its figures stay: the recording rules' 5-minute rates still cover the samples scraped before.)
    check(`landing page: ${only}'s card is down with its scrape error`, card.ok, card.text);
    execSync(args["start-collector"], { stdio: "inherit" });
    await open("status?refresh=off");
    const back = await poll(async () => {
      await refresh();
      await page.waitForTimeout(1000);
      const health = await page.$$eval("table.status tbody tr", (trs) => trs.map((tr) => tr.dataset.health));
      return { ok: health.length === planes.length && health.every((h) => h === "up"), health };
    }, 30000);
    check(`status page: ${only} is up again once its Collector returns`, back.ok, `${back.health}`);
  }

  // Prometheus stopped: the page says so, then recovers.
  if (args["stop-prometheus"]) {
    await open("metrics?env=all&range=5m&refresh=off");
    await panelsHaveData(["request-rate"], planes);
    outage = true;
    execSync(args["stop-prometheus"], { stdio: "inherit" });
    await refresh();
    const down = await poll(async () => {
      await page.waitForTimeout(1000);
      const banner = await page.textContent("[role=alert]").catch(() => null);
      const states = await page.$$eval("[data-panel]", (els) => els.map((e) => e.dataset.state));
      return { ok: /Prometheus unreachable/.test(banner ?? "") && states.filter((s) => s === "error").length >= METRIC_PANELS.length, banner, states };
    }, 20000);
    check("with Prometheus stopped the page says 'Prometheus unreachable' on every panel", down.ok, `${down.banner} ${down.states}`);
    await shot("prometheus-down");
    execSync(args["start-prometheus"], { stdio: "inherit" });
    outage = false;
    const back = await panelsHaveData(METRIC_PANELS, planes);
    const banner = await page.$("[role=alert]");
    check("the page recovers when Prometheus returns", back.ok && !banner, back.ok ? "" : `missing ${back.gaps}`);
  }

  check("no browser console errors", consoleErrors.length === 0, consoleErrors.join(" | "));
  check("no request left the dashboard's origin", offsite.length === 0, offsite.join(", "));
} catch (error) {
  check("browser test ran to the end", false, String(error.stack ?? error));
  await shot("failure").catch(() => {});
} finally {
  await browser.close();
}
console.log(`browser: ${passed} passed, ${failed} failed; screenshots in ${args.screenshots}`);
process.exit(failed ? 1 : 0);
