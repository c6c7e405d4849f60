#!/usr/bin/env bash
# Runs the compose.yaml topology as local processes, for machines without a
# container engine (and for tests/e2e): three latencylab data planes (prod, dev,
# qa), each with its own OpenTelemetry Collector (built by
# scripts/build-otelcol.sh), Debian's Prometheus scraping one job per plane, and
# the control-plane dashboard served by Debian's nginx, from the same config
# files, every listener on 127.0.0.1. With `--graph shop`, also the shop graph
# (config/graphs/shop.json) as a fourth environment, `shop`: one process per
# service (shop-frontend, shop-orders, shop-inventory, shop-payments) and its
# own Collector, scraped as job dataplane-shop (compose: profile `shop`).
#
#   scripts/stack.sh up        # start whatever is not running, wait until ready, print URLs
#   scripts/stack.sh up --graph shop   # ... and the shop graph; later `up`s keep it until `down`
#   scripts/stack.sh status    # what runs, where
#   scripts/stack.sh logs [NAME] [-f]
#   scripts/stack.sh stop NAME # stop one component (`up` starts it again)
#   scripts/stack.sh down      # stop everything `up` started
#   scripts/stack.sh plan [--graph shop]   # write what `up` would run to $STACK_DIR/plan/, run nothing
#
# State lives in $STACK_DIR (default .stack/): pids/, logs/, the generated
# prometheus.yml and Prometheus's data. `down` stops exactly the processes
# recorded there.
#
# Environment (defaults in brackets):
#   STACK_LATENCYLAB_BIN     latencylab binary [build/release/src/app/latencylab, then build/dev/...]
#                            (not LATENCYLAB_*: the service rejects unknown LATENCYLAB_ variables)
#   OTELCOL_BIN              Collector binary [built/cached by scripts/build-otelcol.sh]
#   PROMETHEUS_BIN           [prometheus on PATH]
#   STACK_DIR                [<repo>/.stack]
#   STACK_TIME_SCALE         multiplies every simulated latency [1]
#   STACK_EXPORT_INTERVAL_MS OTEL_METRIC_EXPORT_INTERVAL of the data planes [10000]
#   STACK_SCRAPE_INTERVAL    Prometheus scrape and rule evaluation interval [10s]
#   STACK_PROD_PORT, STACK_DEV_PORT, STACK_QA_PORT           [8081, 8082, 8083]
#   STACK_SHOP_FRONTEND_PORT, STACK_SHOP_ORDERS_PORT, STACK_SHOP_INVENTORY_PORT,
#   STACK_SHOP_PAYMENTS_PORT                                 [8101, 8102, 8103, 8104]
#   Each plane's Collector listens on these ports plus 10 x the plane's index
#   (prod 0, dev 1, qa 2, shop 3): prod's OTLP/gRPC on 4317, dev's on 4327, qa's
#   on 4337, shop's on 4347.
#   STACK_OTLP_GRPC_PORT, STACK_OTLP_HTTP_PORT               [4317, 4318]
#   STACK_COLLECTOR_METRICS_PORT (exporter), STACK_COLLECTOR_SELF_PORT,
#   STACK_COLLECTOR_HEALTH_PORT                              [8889, 8888, 13133]
#   STACK_PROMETHEUS_PORT                                    [9090]
#   STACK_DASHBOARD_PORT                                     [8090]
#   DASHBOARD_DIST           the dashboard's built files [built/cached by scripts/build-dashboard.sh]
#   NGINX_BIN                [nginx on PATH, else /usr/sbin/nginx]
#   STACK_ENV_PROD, STACK_ENV_DEV, STACK_ENV_QA, STACK_ENV_SHOP: extra
#       "KEY=VALUE ..." for one data plane (shop: each of its services), applied
#       last, e.g. GET /api/users failing half the time (graph_overrides, docs/GRAPHS.md):
#       STACK_ENV_QA="LATENCYLAB_GRAPH_OVERRIDES=services.latencylab.routes[0].steps[1].fail.probability=0.5"
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

