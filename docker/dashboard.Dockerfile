# syntax=docker/dockerfile:1
# The control-plane dashboard's image: `docker build -f docker/dashboard.Dockerfile .` from the
# repo root (compose.yaml's `dashboard` service does this). Two stages:
#   build:   Node 20 (dashboard/package.json `engines`) runs `npm ci` from the committed lockfile
#            and the same Vite build scripts/build-dashboard.sh runs natively;
#   runtime: a pinned nginx with config/nginx/dashboard.conf.template, the server block the
#            native stack's nginx uses, filled in by the image's envsubst step at start.
#
#   docker build -f docker/dashboard.Dockerfile -t latencylab-dashboard:local .

FROM node:20.19.2-bookworm-slim AS build
WORKDIR /src/dashboard
COPY dashboard/package.json dashboard/package-lock.json dashboard/.npmrc ./
RUN npm ci --no-audit --no-fund
COPY config/dashboard-queries.json /src/config/
COPY dashboard/ ./
RUN npx --no-install vite build --outDir /dist --emptyOutDir

FROM nginx:1.28.0-alpine
COPY --from=build /dist /usr/share/nginx/html
# /etc/nginx/templates/*.template -> /etc/nginx/conf.d/ (replacing the image's default server);
# only variables set in the environment are substituted, so nginx's own $uri stays.
COPY config/nginx/dashboard.conf.template /etc/nginx/templates/default.conf.template
ENV DASHBOARD_LISTEN=8080 \
    DASHBOARD_ROOT=/usr/share/nginx/html \
    PROMETHEUS_URL=http://prometheus:9090 \
    DASHBOARD_RESOLVER="resolver 127.0.0.11 valid=10s;"
EXPOSE 8080
