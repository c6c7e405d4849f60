// The dashboard's pages. Each loads everything it shows on every refresh tick
// through prometheus.js; panels read recording rules by name (ruleSeries) or a
// named query of config/dashboard-queries.json (namedQuery), nothing else.
import { Message, Panel, PendingPanel } from "./Panel.jsx";
import {
  alerts,
  namedQuery,
  queryInstant,
  queryRange,
  RANGES,
  ruleSeries,
  thresholds,
} from "./prometheus.js";
import { useRefresh } from "./useRefresh.js";

const envRegex = (planes) => (planes.length ? planes.join("|") : "^$");
const envOf = (metric) => metric.deployment_environment_name ?? "unknown";

// Legend names for one query's series: the environment, then the service and the process
// (data_plane_id) only where that environment has several of them, so a plane of one process
// reads "prod" and the shop graph's services "shop frontend", "shop orders", ...
function sourceNames(metrics) {
  const values = new Map(); // "env" -> its service names, "env/service" -> its processes
  const add = (key, value) => values.set(key, (values.get(key) ?? new Set()).add(value));
  for (const m of metrics) {
    add(envOf(m), m.service_name);
    add(`${envOf(m)}/${m.service_name}`, m.data_plane_id);
  }
  const several = (key) => values.get(key).size > 1;
  return (m) =>
    [envOf(m), several(envOf(m)) && m.service_name, several(`${envOf(m)}/${m.service_name}`) && m.data_plane_id]
      .filter(Boolean)
      .join(" ");
}

