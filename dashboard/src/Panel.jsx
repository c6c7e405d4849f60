// A titled chart panel that is never a blank box: while loading, on an error
// and without data it says so in words; with data it draws an ECharts line
// chart and registers the instance in window.latencylabCharts[id] (the browser
// test reads the points from there).
//
//   <Panel id="request-rate" title="Request rate" result={result} unit="req/s" />
//   (threshold={0.05} draws a dashed line kept in view; max={1} fixes the top of the y axis)
//   result: { status: "loading" } | { status: "error", message } |
//           { status: "ok", series: [{ name, points: [[ms, value]] }], missing: ["qa"] }
import { useEffect, useRef } from "react";
import * as echarts from "echarts/core";
import { LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);
window.latencylabCharts = window.latencylabCharts ?? {};

const formatters = {
  "req/s": (v) => `${v.toFixed(v < 10 ? 2 : 0)}`,
  ratio: (v) => `${(v * 100).toFixed(1)}%`,
  s: (v) => (v < 1 ? `${(v * 1000).toFixed(v < 0.01 ? 2 : 0)} ms` : `${v.toFixed(2)} s`),
  count: (v) => `${Math.round(v)}`,
  x: (v) => `${v.toFixed(1)}x`,
  "/s": (v) => `${v.toFixed(v < 10 ? 2 : 0)}/s`,
  breaker: (v) => ["closed", "half open", "open"][Math.round(v)] ?? String(v),
};

function Chart({ id, series, unit, threshold, max }) {
  const ref = useRef(null);
  const chart = useRef(null);
  useEffect(() => {
    chart.current = echarts.init(ref.current);
    window.latencylabCharts[id] = chart.current;
    const observer = new ResizeObserver(() => chart.current.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      delete window.latencylabCharts[id];
      chart.current.dispose();
    };
  }, [id]);
  useEffect(() => {
    const format = formatters[unit] ?? String;
    chart.current.setOption(
      {
        animation: false,
        grid: { left: 64, right: 16, top: 32, bottom: 28 },
        legend: { top: 0, type: "scroll" },
        tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "-" : format(v)) },
        xAxis: { type: "time" },
        yAxis: {
          type: "value",
          minInterval: unit === "count" || unit === "breaker" ? 1 : 0,
          // Keep the threshold in view even while every line is far below it.
          max: max ?? (threshold != null ? (extent) => Math.max(extent.max, threshold * 1.25) : undefined),
          axisLabel: { formatter: format },
        },
        series: series.map((s, i) => ({
          name: s.name,
          type: "line",
          showSymbol: false,
          connectNulls: false,
          data: s.points,
          ...(i === 0 && threshold != null
            ? {
                markLine: {
                  silent: true,
                  symbol: "none",
                  lineStyle: { color: "#d33", type: "dashed" },
                  label: { formatter: `threshold ${format(threshold)}`, position: "insideEndTop" },
                  data: [{ yAxis: threshold }],
                },
              }
            : {}),
        })),
      },
      { notMerge: true },
    );
  }, [series, unit, threshold, max]);
  return <div className="chart" ref={ref} />;
}

export function Message({ state, children }) {
  return (
    <div className={`message message-${state}`} role={state === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

export function Panel({ id, title, result, unit, threshold, max, note }) {
  const state = result.status === "ok" ? (result.series.length ? "ok" : "empty") : result.status;
  return (
    <section className="panel" data-panel={id} data-state={state}>
      <h3>{title}</h3>
      {note && <p className="note">{note}</p>}
      {state === "loading" && <Message state="loading">loading…</Message>}
      {state === "error" && <Message state="error">{result.message}</Message>}
      {state === "empty" && <Message state="empty">{result.emptyMessage}</Message>}
      {state === "ok" && (
        <>
          {result.missing?.length > 0 && (
            <Message state="partial">{result.missing.map((p) => `no data for ${p}`).join(", ")} in the last {result.rangeLabel}</Message>
          )}
          <Chart id={id} series={result.series} unit={unit} threshold={threshold} max={max} />
        </>
      )}
    </section>
  );
}

// A panel for metrics other work will add; until then it says what is missing.
export function PendingPanel({ id, title, message }) {
  return (
    <section className="panel" data-panel={id} data-state="empty">
      <h3>{title}</h3>
      <Message state="empty">{message}</Message>
    </section>
  );
}
