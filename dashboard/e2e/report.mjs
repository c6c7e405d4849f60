#!/usr/bin/env node
// Browser test of a `latencylab load --report` page: headless Chromium (Debian's, driven by
// playwright-core) opens the file offline, with every request but the file itself blocked, and
// reads from the rendered SVG charts that each target's page shows its request count and data.
// The screenshot shows the page down to the end of the first target.
// Prints one [PASS]/[FAIL] line per check and exits non-zero on any failure.
// tests/e2e/stack_e2e.py runs it on the report of its load run:
//
//   node dashboard/e2e/report.mjs --report build/run.html --requests prod=1200,dev=1180 \
//     --screenshot build/shots/load-report.png
//
// --requests gives each target's completed requests as the run's --json reports them.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";

const { values: args } = parseArgs({
  options: {
    report: { type: "string" },
    requests: { type: "string" },
    screenshot: { type: "string" },
    chromium: { type: "string", default: process.env.CHROMIUM ?? "/usr/bin/chromium" },
  },
});
const expected = Object.fromEntries(
  args.requests.split(",").map((pair) => {
    const [name, count] = pair.split("=");
    return [name, Number(count)];
  }),
);

let failed = 0;
let passed = 0;
function check(name, ok, detail = "") {
  // Details only for failures: on success the name says it all.
  console.log(`[${ok ? "PASS" : "FAIL"}] report: ${name}${!ok && detail ? `: ${detail}` : ""}`);
  ok ? passed++ : failed++;
  return ok;
}

const reportUrl = pathToFileURL(resolve(args.report)).href;
const browser = await chromium.launch({ executablePath: args.chromium, args: ["--no-sandbox"] });
const context = await browser.newContext({ offline: true, viewport: { width: 1100, height: 900 } });
const page = await context.newPage();
const consoleErrors = [];
page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
page.on("pageerror", (e) => consoleErrors.push(String(e)));
const blocked = [];
await page.route("**/*", (route) => {
  if (route.request().url() === reportUrl) return route.continue();
  blocked.push(route.request().url());
  return route.abort();
});

try {
  const response = await page.goto(reportUrl, { waitUntil: "load" });
  check("the page opens from the file", response === null || response.ok(), reportUrl);

  // Everything read here comes from the rendered page: the SVG elements as the browser laid them out.
  const targets = await page.evaluate(() =>
    [...document.querySelectorAll("section.target")].map((section) => ({
      name: section.dataset.target,
      completed: [...section.querySelectorAll("table.summary tr")]
        .map((row) => [...row.cells].map((cell) => cell.textContent))
        .find(([label]) => label === "completed")?.[1],
      charts: [...section.querySelectorAll("svg.chart")].map((svg) => {
        const box = svg.getBoundingClientRect();
        return {
          title: svg.querySelector("title")?.textContent ?? "",
          text: svg.textContent,
          width: box.width,
          height: box.height,
          series: [...svg.querySelectorAll("polyline[data-series]")].map((line) => ({
            name: line.dataset.series,
            points: Number(line.dataset.points),
            drawn: line.getAttribute("points").trim().split(/\s+/).filter(Boolean).length,
            length: line.getTotalLength(),
          })),
        };
      }),
    })),
  );

  check("one section per target", targets.length === Object.keys(expected).length,
        `expected ${Object.keys(expected)}, page has ${targets.map((t) => t.name)}`);
  for (const [name, requests] of Object.entries(expected)) {
    const target = targets.find((t) => t.name === name);
    if (!check(`${name}: section present`, target !== undefined)) continue;
    check(`${name}: summary shows ${requests} completed requests`, target.completed === String(requests),
          `page says ${target.completed}`);
    check(`${name}: five charts, all rendered`,
          target.charts.length === 5 && target.charts.every((c) => c.width > 300 && c.height > 100),
          JSON.stringify(target.charts.map((c) => [c.title, Math.round(c.width), Math.round(c.height)])));
    for (const chart of target.charts) {
      const withData = chart.series.filter((s) => s.points > 0 && s.drawn === s.points);
      check(`${name}: "${chart.title}" has data`,
            withData.length > 0 && !chart.text.includes("no data"),
            JSON.stringify(chart.series.map((s) => [s.name, s.points, s.drawn])));
    }
    const spectrum = target.charts.find((c) => c.title.startsWith("latency percentile spectrum"));
    check(`${name}: the spectrum counts ${requests} requests`,
          spectrum !== undefined && spectrum.title.includes(`(${requests} requests)`), spectrum?.title);
    const all = spectrum?.series.find((s) => s.name === `all: ${requests} requests`);
    check(`${name}: the spectrum's "all" curve is drawn`, all !== undefined && all.points > 1 && all.length > 0,
          JSON.stringify(spectrum?.series));
  }
  check("nothing was requested from the network", blocked.length === 0, blocked.join(" "));
  check("no console errors", consoleErrors.length === 0, consoleErrors.join(" | "));
  if (args.screenshot) {
    mkdirSync(dirname(args.screenshot), { recursive: true });
    // The page down to the end of the first target: the others look the same.
    const end = await page.evaluate(() => {
      const first = document.querySelector("section.target");
      return first ? first.getBoundingClientRect().bottom + window.scrollY : document.body.scrollHeight;
    });
    await page.screenshot({ path: args.screenshot, fullPage: true, clip: { x: 0, y: 0, width: 1100, height: end } });
  }
} catch (e) {
  check("report page test ran", false, String(e));
} finally {
  await browser.close();
}
console.log(`report: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