// One range query -> a Panel result. A series is named by `label(metric)` if given, else by
// sourceNames, then `suffix`; `empty` replaces the "no data for <planes>" message.
async function rangePanel(expr, { planes, range, label, suffix, emptyWhat, empty }) {
  const rangeSeconds = RANGES[range];
  try {
    const raw = (await queryRange(expr, rangeSeconds)).filter((s) => s.points.some(([, v]) => v != null));
    const name = label ?? sourceNames(raw.map((s) => s.metric));
    const series = raw
      .map((s) => ({ name: [name(s.metric), suffix].filter(Boolean).join(" "), env: envOf(s.metric), points: s.points }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const present = new Set(series.map((s) => s.env));
    const missing = planes.filter((p) => !present.has(p));
    return {
      status: "ok",
      series,
      missing,
      rangeLabel: range,
      emptyMessage: empty ?? `no ${emptyWhat ?? "data"} for ${missing.join(", ") || "any plane"} in the last ${range}`,
    };
  } catch (error) {
    return { status: "error", message: error.message };
  }
}

// The Panel result stored under `key` of a page's data: loading until the first load,
// the page's error if the whole load failed.
function resultOf(data, key) {
  if (!data) return { status: "loading" };
  if (data.error) return { status: "error", message: data.error };
  return data[key];
}

// ---------------------------------------------------------------------------------------------

export function MetricsPage({ tick, planes, env, range, onLoaded }) {
  const shown = env === "all" ? planes : planes.filter((p) => p === env);
  const regex = envRegex(shown);
  const rangeSeconds = RANGES[range];
  const data = useRefresh(
    tick,
    async () => {
      const opts = { planes: shown, range };
      const [rate, p50, p95, p99, errors, active, lag, connections, comparison] = await Promise.all([
        rangePanel(ruleSeries("env:http_server_requests:rate5m", regex), opts),
        rangePanel(ruleSeries("env:http_server_request_duration_seconds:p50_rate5m", regex), {
          ...opts,
          suffix: "p50",
        }),
        rangePanel(ruleSeries("env:http_server_request_duration_seconds:p95_rate5m", regex), {
          ...opts,
          suffix: "p95",
        }),
        rangePanel(ruleSeries("env:http_server_request_duration_seconds:p99_rate5m", regex), {
          ...opts,
          suffix: "p99",
        }),
        rangePanel(ruleSeries("env:http_server_request_errors:ratio_rate5m", regex), opts),
        rangePanel(namedQuery("active_requests", { env: regex, rangeSeconds }), opts),
        rangePanel(namedQuery("io_loop_lag_p99", { env: regex, rangeSeconds }), opts),
        rangePanel(namedQuery("open_connections", { env: regex, rangeSeconds }), opts),
        // Every plane, whatever the selector says: the side-by-side view.
        rangePanel(ruleSeries("env:http_server_request_duration_seconds:p95_rate5m", envRegex(planes)), {
          planes,
          range,
        }),
      ]);
      const latency = mergeResults([p50, p95, p99]);
      return { rate, latency, errors, active, lag, connections, comparison };
    },
    [regex, range],
    onLoaded,
  );
  const r = (key) => resultOf(data, key);
  return (
    <div className="grid">
      <Panel id="request-rate" title="Request rate" unit="req/s" result={r("rate")} />
      <Panel id="latency" title="Latency p50 / p95 / p99" unit="s" result={r("latency")} />
      <Panel
        id="error-rate"
        title="Error rate (5xx)"
        unit="ratio"
        threshold={thresholds.availability_error_budget}
        note={`threshold: the availability SLO's ${thresholds.availability_error_budget * 100}% error budget`}
        result={r("errors")}
      />
      <Panel id="active-requests" title="Active requests" unit="count" result={r("active")} />
      <Panel id="io-loop-lag" title="io-loop lag p99" unit="s" result={r("lag")} />
      <Panel id="open-connections" title="Open connections" unit="count" result={r("connections")} />
      <Panel id="comparison" title="p95 latency, every environment" unit="s" result={r("comparison")} />
      <GraphServicePanels tick={tick} shown={shown} env={env} range={range} />
      <PendingPanel id="fault-windows" title="Active fault windows" message="no fault windows reported (the fault table does not export them yet)" />
      <PendingPanel id="exemplars" title="Exemplar traces" message="no exemplars: the stack has no trace backend yet" />
    </div>
  );
}

// Database pools and downstream calls of the services a graph file runs (docs/GRAPHS.md), one
// series per service and pool or downstream. A plane whose services own no pool or call no
// downstream has none of these series, so a missing plane is not a gap: the panels say so only
// when no service reports at all. Pools show as a utilization: the default graph's pool of
// 16,000 connections and the shop's of 10 share one scale; the legend names each pool's size.
const poolOf = (m) => `${envOf(m)} ${m.service_name} ${m.db_client_connection_pool_name}`;
const peerOf = (m) => `${envOf(m)} ${m.service_name} → ${m.server_address}:${m.server_port}`;
const downstreamOf = (m) => `${envOf(m)} ${m.service_name} → ${m.latencylab_downstream_name}`;

function GraphServicePanels({ tick, shown, env, range }) {
  const regex = envRegex(shown);
  const rangeSeconds = RANGES[range];
  const data = useRefresh(
    tick,
    async () => {
      const where = `${env === "all" ? "" : ` in ${env}`} in the last ${range}`;
      const pools = `no graph services reporting database pools${where}`;
      const calls = `no graph services reporting downstream calls${where}`;
      const q = { env: regex, rangeSeconds };
      const panel = (expr, empty, label, suffix) => rangePanel(expr, { planes: [], range, empty, label, suffix });
      const sizes = queryInstant(namedQuery("db_pool_max", q)).then((rows) =>
        Object.fromEntries(rows.map((s) => [poolOf(s.metric), s.value])),
      );
      const sized = (size) => (m) => `${poolOf(m)}${size[poolOf(m)] ? ` (${size[poolOf(m)]} connections)` : ""}`;
      const [utilization, pending, wait, timeouts, rate, errors, p99, retries, rejections, breaker] = await Promise.all([
        sizes.then((size) => panel(namedQuery("db_pool_utilization", q), pools, sized(size))),
        panel(namedQuery("db_pool_pending", q), pools, poolOf),
        panel(namedQuery("db_pool_wait_p99", q), pools, poolOf),
        panel(namedQuery("db_pool_timeouts", q), pools, poolOf),
        panel(namedQuery("downstream_request_rate", q), calls, peerOf),
        panel(namedQuery("downstream_error_ratio", q), calls, (m) => `${peerOf(m)} ${m.error_type ?? "no errors"}`),
        panel(namedQuery("downstream_p99", q), calls, peerOf),
        panel(namedQuery("downstream_retries", q), calls, downstreamOf, "retries"),
        panel(namedQuery("downstream_breaker_rejections", q), calls, downstreamOf, "rejected"),
        panel(namedQuery("downstream_breaker_state", q), calls, downstreamOf),
      ]);
      return {
        utilization,
        pending,
        wait,
        timeouts,
        rate,
        errors,
        p99,
        retries: mergeResults([retries, rejections]),
        breaker,
      };
    },
    [regex, env, range],
  );
  const r = (key) => resultOf(data, key);
  return (
    <>
      <Panel id="pool-utilization" title="DB pool utilization: connections in use / pool size" unit="ratio" max={1} result={r("utilization")} />
      <Panel id="pool-pending" title="DB pool requests waiting for a connection" unit="count" result={r("pending")} />
      <Panel id="pool-wait" title="DB pool connection wait p99" unit="s" result={r("wait")} />
      <Panel id="pool-timeouts" title="DB pool acquire timeouts" unit="/s" result={r("timeouts")} />
      <Panel id="downstream-rate" title="Downstream call rate" unit="req/s" result={r("rate")} />
      <Panel id="downstream-errors" title="Downstream error ratio by error.type" unit="ratio" result={r("errors")} />
      <Panel id="downstream-p99" title="Downstream call duration p99" unit="s" result={r("p99")} />
      <Panel id="downstream-retries" title="Downstream retries and breaker rejections" unit="/s" result={r("retries")} />
      <Panel id="downstream-breaker" title="Downstream circuit breaker state" unit="breaker" max={2}
             note="0 closed, 1 half open, 2 open; downstreams without a breaker report none" result={r("breaker")} />
    </>
  );
}

// p50, p95 and p99 in one chart: one result with all their series.
function mergeResults(results) {
  const failed = results.find((r) => r.status === "error");
  if (failed) return failed;
  const series = results.flatMap((r) => r.series);
  const missing = [...new Set(results.flatMap((r) => r.missing))];
  return { ...results[0], series, missing, emptyMessage: results[0].emptyMessage };
}

// ---------------------------------------------------------------------------------------------

function age(isoTime) {
  const t = Date.parse(isoTime);
  if (!Number.isFinite(t) || t <= 0) return "never";
  return `${Math.max(0, Math.round((Date.now() - t) / 1000))} s ago`;
}

const figure = (value, unit) => {
  if (value == null || !Number.isFinite(value)) return "–";
  if (unit === "ratio") return `${(value * 100).toFixed(1)}%`;
  if (unit === "s") return value < 1 ? `${(value * 1000).toFixed(0)} ms` : `${value.toFixed(2)} s`;
  if (unit === "count") return value.toFixed(0);
  return value < 10 ? value.toFixed(2) : value.toFixed(0);
};

export function LandingPage({ tick, planes, targetsByPlane, onLoaded }) {
  const regex = envRegex(planes);
  const data = useRefresh(
    tick,
    async () => {
      const [rate, errors, p95, active, firing] = await Promise.all([
        queryInstant(ruleSeries("env:http_server_requests:rate5m", regex)),
        queryInstant(ruleSeries("env:http_server_request_errors:ratio_rate5m", regex)),
        queryInstant(ruleSeries("env:http_server_request_duration_seconds:p95_rate5m", regex)),
        queryInstant(namedQuery("active_requests", { env: regex })),
        alerts(),
      ]);
      // plane -> service -> value: a graph's plane (shop) runs several services.
      const byEnv = (rows) => {
        const out = {};
        for (const r of rows) (out[envOf(r.metric)] ??= {})[r.metric.service_name ?? ""] = r.value;
        return out;
      };
      const alertCount = {};
      for (const a of firing.alerts.filter((a) => a.state === "firing")) {
        const env = a.labels.deployment_environment_name;
        alertCount[env] = (alertCount[env] ?? 0) + 1;
      }
      return { rate: byEnv(rate), errors: byEnv(errors), p95: byEnv(p95), active: byEnv(active), alertCount };
    },
    [regex],
    onLoaded,
  );
  if (!planes.length) return <Message state="empty">no data planes configured: Prometheus has no dataplane-* scrape job</Message>;
  return (
    <div className="cards">
      {planes.map((plane) => {
        const target = targetsByPlane[plane];
        const up = target?.health === "up";
        const hasData = data && !data.error && data.rate[plane] != null;
        const services = hasData ? Object.keys(data.rate[plane]).sort() : [];
        return (
          <section key={plane} className={`card ${up ? "up" : "down"}`} data-plane={plane} data-health={target?.health}>
            <h2>{plane}</h2>
            <p className="health">
              {up ? `healthy · scraped ${age(target?.lastScrape)}` : `down${target?.lastError ? `: ${target.lastError}` : ""} · last attempt ${age(target?.lastScrape)}`}
              {data && !data.error && data.alertCount[plane] ? ` · ${data.alertCount[plane]} alert(s) firing` : ""}
            </p>
            {!data && <Message state="loading">loading…</Message>}
            {data?.error && <Message state="error">{data.error}</Message>}
            {data && !data.error && !hasData && <Message state="empty">no data for {plane} in the last 5m</Message>}
            {services.map((service) => {
              const of = (figures) => figures[plane]?.[service];
              return (
                <div key={service} data-service={service}>
                  {services.length > 1 && <h4>{service}</h4>}
                  <dl className="figures">
                    <div data-figure="rate"><dt>requests</dt><dd>{figure(of(data.rate))} /s</dd></div>
                    <div data-figure="errors"><dt>5xx</dt><dd>{figure(of(data.errors), "ratio")}</dd></div>
                    <div data-figure="p95"><dt>p95</dt><dd>{figure(of(data.p95), "s")}</dd></div>
                    <div data-figure="active"><dt>in flight</dt><dd>{figure(of(data.active), "count")}</dd></div>
                  </dl>
                </div>
              );
            })}
          </section>
        );
      })}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

export function StatusPage({ tick, planes, targetsByPlane, onLoaded }) {
  const data = useRefresh(
    tick,
    async () => {
      const [samples, processes] = await Promise.all([
        queryInstant(namedQuery("scrape_samples")),
        queryInstant(namedQuery("processes_per_plane", { env: envRegex(planes) })),
      ]);
      return {
        samples: Object.fromEntries(samples.map((s) => [s.metric.job, s.value])),
        processes: Object.fromEntries(processes.map((s) => [envOf(s.metric), s.value])),
      };
    },
    [envRegex(planes)],
    onLoaded,
  );
  if (!planes.length) return <Message state="empty">no data planes configured: Prometheus has no dataplane-* scrape job</Message>;
  return (
    <table className="status">
      <thead>
        <tr>
          <th>plane</th><th>scrape job</th><th>Collector endpoint</th><th>health</th><th>last scrape</th>
          <th>scrape took</th><th>samples</th><th>processes exporting</th><th>last error</th>
        </tr>
      </thead>
      <tbody>
        {planes.map((plane) => {
          const t = targetsByPlane[plane];
          const ok = data && !data.error;
          return (
            <tr key={plane} data-plane={plane} data-health={t.health} data-last-scrape={t.lastScrape}>
              <td>{plane}</td>
              <td>{t.job}</td>
              <td>{t.url}</td>
              <td className={t.health}>{t.health}</td>
              <td>{age(t.lastScrape)}</td>
              <td>{(t.lastScrapeDuration * 1000).toFixed(1)} ms</td>
              <td>{ok ? (data.samples[t.job] ?? "none") : data?.error ?? "…"}</td>
              <td>{ok ? (data.processes[plane] ?? `no metrics from ${plane}`) : "…"}</td>
              <td>{t.lastError || "–"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

// ---------------------------------------------------------------------------------------------

export function SloPage({ tick, planes, range, onLoaded }) {
  const regex = envRegex(planes);
  const rangeSeconds = RANGES[range];
  const data = useRefresh(
    tick,
    async () => {
      const opts = { planes, range };
      const [availability, latency, list] = await Promise.all([
        rangePanel(namedQuery("availability_burn_rate_1h", { env: regex, rangeSeconds }), opts),
        rangePanel(namedQuery("latency_burn_rate_1h", { env: regex, rangeSeconds }), opts),
        alerts().then(
          (d) => d.alerts,
          (e) => ({ error: e.message }),
        ),
      ]);
      return { availability, latency, list };
    },
    [regex, range],
    onLoaded,
  );
  const r = (key) => resultOf(data, key);
  const list = data?.list;
  return (
    <>
      <div className="grid">
        <Panel id="availability-burn" title="Availability burn rate (1h)" unit="x" threshold={1}
               note="1 spends the 5% error budget in exactly 30 days; pages at 14.4 (1h) and 6 (6h)" result={r("availability")} />
        <Panel id="latency-burn" title="Latency burn rate (1h)" unit="x" threshold={1}
               note="1 spends the 1% budget of requests over 0.5 s in exactly 30 days" result={r("latency")} />
      </div>
      <section className="panel alerts" data-panel="alerts" data-state={!list ? "loading" : list.error ? "error" : list.length ? "ok" : "empty"}>
        <h3>Alerts (pending and firing)</h3>
        {!list && <Message state="loading">loading…</Message>}
        {list?.error && <Message state="error">{list.error}</Message>}
        {Array.isArray(list) && list.length === 0 && <Message state="empty">no alerts pending or firing</Message>}
        {Array.isArray(list) && list.length > 0 && (
          <table>
            <thead>
              <tr><th>alert</th><th>state</th><th>environment</th><th>severity</th><th>since</th><th>summary</th></tr>
            </thead>
            <tbody>
              {list.map((a) => (
                <tr key={JSON.stringify(a.labels)} data-alert={a.labels.alertname} data-state={a.state}
                    data-env={a.labels.deployment_environment_name ?? ""}>
                  <td>{a.labels.alertname}</td>
                  <td className={a.state}>{a.state}</td>
                  <td>{a.labels.deployment_environment_name ?? "–"}</td>
                  <td>{a.labels.severity ?? "–"}</td>
                  <td>{new Date(a.activeAt).toLocaleTimeString()}</td>
                  <td>{a.annotations.summary ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
