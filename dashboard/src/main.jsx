// The latencylab control-plane dashboard: pages for the data planes, their
// metrics, their scrape status and their SLOs, over Prometheus's API on this
// page's origin. Navigation is by URL hash (#/metrics?env=qa&range=15m), so a
// page can be bookmarked and nginx serves one index.html.
import { StrictMode, useCallback, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { LandingPage, MetricsPage, SloPage, StatusPage } from "./pages.jsx";
import { planesOf, RANGES, targets } from "./prometheus.js";
import "./styles.css";

const PAGES = { "": "Data planes", metrics: "Metrics", status: "Status", slo: "SLOs & alerts" };
const REFRESH = { off: 0, "10s": 10000, "30s": 30000, "1m": 60000 };

function readHash() {
  const [path, query = ""] = window.location.hash.replace(/^#\/?/, "").split("?");
  const params = new URLSearchParams(query);
  return {
    page: path in PAGES ? path : "",
    env: params.get("env") ?? "all",
    range: params.get("range") in RANGES ? params.get("range") : "5m",
    refresh: params.get("refresh") in REFRESH ? params.get("refresh") : "30s",
  };
}

function writeHash({ page, env, range, refresh }) {
  window.location.hash = `#/${page}?${new URLSearchParams({ env, range, refresh })}`;
}

function App() {
  const [view, setView] = useState(readHash);
  const [tick, setTick] = useState(0);
  const [planes, setPlanes] = useState({ list: [], byPlane: {}, error: null, loaded: false });
  const [lastUpdate, setLastUpdate] = useState(null);
  const [pageError, setPageError] = useState(null);

  useEffect(() => {
    const onHash = () => setView(readHash());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  const update = (change) => writeHash({ ...view, ...change });

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    const ms = REFRESH[view.refresh];
    if (!ms) return undefined;
    const id = setInterval(refresh, ms);
    return () => clearInterval(id);
  }, [view.refresh, refresh]);

  // The configured planes come from Prometheus's scrape targets, on every refresh.
  useEffect(() => {
    let current = true;
    targets().then(
      (data) => {
        if (!current) return;
        const list = planesOf(data.activeTargets);
        setPlanes({ list: list.map((p) => p.plane), byPlane: Object.fromEntries(list.map((p) => [p.plane, p])), error: null, loaded: true });
      },
      (error) => current && setPlanes((p) => ({ ...p, error: error.message, loaded: true })),
    );
    return () => {
      current = false;
    };
  }, [tick]);

  const onLoaded = useCallback((error) => {
    setPageError(error);
    if (!error) setLastUpdate(new Date());
  }, []);

  const error = planes.error ?? pageError;
  const props = { tick, planes: planes.list, targetsByPlane: planes.byPlane, env: view.env, range: view.range, onLoaded };
  return (
    <>
      <header>
        <h1>latencylab</h1>
        <nav>
          {Object.entries(PAGES).map(([page, title]) => (
            <a key={page} href={`#/${page}?${new URLSearchParams({ env: view.env, range: view.range, refresh: view.refresh })}`}
               className={page === view.page ? "current" : ""}>{title}</a>
          ))}
        </nav>
        <div className="controls">
          {view.page === "metrics" && (
            <label>
              environment{" "}
              <select name="env" value={view.env} onChange={(e) => update({ env: e.target.value })}>
                <option value="all">all</option>
                {planes.list.map((p) => <option key={p} value={p}>{p}</option>)}
              </select>
            </label>
          )}
          {(view.page === "metrics" || view.page === "slo") && (
            <label>
              range{" "}
              <select name="range" value={view.range} onChange={(e) => update({ range: e.target.value })}>
                {Object.keys(RANGES).map((r) => <option key={r} value={r}>{r}</option>)}
              </select>
            </label>
          )}
          <label>
            auto refresh{" "}
            <select name="refresh" value={view.refresh} onChange={(e) => update({ refresh: e.target.value })}>
              {Object.keys(REFRESH).map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </label>
          <button type="button" name="refresh-now" onClick={refresh}>Refresh</button>
          <span className="updated" data-last-update={lastUpdate?.toISOString() ?? ""}>
            {lastUpdate ? `updated ${lastUpdate.toLocaleTimeString()}` : "not updated yet"}
          </span>
        </div>
      </header>
      {error && <div className="banner" role="alert" data-error={error}>{error}</div>}
      <main data-page={view.page || "planes"}>
        {!planes.loaded ? (
          <p className="message message-loading">loading the data planes…</p>
        ) : planes.error && !planes.list.length ? (
          <p className="message message-error">{planes.error}: the data planes are not known yet</p>
        ) : (
          <>
            {view.page === "" && <LandingPage {...props} />}
            {view.page === "metrics" && <MetricsPage {...props} />}
            {view.page === "status" && <StatusPage {...props} />}
            {view.page === "slo" && <SloPage {...props} />}
          </>
        )}
      </main>
    </>
  );
}

createRoot(document.getElementById("root")).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