stack_dir="${STACK_DIR:-${repo_root}/.stack}"
pid_dir="${stack_dir}/pids"
log_dir="${stack_dir}/logs"

time_scale="${STACK_TIME_SCALE:-1}"
export_interval_ms="${STACK_EXPORT_INTERVAL_MS:-10000}"
scrape_interval="${STACK_SCRAPE_INTERVAL:-10s}"

prod_port="${STACK_PROD_PORT:-8081}"
dev_port="${STACK_DEV_PORT:-8082}"
qa_port="${STACK_QA_PORT:-8083}"
otlp_grpc_port="${STACK_OTLP_GRPC_PORT:-4317}"
otlp_http_port="${STACK_OTLP_HTTP_PORT:-4318}"
collector_metrics_port="${STACK_COLLECTOR_METRICS_PORT:-8889}"
collector_self_port="${STACK_COLLECTOR_SELF_PORT:-8888}"
collector_health_port="${STACK_COLLECTOR_HEALTH_PORT:-13133}"
prometheus_port="${STACK_PROMETHEUS_PORT:-9090}"
dashboard_port="${STACK_DASHBOARD_PORT:-8090}"

# The shop graph's services and the one table of their ports: each process
# listens on its port and reaches the others through --peer flags built from
# this table, so the urls in config/graphs/shop.json need not match.
shop_services=(frontend orders inventory payments)
declare -A shop_port=(
    [frontend]="${STACK_SHOP_FRONTEND_PORT:-8101}"
    [orders]="${STACK_SHOP_ORDERS_PORT:-8102}"
    [inventory]="${STACK_SHOP_INVENTORY_PORT:-8103}"
    [payments]="${STACK_SHOP_PAYMENTS_PORT:-8104}"
)
# `up --graph shop` records the choice here; `down` forgets it.
graphs_file="${stack_dir}/graphs"

planes=(prod dev qa shop)

# plane_port BASE PLANE: the port of PLANE's Collector listener whose prod port
# is BASE (one Collector per plane, every port shifted by 10 per plane).
plane_port() {
    local base="$1" plane="$2" i
    for i in "${!planes[@]}"; do
        [[ "${planes[i]}" == "${plane}" ]] && { echo $((base + 10 * i)); return; }
    done
    die "unknown plane ${plane}"
}

# Start order; `down` stops in reverse. The data planes come last so their
# first export finds their Collector listening (they would retry anyway); the
# shop's callees start before the services that call them.
base_components=(otel-collector-prod otel-collector-dev otel-collector-qa prometheus dashboard prod dev qa)
shop_components=(otel-collector-shop shop-payments shop-inventory shop-orders shop-frontend)
shop_enabled() { [[ -f "${graphs_file}" ]] && grep -qx shop "${graphs_file}"; }
components=("${base_components[@]}")
if shop_enabled; then
    components+=("${shop_components[@]}")
fi
# Every component `down` and `stop` know, shop or not.
all_components=("${base_components[@]}" "${shop_components[@]}")

