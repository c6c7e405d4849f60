// Vite build of the control-plane dashboard: scripts/build-dashboard.sh runs
// `vite build --outDir <cache>`; `npm run dev` serves it with Prometheus's API
// proxied like nginx does (PROMETHEUS_URL, default http://127.0.0.1:9090).
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  build: { chunkSizeWarningLimit: 1500 },
  server: {
    host: "127.0.0.1",
    // The shared query file lives in config/, outside this folder.
    fs: { allow: [".."] },
    proxy: { "/api/v1": process.env.PROMETHEUS_URL ?? "http://127.0.0.1:9090" },
  },
});
