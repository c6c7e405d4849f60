// Prometheus's HTTP API, through the same origin (nginx proxies /api/v1/).
// Every call resolves to data or throws a PrometheusError whose message says
// what is wrong in words a dashboard user can act on.
//
//   const series = await queryRange(ruleSeries("env:http_server_requests:rate5m", "prod|qa"), 300);
//   const { activeTargets } = await targets();
import catalogue from "../../config/dashboard-queries.json";

export class PrometheusError extends Error {}

async function api(path, params) {
  const url = `/api/v1/${path}` + (params ? `?${new URLSearchParams(params)}` : "");
  let response;
  try {
    response = await fetch(url, { cache: "no-store" });
  } catch {
    throw new PrometheusError("dashboard server unreachable (no answer from this page's origin)");
  }
  if ([502, 503, 504].includes(response.status)) {
    throw new PrometheusError(`Prometheus unreachable (the proxy answered ${response.status})`);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new PrometheusError(`Prometheus unreachable (HTTP ${response.status}, not Prometheus's API)`);
  }
  if (body.status !== "success") {
    throw new PrometheusError(`Prometheus rejected the query: ${body.error ?? response.status}`);
  }
  return body.data;
}

export const RANGES = { "5m": 300, "15m": 900, "1h": 3600, "6h": 21600, "24h": 86400 };

// About 240 points per chart; the rate window covers at least two steps.
export function stepFor(rangeSeconds) {
  return Math.max(2, Math.round(rangeSeconds / 240));
}

// A query of config/dashboard-queries.json with its variables filled in.
export function namedQuery(name, { env = ".*", route = ".*", rangeSeconds = 300 } = {}) {
  const entry = catalogue.queries[name];
  if (!entry) throw new Error(`no query '${name}' in config/dashboard-queries.json`);
  const window = `${Math.max(60, 2 * stepFor(rangeSeconds))}s`;
  return entry.expr.replaceAll("$__rate_interval", window).replaceAll("$env", env).replaceAll("$route", route);
}

export const thresholds = catalogue.thresholds;

// A recording rule's series, read by name, for the environments matching envRegex.
export function ruleSeries(rule, envRegex) {
  return `${rule}{deployment_environment_name=~"${envRegex}"}`;
}

export async function queryRange(expr, rangeSeconds) {
  const end = Date.now() / 1000;
  const data = await api("query_range", {
    query: expr,
    start: (end - rangeSeconds).toFixed(3),
    end: end.toFixed(3),
    step: stepFor(rangeSeconds),
  });
  return data.result.map((s) => ({
    metric: s.metric,
    points: s.values.map(([t, v]) => [t * 1000, Number.isFinite(Number(v)) ? Number(v) : null]),
  }));
}

export async function queryInstant(expr) {
  const data = await api("query", { query: expr });
  return data.result.map((s) => ({ metric: s.metric, value: Number(s.value[1]) }));
}

export const targets = () => api("targets", { state: "active" });
export const alerts = () => api("alerts");

// The configured data planes: the scrape jobs named dataplane-<plane>.
export function planesOf(activeTargets) {
  return activeTargets
    .filter((t) => t.labels.job?.startsWith("dataplane-"))
    .map((t) => ({
      plane: t.labels.job.slice("dataplane-".length),
      job: t.labels.job,
      url: t.scrapeUrl,
      health: t.health,
      lastScrape: t.lastScrape,
      lastScrapeDuration: t.lastScrapeDuration,
      lastError: t.lastError,
    }))
    .sort((a, b) => rank(a.plane) - rank(b.plane) || a.plane.localeCompare(b.plane));
}

// prod, dev and qa in that order, then any other plane (a graph's, e.g. shop) by name.
function rank(plane) {
  const i = ["prod", "dev", "qa"].indexOf(plane);
  return i < 0 ? 3 : i;
}