log() { printf 'stack: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

pid_of() {
    local file="${pid_dir}/$1.pid"
    [[ -f "${file}" ]] && cat "${file}"
}

# Alive and still the process we started: pid files can outlive their process
# and pids get reused, so check the STACK_COMPONENT marker `start` puts in the
# process's environment. nginx overwrites its environment with its process
# title, which keeps its command line: the dashboard is recognised by the
# prefix directory `start_dashboard` gives it.
is_running() {
    local pid
    pid="$(pid_of "$1")" || return 1
    [[ -n "${pid}" ]] || return 1
    if [[ "$1" == dashboard ]]; then
        tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null | grep -qF -- "-p ${stack_dir}/dashboard/ "
    else
        grep -qz "^STACK_COMPONENT=$1\$" "/proc/${pid}/environ" 2>/dev/null
    fi
}

# A process that exited but was not reaped yet (a zombie) counts as stopped:
# its parent, once `up` has exited, is whatever reaper adopted it.
is_alive() {
    local state
    state="$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" || return 1
    [[ -n "${state}" && "${state}" != Z ]]
}

wait_http_ok() {
    local name="$1" url="$2" timeout_s="$3" pid
    pid="$(pid_of "${name}")"
    local deadline=$((SECONDS + timeout_s))
    until curl -fsS -o /dev/null --max-time 2 "${url}" 2>/dev/null; do
        if ! is_alive "${pid}"; then
            log "${name} exited during startup; last lines of ${log_dir}/${name}.log:"
            tail -n 20 "${log_dir}/${name}.log" >&2 || true
            return 1
        fi
        if ((SECONDS >= deadline)); then
            log "${name} not ready at ${url} after ${timeout_s} s; last lines of its log:"
            tail -n 20 "${log_dir}/${name}.log" >&2 || true
            return 1
        fi
        sleep 0.2
    done
}

# start NAME COMMAND...: runs COMMAND in its own session (so a terminal's
# Ctrl-C or a test runner's signal does not hit it half-way), with
# STACK_COMPONENT=NAME in its environment so is_running can recognise it.
# Under `plan`, writes COMMAND to ${plan_commands}/NAME (NUL-separated) instead.
start() {
    local name="$1"
    shift
    if [[ -n "${plan_commands:-}" ]]; then
        printf '%s\0' "$@" >"${plan_commands}/${name}"
        return
    fi
    STACK_COMPONENT="${name}" setsid "$@" >"${log_dir}/${name}.log" 2>&1 </dev/null &
    echo $! >"${pid_dir}/${name}.pid"
    log "started ${name} (pid $!)"
}

find_latencylab() {
    if [[ -n "${STACK_LATENCYLAB_BIN:-}" ]]; then
        [[ -x "${STACK_LATENCYLAB_BIN}" ]] || die "STACK_LATENCYLAB_BIN=${STACK_LATENCYLAB_BIN} is not executable"
        printf '%s\n' "${STACK_LATENCYLAB_BIN}"
        return
    fi
    local candidate
    for candidate in "${repo_root}"/build/{release,dev}/src/app/latencylab; do
        [[ -x "${candidate}" ]] && { printf '%s\n' "${candidate}"; return; }
    done
    die "no latencylab binary: build it (cmake --preset release && cmake --build --preset release) or set STACK_LATENCYLAB_BIN"
}

# The compose prometheus.yml with this topology's addresses. Fails if the
# source no longer has the lines it rewrites, rather than scraping nothing.
# Compose finds the shop's Collector through DNS (no target without its
# profile); here that job is dropped, and written with a static target when
# the shop runs.
write_prometheus_config() {
    local out="${stack_dir}/prometheus.yml" plane
    local -a plane_addresses=()
    for plane in "${planes[@]}"; do
        plane_addresses+=(
            -e "s|\"otel-collector-${plane}:8889\"|\"127.0.0.1:$(plane_port "${collector_metrics_port}" "${plane}")\"|"
            -e "s|\"otel-collector-${plane}:8888\"|\"127.0.0.1:$(plane_port "${collector_self_port}" "${plane}")\"|")
    done
    sed "${plane_addresses[@]}" \
        -e "s|\"prometheus:9090\"|\"127.0.0.1:${prometheus_port}\"|" \
        -e "s|^  - prometheus/rules/\*\.yml$|  - ${repo_root}/config/prometheus/rules/*.yml|" \
        -e "s|^  scrape_interval: .*|  scrape_interval: ${scrape_interval}|" \
        -e "s|^  evaluation_interval: .*|  evaluation_interval: ${scrape_interval}|" \
        -e '/^  # BEGIN dataplane-shop$/,/^  # END dataplane-shop$/d' \
        "${repo_root}/config/prometheus.yml" >"${out}"
    grep -q '^scrape_configs:' "${out}" && ! grep -q '^[a-z_]*:' <(sed '1,/^scrape_configs:/d' "${out}") ||
        die "config/prometheus.yml changed shape: scrape_configs is no longer its last key"
    if shop_enabled; then
        # scrape_configs is the file's last key: this item joins its list.
        cat >>"${out}" <<EOF

  - job_name: dataplane-shop
    honor_labels: true
    static_configs:
      - targets: ["127.0.0.1:$(plane_port "${collector_metrics_port}" shop)"]
        labels: {deployment_environment_name: shop}
  - job_name: otel-collector-self-shop
    static_configs:
      - targets: ["127.0.0.1:$(plane_port "${collector_self_port}" shop)"]
EOF
    fi
    if grep -q -e 'otel-collector-[a-z]*:' -e '"prometheus:' -e '^  - prometheus/rules' "${out}"; then
        die "config/prometheus.yml changed shape: ${out} still has compose addresses"
    fi
    if command -v promtool >/dev/null; then
        promtool check config "${out}" >"${log_dir}/promtool.log" 2>&1 ||
            { cat "${log_dir}/promtool.log" >&2; die "generated ${out} is invalid"; }
    fi
}

# The data plane's environment, as in compose.yaml, then STACK_ENV_<PLANE>.
start_data_plane() {
    local name="$1" port="$2" latencylab="$3"
    local -a plane_env=(
        OTEL_METRICS_EXPORTER=otlp
        OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$(plane_port "${otlp_grpc_port}" "${name}")"
        OTEL_EXPORTER_OTLP_PROTOCOL=grpc
        OTEL_METRIC_EXPORT_INTERVAL="${export_interval_ms}"
        OTEL_SERVICE_NAME=latencylab
        OTEL_RESOURCE_ATTRIBUTES="deployment.environment.name=${name},data_plane_id=${name}-1"
        LATENCYLAB_TIME_SCALE="${time_scale}"
    )
    case "${name}" in
        dev)
            plane_env+=(LATENCYLAB_TIME_SCALE="$(awk -v s="${time_scale}" 'BEGIN { print s * 1.5 }')"
                        LATENCYLAB_LOG__ACCESS_LOG=true)
            ;;
        qa)
            # 15% errors on GET /api/users, POST /api/orders, POST /api/payments and
            # GET /api/search: the fail steps of config/graphs/default.json's routes 0, 1, 7, 5.
            local fail_step overrides=""
            for fail_step in 'routes[0].steps[1]' 'routes[1].steps[2]' 'routes[7].steps[2]' 'routes[5].steps[2]'; do
                overrides+="${overrides:+,}services.latencylab.${fail_step}.fail.probability=0.15"
            done
            plane_env+=(LATENCYLAB_GRAPH_OVERRIDES="${overrides}")
            ;;
    esac
    local extra_var="STACK_ENV_${name^^}"
    local -a extra=()
    read -r -a extra <<<"${!extra_var:-}"
    start "${name}" env "${plane_env[@]}" "${extra[@]}" \
        "${latencylab}" serve --config "${repo_root}/config/latencylab.json" \
        --address 127.0.0.1 --port "${port}"
}

# One service of the shop graph, as compose.yaml's shop profile runs it: its
# own OTEL_SERVICE_NAME, the environment `shop`, the shop's Collector, its port
# from shop_port and every other service reached through --peer.
start_shop_service() {
    local service="$1" latencylab="$2" peer
    local -a peers=()
    for peer in "${shop_services[@]}"; do
        [[ "${peer}" == "${service}" ]] || peers+=(--peer "${peer}=http://127.0.0.1:${shop_port[${peer}]}")
    done
    local -a extra=()
    read -r -a extra <<<"${STACK_ENV_SHOP:-}"
    start "shop-${service}" env \
        OTEL_METRICS_EXPORTER=otlp \
        OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$(plane_port "${otlp_grpc_port}" shop)" \
        OTEL_EXPORTER_OTLP_PROTOCOL=grpc \
        OTEL_METRIC_EXPORT_INTERVAL="${export_interval_ms}" \
        OTEL_SERVICE_NAME="${service}" \
        OTEL_RESOURCE_ATTRIBUTES="deployment.environment.name=shop,data_plane_id=shop-${service}" \
        LATENCYLAB_TIME_SCALE="${time_scale}" \
        "${extra[@]}" \
        "${latencylab}" serve --config "${repo_root}/config/latencylab.json" \
        --graph "${repo_root}/config/graphs/shop.json" --service "${service}" \
        --address 127.0.0.1 --port "${shop_port[${service}]}" "${peers[@]}"
}

start_collector() {
    local plane="$1" otelcol="$2"
    start "otel-collector-${plane}" env \
        OTELCOL_OTLP_GRPC_ENDPOINT="127.0.0.1:$(plane_port "${otlp_grpc_port}" "${plane}")" \
        OTELCOL_OTLP_HTTP_ENDPOINT="127.0.0.1:$(plane_port "${otlp_http_port}" "${plane}")" \
        OTELCOL_PROMETHEUS_ENDPOINT="127.0.0.1:$(plane_port "${collector_metrics_port}" "${plane}")" \
        OTELCOL_SELF_METRICS_HOST=127.0.0.1 \
        OTELCOL_SELF_METRICS_PORT="$(plane_port "${collector_self_port}" "${plane}")" \
        OTELCOL_HEALTH_ENDPOINT="127.0.0.1:$(plane_port "${collector_health_port}" "${plane}")" \
        "${otelcol}" --config "${repo_root}/config/otel-collector.yaml"
}

# nginx from Debian as this stack's own process (prefix under the state
# directory, no daemon, 127.0.0.1 only) with config/nginx/dashboard.conf.template,
# the server block compose's nginx image uses too, filled in with sed.
start_dashboard() {
    local dist="$1" nginx="$2" prefix="${stack_dir}/dashboard/"
    mkdir -p "${prefix}"
    sed -e "s|\${DASHBOARD_LISTEN}|127.0.0.1:${dashboard_port}|" \
        -e "s|\${DASHBOARD_ROOT}|${dist}|" \
        -e "s|\${PROMETHEUS_URL}|http://127.0.0.1:${prometheus_port}|" \
        -e "s|\${DASHBOARD_RESOLVER}||" \
        "${repo_root}/config/nginx/dashboard.conf.template" >"${prefix}dashboard.conf"
    # Started as root, nginx would run its worker as nobody, who may not read a checkout under
    # a private home directory: the worker runs as whoever runs the stack.
    local worker_user=""
    [[ "$(id -u)" == 0 ]] && worker_user="user root;"
    cat >"${prefix}nginx.conf" <<EOF
daemon off;
${worker_user}
worker_processes 1;
pid ${prefix}nginx.pid;
error_log stderr;
events {}
http {
    include /etc/nginx/mime.types;
    access_log ${log_dir}/dashboard-access.log;
    include ${prefix}dashboard.conf;
}
EOF
    [[ -n "${plan_commands:-}" ]] ||
        "${nginx}" -t -q -e stderr -p "${prefix}" -c "${prefix}nginx.conf" >"${log_dir}/dashboard.log" 2>&1 ||
        { cat "${log_dir}/dashboard.log" >&2; die "generated ${prefix}nginx.conf is invalid"; }
    start dashboard "${nginx}" -e stderr -p "${prefix}" -c "${prefix}nginx.conf"
}

# start_component NAME: starts one component with the programs the caller
# (cmd_up, cmd_plan) has in its locals latencylab, otelcol, prometheus, nginx
# and dist.
start_component() {
    local name="$1"
    case "${name}" in
        otel-collector-*) start_collector "${name#otel-collector-}" "${otelcol}" ;;
        prometheus)
            start prometheus "${prometheus}" \
                --config.file="${stack_dir}/prometheus.yml" \
                --storage.tsdb.path="${stack_dir}/prometheus-data" \
                --storage.tsdb.retention.time=2d \
                --web.listen-address="127.0.0.1:${prometheus_port}"
            ;;
        dashboard) start_dashboard "${dist}" "${nginx}" ;;
        shop-*) start_shop_service "${name#shop-}" "${latencylab}" ;;
        *) start_data_plane "${name}" "$(plane_http_port "${name}")" "${latencylab}" ;;
    esac
}

plane_http_port() {
    case "$1" in
        prod) echo "${prod_port}" ;;
        dev) echo "${dev_port}" ;;
        qa) echo "${qa_port}" ;;
    esac
}

# Starts every component that is not running (all of them on a fresh stack;
# after `stop NAME`, just that one) and waits until each is ready.
cmd_up() {
    case "${1:-}" in
        "") ;;
        --graph)
            [[ "${2:-}" == shop ]] || die "up --graph: the one graph the stack runs is shop (config/graphs/shop.json)"
            if ! shop_enabled; then
                mkdir -p "${stack_dir}"
                echo shop >"${graphs_file}"
                components+=("${shop_components[@]}")
                # A running Prometheus re-reads its config (with the shop's job) on SIGHUP.
                if is_running prometheus; then
                    write_prometheus_config
                    kill -HUP "$(pid_of prometheus)"
                fi
            fi
            ;;
        *) die "up: unknown argument ${1} (up [--graph shop])" ;;
    esac
    local name
    local -a wanted=()
    for name in "${components[@]}"; do
        is_running "${name}" || wanted+=("${name}")
    done
    if ((${#wanted[@]} == 0)); then
        log "everything is running already"
        return 0
    fi
    command -v curl >/dev/null || die "curl is required"
    local latencylab otelcol prometheus nginx dist
    latencylab="$(find_latencylab)"
    otelcol="${OTELCOL_BIN:-$("${repo_root}/scripts/build-otelcol.sh")}"
    prometheus="${PROMETHEUS_BIN:-$(command -v prometheus)}" || die "prometheus is not installed"
    nginx="${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}"
    [[ -x "${nginx}" ]] || die "nginx is not installed (scripts/setup.sh installs it)"
    dist="${DASHBOARD_DIST:-$("${repo_root}/scripts/build-dashboard.sh")}"

    mkdir -p "${pid_dir}" "${log_dir}" "${stack_dir}/prometheus-data"
    # A failed start leaves nothing behind.
    trap 'log "startup failed; stopping what was started"; cmd_down' ERR

    write_prometheus_config

    for name in "${wanted[@]}"; do
        start_component "${name}"
        case "${name}" in
            otel-collector-*)
                wait_http_ok "${name}" "http://127.0.0.1:$(plane_port "${collector_health_port}" "${name#otel-collector-}")/" 30
                ;;
            prometheus) wait_http_ok prometheus "http://127.0.0.1:${prometheus_port}/-/ready" 60 ;;
            dashboard) wait_http_ok dashboard "http://127.0.0.1:${dashboard_port}/" 30 ;;
        esac
    done
    for name in "${wanted[@]}"; do
        case "${name}" in
            prod | dev | qa) wait_http_ok "${name}" "http://127.0.0.1:$(plane_http_port "${name}")/health" 30 ;;
            shop-*) wait_http_ok "${name}" "http://127.0.0.1:${shop_port[${name#shop-}]}/health" 30 ;;
        esac
    done
    trap - ERR

    cat <<EOM
stack is up (state in ${stack_dir})
  dashboard   http://127.0.0.1:${dashboard_port}
  prod        http://127.0.0.1:${prod_port}   its Collector: OTLP/gRPC 127.0.0.1:$(plane_port "${otlp_grpc_port}" prod)
  dev         http://127.0.0.1:${dev_port}   its Collector: OTLP/gRPC 127.0.0.1:$(plane_port "${otlp_grpc_port}" dev)
  qa          http://127.0.0.1:${qa_port}   its Collector: OTLP/gRPC 127.0.0.1:$(plane_port "${otlp_grpc_port}" qa)
  prometheus  http://127.0.0.1:${prometheus_port}
EOM
    if shop_enabled; then
        local service
        for service in "${shop_services[@]}"; do
            printf '  shop %-10s http://127.0.0.1:%s\n' "${service}" "${shop_port[${service}]}"
        done
        # The scenario's own target is the default frontend port; a moved one is named.
        local shop_load="latencylab load --scenario shop"
        [[ "${shop_port[frontend]}" == 8101 ]] ||
            shop_load+=" -t shop=http://127.0.0.1:${shop_port[frontend]} --rate 20"
        printf '  (shop: its Collector on OTLP/gRPC 127.0.0.1:%s; load: %s)\n' \
            "$(plane_port "${otlp_grpc_port}" shop)" "${shop_load}"
    fi
}

# Stops one component: SIGTERM, then SIGKILL if it outlives the service's
# 8 s drain timeout.
stop() {
    local name="$1" pid
    if ! is_running "${name}"; then
        rm -f "${pid_dir}/${name}.pid"
        return 0
    fi
    pid="$(pid_of "${name}")"
    kill -TERM "${pid}" 2>/dev/null || true
    local deadline=$((SECONDS + 12))
    while is_alive "${pid}" && ((SECONDS < deadline)); do
        sleep 0.1
    done
    if is_alive "${pid}"; then
        log "${name} (pid ${pid}) ignored SIGTERM for 12 s; killing it"
        kill -KILL "${pid}" 2>/dev/null || true
    fi
    rm -f "${pid_dir}/${name}.pid"
    log "stopped ${name}"
}

cmd_down() {
    local i
    for ((i = ${#all_components[@]} - 1; i >= 0; i--)); do
        stop "${all_components[i]}"
    done
    rm -f "${graphs_file}"
}

# What `up` would run on a fresh stack, written under $STACK_DIR/plan/ (replaced
# on each run) while nothing starts and a running stack is left alone:
# commands/NAME (each component's command line, NUL-separated, its environment
# first as `env KEY=VALUE...`, the programs by their names), prometheus.yml and
# dashboard/ as `up` generates them. tests/deploy compares it with compose.yaml.
cmd_plan() {
    stack_dir="${stack_dir}/plan"
    rm -rf "${stack_dir}"
    log_dir="${stack_dir}/logs"
    graphs_file="${stack_dir}/graphs"
    plan_commands="${stack_dir}/commands"
    mkdir -p "${plan_commands}" "${log_dir}"
    components=("${base_components[@]}")
    case "${1:-}" in
        "") ;;
        --graph)
            [[ "${2:-}" == shop ]] || die "plan --graph: the one graph the stack runs is shop (config/graphs/shop.json)"
            echo shop >"${graphs_file}"
            components+=("${shop_components[@]}")
            ;;
        *) die "plan: unknown argument ${1} (plan [--graph shop])" ;;
    esac
    local latencylab=latencylab otelcol=otelcol prometheus=prometheus nginx=nginx
    local dist="${DASHBOARD_DIST:-dashboard-dist}" name
    write_prometheus_config
    for name in "${components[@]}"; do
        start_component "${name}"
    done
    log "plan written to ${stack_dir}"
}

cmd_status() {
    local name pid any_down=0
    for name in "${components[@]}"; do
        if is_running "${name}"; then
            pid="$(pid_of "${name}")"
            printf '%-20s running (pid %s)\n' "${name}" "${pid}"
        else
            printf '%-20s stopped\n' "${name}"
            any_down=1
        fi
    done
    return "${any_down}"
}

cmd_logs() {
    local follow=() names=()
    local arg
    for arg in "$@"; do
        case "${arg}" in
            -f | --follow) follow=(-F) ;;
            *) names+=("${arg}") ;;
        esac
    done
    ((${#names[@]})) || names=("${components[@]}")
    local files=()
    for arg in "${names[@]}"; do
        [[ -f "${log_dir}/${arg}.log" ]] || die "no log for '${arg}' in ${log_dir}"
        files+=("${log_dir}/${arg}.log")
    done
    if ((${#follow[@]})); then
        tail -n 20 "${follow[@]}" "${files[@]}"
    else
        tail -n 20 "${files[@]}"
    fi
}

case "${1:-}" in
    up) shift; cmd_up "$@" ;;
    down) cmd_down ;;
    status) cmd_status ;;
    plan) shift; cmd_plan "$@" ;;
    logs) shift; cmd_logs "$@" ;;
    stop)
        [[ " ${all_components[*]} " == *" ${2:-} "* ]] || die "stop NAME: one of ${all_components[*]}"
        stop "$2"
        ;;
    *)
        sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
        exit 2
        ;;
esac
