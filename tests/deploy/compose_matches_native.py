#!/usr/bin/env python3
"""compose.yaml runs what scripts/stack.sh runs natively: checked without a container engine.

Nothing here starts a container (this machine has none) or a stack. The test reads compose.yaml as
`docker-compose config` resolves it (every profile), the images' Dockerfiles (what they copy where,
their ENTRYPOINT/CMD/ENV) and `scripts/stack.sh plan --graph shop` (the command lines, generated
prometheus.yml and nginx server block of the native stack, written without starting anything), and
checks that
  * every latencylab `serve` container's command and environment are accepted by the real binary
    (`serve --print-config`, which makes every startup check: config, graph service, peers,
    OTEL_* variables) with its container paths mapped to the files compose mounts or the image
    copies, that it listens on the port compose publishes and probes, and that its effective
    config equals that of its native counterpart (matched by data_plane_id) apart from addresses;
  * every downstream of a graph service is reached through a peer url that names the compose
    service running that graph service, on the port it listens on, as natively;
  * every OTLP endpoint names the Collector of the process's own plane (otel-collector-<env>) on
    its OTLP/gRPC port; Collectors are one per native plane, run config/otel-collector.yaml at the
    pinned version of config/otelcol-builder.yaml, and publish the native stack's ports;
  * the shop graph's services are the graph file's, with the ports of stack.sh's table (the
    graph file's urls use them too);
  * Prometheus scrapes the same jobs, with the same label sets, from the same components, and
    loads the same rule files, as the native prometheus.yml;
  * the dashboard's nginx is a pinned image serving the dashboard's Vite build with the server
    block the native nginx uses (config/nginx/dashboard.conf.template), every variable of it set;
  * load generators target the service whose network they join, with a built-in scenario whose
    requests that service routes, at the rate or stages of that scenario's target for the same
    process natively (the native demo runs `load --scenario dataplanes`, `--scenario shop`);
  * Grafana's provisioned datasource is compose's Prometheus, its dashboards are mounted;
  * the service image builds the binary as scripts/run.sh does (preset, options, target) from the
    packages of scripts/packages/build.txt;
  * every image is pinned (no `latest`), every published port binds 127.0.0.1, every bind mount
    exists.

  tests/deploy/compose_matches_native.py --latencylab build/dev/src/app/latencylab
Exits 1 naming every disagreement; needs python3 with PyYAML and docker-compose (v1 or v2's
`docker compose` is not used: the client-only `docker` here has no compose plugin).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import yaml

REPO = Path(__file__).resolve().parents[2]
SERVICE_DOCKERFILE = "docker/Dockerfile"
DASHBOARD_DOCKERFILE = "docker/dashboard.Dockerfile"
COLLECTOR_IMAGE = "otel/opentelemetry-collector-contrib"
PROMETHEUS_IMAGE = "prom/prometheus"
PROMETHEUS_PORT = 9090  # Prometheus's default --web.listen-address, which compose keeps


class Report:
    def __init__(self) -> None:
        self.failed = 0

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        print(f"[{'PASS' if ok else 'FAIL'}] {name}" + (f": {detail}" if detail and not ok else ""), flush=True)
        self.failed += not ok
        return ok


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Only PATH from this process: the binary rejects unknown LATENCYLAB_ variables, and demo knobs
    (QA_ERROR_RATE, STACK_*) in the caller's environment must not change what is compared."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **(extra or {})}


# ---------------------------------------------------------------------------------------------
# Reading the inputs.


@dataclass
class Stage:
    base: str  # the FROM image
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)


def read_dockerfile(path: Path) -> list[Stage]:
    """The stages of a Dockerfile, each with its instructions (continuations joined)."""
    text = re.sub(r"\\\n", " ", path.read_text())
    stages: list[Stage] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        op, _, rest = line.partition(" ")
        op = op.upper()
        if op == "FROM":
            words = rest.split()
            stages.append(Stage(words[0], words[2] if len(words) > 2 and words[1].upper() == "AS" else ""))
        elif stages:
            stages[-1].instructions.append((op, rest.strip()))
    return stages


@dataclass
class Image:
    """A locally built image: its stages, and what its final stage runs and holds."""

    stages: list[Stage]
    entrypoint: list[str]
    cmd: list[str]
    env: dict[str, str]
    healthcheck: list[str]
    copies: dict[str, str]  # container path -> repo path, for COPY from the build context
    copies_from_stage: dict[str, str]  # container path -> path in another stage


def read_image(dockerfile: Path) -> Image:
    stages = read_dockerfile(dockerfile)
    image = Image(stages, [], [], {}, [], {}, {})
    for op, rest in stages[-1].instructions:
        if op == "ENTRYPOINT":
            image.entrypoint = json.loads(rest)
        elif op == "CMD":
            image.cmd = json.loads(rest)
        elif op == "ENV":
            image.env.update(dict(word.split("=", 1) for word in shlex.split(rest)))
        elif op == "HEALTHCHECK":
            image.healthcheck = json.loads(rest[rest.index(" CMD ") + 5:])
        elif op == "COPY":
            words = rest.split()
            source_stage = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            paths = [w for w in words if not w.startswith("--")]
            for source in paths[:-1]:
                target = paths[-1]
                if target.endswith("/") and not source.endswith("/"):
                    target += PurePosixPath(source).name
                (image.copies_from_stage if source_stage else image.copies)[target.rstrip("/")] = source.rstrip("/")
    return image


def docker_compose_config() -> dict:
    if shutil.which("docker-compose") is None:
        sys.exit("docker-compose is not installed (scripts/setup.sh installs it, scripts/packages/test.txt)")
    proc = subprocess.run(["docker-compose", "-f", str(REPO / "compose.yaml"), "config"], cwd=REPO,
                          env=clean_env({"HOME": os.environ.get("HOME", "/tmp")}),
                          capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        sys.exit(f"docker-compose config failed:\n{proc.stderr}")
    return yaml.safe_load(proc.stdout)


@dataclass
class NativeCommand:
    env: dict[str, str]
    argv: list[str]


def native_plan(state_dir: Path) -> tuple[dict[str, NativeCommand], Path]:
    """`scripts/stack.sh plan --graph shop`: each component's command line, and the directory with
    the prometheus.yml and nginx server block it generated."""
    proc = subprocess.run([str(REPO / "scripts/stack.sh"), "plan", "--graph", "shop"], cwd=REPO,
                          env=clean_env({"STACK_DIR": str(state_dir)}), capture_output=True, text=True,
                          timeout=60)
    if proc.returncode != 0:
        sys.exit(f"scripts/stack.sh plan failed:\n{proc.stderr}")
    plan_dir = state_dir / "plan"
    commands = {}
    for path in sorted((plan_dir / "commands").iterdir()):
        words = path.read_bytes().decode().split("\0")[:-1]
        env: dict[str, str] = {}
        if words[0] == "env":
            words = words[1:]
            while "=" in words[0]:
                key, value = words.pop(0).split("=", 1)
                env[key] = value  # a later assignment wins, as with env(1)
        commands[path.name] = NativeCommand(env, words)
    return commands, plan_dir


# ---------------------------------------------------------------------------------------------
# Helpers over the resolved compose file.


def image_tag(image: str) -> tuple[str, str]:
    name, _, tag = image.rpartition(":") if ":" in image.rsplit("/", 1)[-1] else (image, "", "")
    return name, tag


def pinned(image: str) -> bool:
    """A tag that names a release: a version number, or for Debian a release's codename
    (debian:bookworm, -slim), not a moving name such as latest, stable or sid."""
    name, tag = image_tag(image)
    if name == "debian":
        return re.fullmatch(r"[a-z]+(-slim)?", tag) is not None and tag.split("-")[0] not in (
            "latest", "stable", "oldstable", "testing", "unstable", "sid")
    return re.search(r"\d", tag) is not None and "latest" not in tag


@dataclass
class Port:
    host_ip: str
    host_port: int
    container_port: int


def published_ports(service: dict) -> list[Port]:
    ports = []
    for entry in service.get("ports", []):
        if isinstance(entry, dict):  # the long syntax
            ports.append(Port(entry.get("host_ip", ""), int(entry["published"]), int(entry["target"])))
            continue
        spec = str(entry).split("/")[0]
        parts = spec.rsplit(":", 2)
        if len(parts) == 3:
            ports.append(Port(parts[0], int(parts[1]), int(parts[2])))
        else:  # no host address: every interface
            ports.append(Port("", int(parts[0]) if len(parts) == 2 else 0, int(parts[-1])))
    return ports


def bind_mounts(service: dict) -> dict[str, Path]:
    """container path -> host path, for bind mounts (docker-compose config makes sources absolute)."""
    mounts = {}
    for entry in service.get("volumes", []):
        source, target = (entry["source"], entry["target"]) if isinstance(entry, dict) else entry.split(":")[:2]
        if source.startswith("/"):
            mounts[target.rstrip("/")] = Path(source)
    return mounts


def container_path(path: str, mounts: dict[str, Path], image: Image | None) -> Path | None:
    """The repo file a container path is, through the service's mounts (first) and its image's
    COPY instructions; None when neither provides it."""
    layers = [(target, source) for target, source in mounts.items()]
    if image:
        layers += [(target, REPO / source) for target, source in image.copies.items()]
    for target, source in sorted(layers, key=lambda layer: -len(layer[0])):  # the deepest mount
        if path == target or path.startswith(target + "/"):
            return Path(str(source) + path[len(target):])
    return None


def built_from(service: dict, dockerfile: str) -> bool:
    build = service.get("build") or {}
    return Path(build.get("dockerfile", "")) == Path(dockerfile)


def local_images(compose: dict) -> dict[str, str]:
    """Images compose builds -> their Dockerfile: services that only name such an image run it."""
    return {s["image"]: s["build"]["dockerfile"] for s in compose["services"].values() if s.get("build")}


def runs_latencylab(compose: dict, service: dict) -> bool:
    return local_images(compose).get(service.get("image", "")) == SERVICE_DOCKERFILE


def url_host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)


def host_port(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host, int(port)


def resource_attributes(env: dict[str, str]) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in env.get("OTEL_RESOURCE_ATTRIBUTES", "").split(",") if "=" in pair)


def option_values(argv: list[str], *names: str) -> list[str]:
    """The values of a repeatable option, as `--name value` or `--name=value`."""
    values = []
    for i, word in enumerate(argv):
        for name in names:
            if word == name and i + 1 < len(argv):
                values.append(argv[i + 1])
            elif word.startswith(name + "="):
                values.append(word.split("=", 1)[1])
    return values


def peers_of(config: dict) -> dict[str, str]:
    return dict(peer.split("=", 1) for peer in config["peers"])


# ---------------------------------------------------------------------------------------------
# The latencylab services.


@dataclass
class Served:
    """One `latencylab serve` process, compose's or native, as the binary reads it."""

    name: str  # compose service or native component
    env: dict[str, str]
    config: dict  # --print-config
    graph_file: Path
    graph_service: str
    downstreams: list[str]  # graph services it calls

    @property
    def plane_id(self) -> str:
        return resource_attributes(self.env).get("data_plane_id", "")

    @property
    def environment(self) -> str:
        return resource_attributes(self.env).get("deployment.environment.name", "")

    @property
    def otlp_endpoint(self) -> str:
        return self.env.get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") or self.env.get("OTEL_EXPORTER_OTLP_ENDPOINT", "")


def print_config(report: Report, name: str, latencylab: str, argv: list[str], env: dict[str, str]) -> dict | None:
    proc = subprocess.run([latencylab, *argv, "--print-config"], env=clean_env(env), capture_output=True,
                          text=True, timeout=30)
    if not report.check(f"{name}: latencylab {shlex.join(argv)} accepts its environment and arguments",
                        proc.returncode == 0, (proc.stdout + proc.stderr).strip()[-1500:]):
        return None
    return json.loads(proc.stdout)


def graph_node(config: dict, graph_file: Path) -> tuple[str, list[str]]:
    graph = json.loads(graph_file.read_text())
    services = graph["services"]
    name = config["service"] or next(iter(services))
    downstreams = services[name].get("downstreams", {})
    return name, sorted({d["service"] for d in downstreams.values()})


def served_by_compose(report: Report, compose: dict, image: Image, latencylab: str) -> dict[str, Served]:
    served = {}
    for name, service in compose["services"].items():
        if not runs_latencylab(compose, service):
            continue
        argv = image.entrypoint[1:] + (service.get("command") or image.cmd)
        if argv[0] != "serve":
            continue
        mounts = bind_mounts(service)
        env = {k: str(v) for k, v in (service.get("environment") or {}).items()}

        def to_repo(value: str) -> str:
            if not value.startswith("/"):
                return value
            path = container_path(value, mounts, image)
            report.check(f"{name}: {value} is mounted or in the image", path is not None and path.exists(),
                         f"maps to {path}")
            return str(path)

        config = print_config(report, name, latencylab, [to_repo(a) for a in argv],
                              {k: to_repo(v) for k, v in env.items()})
        if config is None:
            continue
        graph_file = Path(config["graph"]) if config["graph"] else REPO / "config/graphs/default.json"
        served[name] = Served(name, env, config, graph_file, *graph_node(config, graph_file))
    return served


def served_natively(report: Report, plan: dict[str, NativeCommand], latencylab: str) -> dict[str, Served]:
    served = {}
    for name, command in plan.items():
        if command.argv[0] != "latencylab":
            continue
        config = print_config(report, f"native {name}", latencylab, command.argv[1:], command.env)
        if config is None:
            continue
        graph_file = Path(config["graph"]) if config["graph"] else REPO / "config/graphs/default.json"
        served[name] = Served(name, command.env, config, graph_file, *graph_node(config, graph_file))
    return served


def check_listening(report: Report, compose: dict, image: Image, served: dict[str, Served]) -> None:
    for name, process in served.items():
        service = compose["services"][name]
        port = process.config["server"]["port"]
        address = process.config["server"]["address"]
        report.check(f"{name}: listens on every interface of its container", address in ("0.0.0.0", "::"),
                     f"server.address {address}: a published port would reach nothing")
        ports = published_ports(service)
        report.check(f"{name}: publishes the port it listens on ({port})",
                     bool(ports) and all(p.container_port == port for p in ports),
                     f"published container ports {[p.container_port for p in ports]}")
        probe = (service.get("healthcheck") or {}).get("test") or ["CMD", *image.healthcheck]
        urls = option_values(probe, "--url")
        report.check(f"{name}: its healthcheck probes its own port",
                     probe[1:3] == ["latencylab", "healthcheck"] and len(urls) == 1
                     and url_host_port(urls[0]) == ("127.0.0.1", port), f"healthcheck {probe}")


def check_against_native(report: Report, compose: dict, ours: dict[str, Served], native: dict[str, Served],
                         collectors: dict[str, str]) -> None:
    """Each compose process has a native twin with the same data_plane_id and the same effective
    config, telemetry settings, downstream routing and published port."""
    by_id = {p.plane_id: p for p in native.values()}
    report.check("compose and the native stack run the same latencylab processes (by data_plane_id)",
                 sorted(p.plane_id for p in ours.values()) == sorted(by_id),
                 f"compose {sorted(p.plane_id for p in ours.values())}, native {sorted(by_id)}")
    native_by_port = {p.config["server"]["port"]: p for p in native.values()}
    for name, process in ours.items():
        twin = by_id.get(process.plane_id)
        if twin is None:
            continue

        def comparable(served: Served) -> dict:
            config = json.loads(json.dumps(served.config))
            for key in ("address", "port"):
                config["server"].pop(key)
            config.pop("peers")  # compared below as where each downstream goes
            config["graph"] = str(served.graph_file.resolve())
            return config

        ours_config, twin_config = comparable(process), comparable(twin)
        report.check(f"{name}: effective config equals native {twin.name}'s (addresses aside)",
                     ours_config == twin_config,
                     f"differs in {sorted(k for k in ours_config if ours_config[k] != twin_config.get(k))}")
        otel = {k: v for k, v in process.env.items() if k.startswith("OTEL_") and "ENDPOINT" not in k}
        twin_otel = {k: v for k, v in twin.env.items() if k.startswith("OTEL_") and "ENDPOINT" not in k}
        report.check(f"{name}: OTEL_* settings equal native {twin.name}'s (endpoint aside)", otel == twin_otel,
                     f"compose {otel}, native {twin_otel}")
        report.check(f"{name}: exports to the same plane's Collector as native {twin.name}",
                     collectors.get(process.otlp_endpoint) is not None
                     and collectors.get(process.otlp_endpoint) == collectors.get(twin.otlp_endpoint),
                     f"compose {process.otlp_endpoint}, native {twin.otlp_endpoint}")
        host_ports = [p.host_port for p in published_ports(compose["services"][name])]
        report.check(f"{name}: published on native {twin.name}'s port {twin.config['server']['port']}",
                     host_ports == [twin.config["server"]["port"]], f"published {host_ports}")

        # Where each downstream goes: the peer's compose service / native process, by plane id.
        for downstream in process.downstreams:
            url = peers_of(process.config).get(downstream)
            host, port = url_host_port(url) if url else ("", 0)
            target = ours.get(host)
            report.check(f"{name}: downstream {downstream} is reached at compose service {downstream!r}'s port",
                         target is not None and target.graph_service == downstream
                         and target.graph_file.resolve() == process.graph_file.resolve()
                         and port == target.config["server"]["port"],
                         f"peer {url!r} (no peer: the graph file's url, which is not this container)")
            twin_url = peers_of(twin.config).get(downstream)
            twin_target = native_by_port.get(url_host_port(twin_url)[1]) if twin_url else None
            report.check(f"{name}: downstream {downstream} is the same process as natively",
                         target is not None and twin_target is not None
                         and target.plane_id == twin_target.plane_id,
                         f"compose {url}, native {twin_url}")
        for peer, url in peers_of(process.config).items():
            report.check(f"{name}: peer {peer} names a compose service", url_host_port(url)[0] in compose["services"],
                         url)


def check_shop(report: Report, ours: dict[str, Served], native: dict[str, Served]) -> None:
    """The shop graph's names and ports: graph file = compose services = stack.sh's port table."""
    shop_file = (REPO / "config/graphs/shop.json").resolve()
    graph = json.loads(shop_file.read_text())["services"]
    in_compose = {p.graph_service: name for name, p in ours.items() if p.graph_file.resolve() == shop_file}
    in_native = {p.graph_service: p for p in native.values() if p.graph_file.resolve() == shop_file}
    report.check("the shop graph's services each run in compose, under their own names",
                 sorted(in_compose.items()) == sorted((s, s) for s in graph), f"compose {in_compose}")
    report.check("the shop graph's services each run natively", sorted(in_native) == sorted(graph),
                 f"native {sorted(in_native)}")
    for service, spec in graph.items():
        twin = in_native.get(service)
        report.check(f"shop {service}: the graph file's url port is stack.sh's port",
                     twin is not None and url_host_port(spec["url"])[1] == twin.config["server"]["port"],
                     f"graph {spec['url']}, native {twin.config['server']['port'] if twin else None}")


# ---------------------------------------------------------------------------------------------
# Collectors.


def collector_ports() -> dict[str, int]:
    """The listeners of config/otel-collector.yaml by the variable that moves them natively, with
    the port each has when the variable is unset (as in compose)."""
    text = (REPO / "config/otel-collector.yaml").read_text()
    ports = {var: int(port) for var, port in re.findall(r"\$\{env:(OTELCOL_\w+):-[\d.]*:(\d+)\}", text)}
    ports.update({var: int(port) for var, port in re.findall(r"\$\{env:(OTELCOL_\w+_PORT):-(\d+)\}", text)})
    return ports


def native_listener_port(env: dict[str, str], variable: str) -> int:
    return int(env[variable].rsplit(":", 1)[-1])


def check_collectors(report: Report, compose: dict, plan: dict[str, NativeCommand]) -> dict[str, str]:
    """Returns every OTLP/gRPC endpoint a Collector listens on, compose's and native, -> its name."""
    builder = yaml.safe_load((REPO / "config/otelcol-builder.yaml").read_text())
    version = builder["dist"]["version"]
    defaults = collector_ports()
    endpoints = {}
    ours = {name: s for name, s in compose["services"].items() if s.get("image", "").startswith(COLLECTOR_IMAGE + ":")}
    theirs = {name: c for name, c in plan.items() if name.startswith("otel-collector-")}
    report.check("one Collector per plane, named as natively", sorted(ours) == sorted(theirs),
                 f"compose {sorted(ours)}, native {sorted(theirs)}")
    for name, service in ours.items():
        report.check(f"{name}: runs the Collector version config/otelcol-builder.yaml builds ({version})",
                     image_tag(service["image"])[1] == version, service["image"])
        config_paths = option_values(service.get("command") or [], "--config")
        mounted = [container_path(p, bind_mounts(service), None) for p in config_paths]
        native = theirs.get(name)
        native_configs = [Path(p) for p in option_values(native.argv, "--config")] if native else []
        report.check(f"{name}: runs the config file the native Collector runs",
                     len(mounted) == 1 and mounted == native_configs, f"compose {mounted}, native {native_configs}")
        moved = sorted(k for k in (service.get("environment") or {}) if k in defaults)
        report.check(f"{name}: keeps the config's default listeners", not moved, f"sets {moved}")
        endpoints[f"http://{name}:{defaults['OTELCOL_OTLP_GRPC_ENDPOINT']}"] = name
        if native is None:
            continue
        endpoints[f"http://127.0.0.1:{native_listener_port(native.env, 'OTELCOL_OTLP_GRPC_ENDPOINT')}"] = name
        for port in published_ports(service):
            variable = next((v for v, p in defaults.items() if p == port.container_port), None)
            native_port = native_listener_port(native.env, variable) if variable in native.env else None
            report.check(f"{name}: publishes {variable or port.container_port} on the native port",
                         native_port == port.host_port, f"compose {port.host_port}, native {native_port}")
    return endpoints


def check_otlp_endpoints(report: Report, ours: dict[str, Served], collectors: dict[str, str]) -> None:
    for name, process in ours.items():
        expected = f"otel-collector-{process.environment}"
        report.check(f"{name}: exports over OTLP/gRPC to its plane's Collector ({expected})",
                     process.env.get("OTEL_METRICS_EXPORTER") == "otlp"
                     and process.env.get("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc") == "grpc"
                     and collectors.get(process.otlp_endpoint) == expected,
                     f"endpoint {process.otlp_endpoint!r}, environment {process.environment!r}")


# ---------------------------------------------------------------------------------------------
# Prometheus.


def scrape_jobs(config: dict, locate) -> dict[str, dict]:
    """Per job: honor_labels, the labels its targets get, and what it scrapes as (component, listener)
    found by `locate(host, port)`."""
    jobs = {}
    for job in config["scrape_configs"]:
        labels, targets = {}, set()
        for static in job.get("static_configs", []):
            labels.update(static.get("labels", {}))
            targets.update(locate(*host_port(t)) for t in static["targets"])
        for dns in job.get("dns_sd_configs", []):
            targets.update(locate(n, dns["port"]) for n in dns["names"])
        for relabel in job.get("relabel_configs", []):
            if not relabel.get("source_labels") and relabel.get("action", "replace") == "replace":
                labels[relabel["target_label"]] = relabel["replacement"]
        jobs[job["job_name"]] = {"honor_labels": job.get("honor_labels", False), "labels": labels,
                                 "metrics_path": job.get("metrics_path", "/metrics"), "targets": sorted(targets)}
    return jobs


def check_prometheus(report: Report, compose: dict, plan: dict[str, NativeCommand], plan_dir: Path) -> None:
    ours = [(n, s) for n, s in compose["services"].items() if s.get("image", "").startswith(PROMETHEUS_IMAGE + ":")]
    if not report.check("compose runs one Prometheus", len(ours) == 1, f"{[n for n, _ in ours]}"):
        return
    name, service = ours[0]
    mounts = bind_mounts(service)
    config_path = option_values(service.get("command") or [], "--config.file")
    config_file = container_path(config_path[0], mounts, None) if config_path else None
    if not report.check("prometheus: its --config.file is config/prometheus.yml",
                        config_file == REPO / "config/prometheus.yml", f"{config_path} -> {config_file}"):
        return
    config = yaml.safe_load(config_file.read_text())
    native = yaml.safe_load((plan_dir / "prometheus.yml").read_text())

    defaults = collector_ports()
    role_of_port = {p: v for v, p in defaults.items()}

    def in_compose(host: str, port: int) -> tuple[str, str]:
        if host == name:
            return (host, "web" if port == PROMETHEUS_PORT else f"port {port}")
        return (host if host in compose["services"] else f"{host} (no such service)", role_of_port.get(port, f"port {port}"))

    native_listeners = {}  # port -> (component, listener) of the native stack
    for component, command in plan.items():
        for variable in defaults:
            if variable in command.env:
                native_listeners[native_listener_port(command.env, variable)] = (component, variable)
        for address in option_values(command.argv, "--web.listen-address"):
            native_listeners[host_port(address)[1]] = (component, "web")

    def in_native(host: str, port: int) -> tuple[str, str]:
        return native_listeners.get(port, (f"{host}:{port} (nothing native listens there)", ""))

    ours_jobs, native_jobs = scrape_jobs(config, in_compose), scrape_jobs(native, in_native)
    report.check("prometheus: the same scrape jobs as natively", sorted(ours_jobs) == sorted(native_jobs),
                 f"compose {sorted(ours_jobs)}, native {sorted(native_jobs)}")
    for job in sorted(set(ours_jobs) & set(native_jobs)):
        report.check(f"prometheus job {job}: same labels, honor_labels and targets as natively",
                     ours_jobs[job] == native_jobs[job], f"compose {ours_jobs[job]}, native {native_jobs[job]}")
    for key in ("scrape_interval", "evaluation_interval"):
        report.check(f"prometheus: global {key} as natively", config["global"].get(key) == native["global"].get(key),
                     f"compose {config['global'].get(key)}, native {native['global'].get(key)}")

    config_dir = str(PurePosixPath(config_path[0]).parent)
    ours_rules = set()
    for pattern in config.get("rule_files", []):
        mapped = container_path(str(PurePosixPath(config_dir) / pattern), mounts, None)
        ours_rules.update(mapped.parent.glob(mapped.name) if mapped else [])
    native_rules = {f for pattern in native.get("rule_files", []) for f in Path(pattern).parent.glob(Path(pattern).name)}
    report.check("prometheus: loads the native stack's rule files", bool(ours_rules) and ours_rules == native_rules,
                 f"compose {sorted(map(str, ours_rules))}, native {sorted(map(str, native_rules))}")


# ---------------------------------------------------------------------------------------------
# The dashboard.


def check_dashboard(report: Report, compose: dict, plan: dict[str, NativeCommand], plan_dir: Path) -> None:
    ours = [(n, s) for n, s in compose["services"].items() if built_from(s, DASHBOARD_DOCKERFILE)]
    if not report.check("compose runs the dashboard from docker/dashboard.Dockerfile", len(ours) == 1):
        return
    name, service = ours[0]
    image = read_image(REPO / DASHBOARD_DOCKERFILE)
    nginx, build = image.stages[-1], image.stages[0]
    report.check("dashboard: serves with a pinned nginx image", nginx.base.startswith("nginx:") and pinned(nginx.base)
                 and re.search(r"\d+\.\d+\.\d+", nginx.base) is not None, nginx.base)
    engines = json.loads((REPO / "dashboard/package.json").read_text())["engines"]["node"]
    node = re.fullmatch(r"node:(\d+)\.\d+\.\d+-\S+", build.base)
    oldest = int(re.search(r"\d+", engines).group())
    report.check(f"dashboard: builds with a pinned Node that package.json's engines ({engines}) allow",
                 node is not None and int(node.group(1)) >= oldest, build.base)
    builds = [rest for op, rest in build.instructions if op == "RUN" and "vite build" in rest]
    native_build = (REPO / "scripts/build-dashboard.sh").read_text()
    report.check("dashboard: the image runs the Vite build scripts/build-dashboard.sh runs",
                 len(builds) == 1 and "npm ci" in " ".join(r for o, r in build.instructions if o == "RUN")
                 and "npx --no-install vite build" in builds[0] and "npx --no-install vite build" in native_build
                 and "npm ci" in native_build, f"{builds}")
    out_dir = option_values(shlex.split(builds[0]), "--outDir")[0] if builds else None

    template = REPO / "config/nginx/dashboard.conf.template"
    templates = {target: source for target, source in image.copies.items()
                 if target.startswith("/etc/nginx/templates/") and target.endswith(".template")}
    report.check("dashboard: nginx's template is config/nginx/dashboard.conf.template",
                 [REPO / s for s in templates.values()] == [template], f"{templates}")
    text = template.read_text()
    variables = sorted(set(re.findall(r"\$\{(\w+)\}", text)))
    env = {**image.env, **{k: str(v) for k, v in (service.get("environment") or {}).items()}}
    report.check("dashboard: compose sets every variable of the template (nginx leaves unset ones as text)",
                 all(v in env for v in variables), f"unset: {[v for v in variables if v not in env]}")

    # The native stack filled in the same template: its server block matches it with the
    # variables as wildcards, and so do compose's values.
    pattern = re.escape(text)
    for variable in variables:
        pattern = pattern.replace(re.escape("${" + variable + "}"), f"(?P<{variable}>.*)", 1)
        pattern = pattern.replace(re.escape("${" + variable + "}"), f"(?P={variable})")
    native_conf = re.fullmatch(pattern, (plan_dir / "dashboard/dashboard.conf").read_text(), re.S)
    report.check("dashboard: the native nginx serves the same template", native_conf is not None)
    if native_conf is None or not all(v in env for v in variables):
        return
    listen = int(env["DASHBOARD_LISTEN"].rsplit(":", 1)[-1])
    ports = published_ports(service)
    report.check(f"dashboard: publishes the port nginx listens on ({listen})",
                 bool(ports) and all(p.container_port == listen for p in ports), f"{ports}")
    native_listen = int(native_conf["DASHBOARD_LISTEN"].rsplit(":", 1)[-1])
    report.check(f"dashboard: published on the native port {native_listen}",
                 [p.host_port for p in ports] == [native_listen], f"{ports}")
    report.check("dashboard: nginx's root is where the image put the Vite build",
                 image.copies_from_stage.get(env["DASHBOARD_ROOT"]) == out_dir,
                 f"root {env['DASHBOARD_ROOT']}, copies {image.copies_from_stage}, build to {out_dir}")
    host, port = url_host_port(env["PROMETHEUS_URL"])
    prometheus = compose["services"].get(host, {})
    report.check("dashboard: proxies compose's Prometheus on its port",
                 prometheus.get("image", "").startswith(PROMETHEUS_IMAGE + ":") and port == PROMETHEUS_PORT,
                 env["PROMETHEUS_URL"])
    native_prometheus = option_values(plan["prometheus"].argv, "--web.listen-address")
    report.check("dashboard: natively, proxies the native Prometheus",
                 native_prometheus == [urlsplit(native_conf["PROMETHEUS_URL"]).netloc],
                 f"{native_conf['PROMETHEUS_URL']} vs {native_prometheus}")
    report.check("dashboard: a resolver for Prometheus's host name (Docker's DNS)",
                 re.fullmatch(r"[\d.]+", host) is not None or env["DASHBOARD_RESOLVER"].startswith("resolver "),
                 env["DASHBOARD_RESOLVER"])


# ---------------------------------------------------------------------------------------------
# Grafana (compose only: Debian does not package it).


def check_grafana(report: Report, compose: dict) -> None:
    for name, service in compose["services"].items():
        if not service.get("image", "").startswith("grafana/grafana:"):
            continue
        mounts = bind_mounts(service)
        sources = container_path("/etc/grafana/provisioning/datasources", mounts, None)
        datasources = [d for f in sorted(sources.glob("*.yml")) for d in yaml.safe_load(f.read_text())["datasources"]] \
            if sources else []
        report.check(f"{name}: provisions a datasource", bool(datasources), f"{sources}")
        for datasource in datasources:
            host, port = url_host_port(datasource["url"])
            report.check(f"{name}: datasource {datasource['name']} is compose's Prometheus on its port",
                         compose["services"].get(host, {}).get("image", "").startswith(PROMETHEUS_IMAGE + ":")
                         and port == PROMETHEUS_PORT, datasource["url"])
        providers = container_path("/etc/grafana/provisioning/dashboards", mounts, None)
        for provider_file in sorted(providers.glob("*.yml")) if providers else []:
            for provider in yaml.safe_load(provider_file.read_text())["providers"]:
                folder = container_path(provider["options"]["path"], mounts, None)
                report.check(f"{name}: dashboards of provider {provider['name']} are mounted",
                             folder is not None and any(folder.glob("*.json")), f"{provider['options']['path']}")
        home = (service.get("environment") or {}).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
        if home:
            path = container_path(home, mounts, None)
            report.check(f"{name}: the home dashboard is mounted", path is not None and path.is_file(), home)


# ---------------------------------------------------------------------------------------------
# Load generators.


def route_pattern(path: str) -> re.Pattern:
    return re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path)))


def check_load(report: Report, compose: dict, image: Image, served: dict[str, Served],
               native: dict[str, Served]) -> None:
    for name, service in compose["services"].items():
        if not runs_latencylab(compose, service):
            continue
        argv = image.entrypoint[1:] + (service.get("command") or image.cmd)
        if argv[0] != "load":
            continue
        joined = service.get("network_mode", "").removeprefix("service:")
        target = served.get(joined)
        if not report.check(f"{name}: joins the network of a latencylab service", target is not None,
                            service.get("network_mode", "")):
            continue
        condition = (service.get("depends_on") or {}).get(joined, {}).get("condition")
        report.check(f"{name}: waits until {joined} is healthy", condition == "service_healthy", f"{condition}")
        targets = option_values(argv, "--target", "-t")
        urls = [t.split("=", 1)[-1].split("@")[0] for t in targets]
        report.check(f"{name}: targets {joined}'s port on loopback",
                     bool(urls) and all(url_host_port(u) == ("127.0.0.1", target.config["server"]["port"]) for u in urls),
                     f"{urls}")
        scenarios = option_values(argv, "--scenario", "-s")
        scenario_file = REPO / "config/scenarios" / f"{scenarios[0]}.json" if scenarios else None
        if not report.check(f"{name}: runs a built-in scenario (config/scenarios/)",
                            scenario_file is not None and scenario_file.exists(), f"{scenarios}"):
            continue
        scenario = json.loads(scenario_file.read_text())
        graph = json.loads(target.graph_file.read_text())["services"][target.graph_service]
        routes = [(r["method"], route_pattern(r["path"])) for r in graph["routes"]]
        endpoints = scenario["endpoints"]
        unrouted = [(e.get("method", "GET"), e["path"]) for e in endpoints
                    if e["path"] != "/health" and not any(
                        m == e.get("method", "GET") and p.fullmatch(e["path"].split("?")[0]) for m, p in routes)]
        report.check(f"{name}: {joined} routes every request of scenario {scenarios[0]}", not unrouted,
                     f"no route for {unrouted}")

        # The native demo loads with a scenario's targets (`load --scenario dataplanes`, `shop`).
        # --target replaces them (they are the native stack's addresses): the loader repeats the
        # rate or stages of the scenario's target of its name, which natively addresses the same
        # process.
        by_name = {t["name"]: t for t in scenario.get("targets", [])}
        named = by_name.get(targets[0].split("=", 1)[0]) if len(targets) == 1 and "=" in targets[0] else None
        if not report.check(f"{name}: its target is one of scenario {scenarios[0]}'s", named is not None,
                            f"{targets}, scenario targets {sorted(by_name)}"):
            continue
        model = {"rate": option_values(argv, "--rate", "-r"), "stages": option_values(argv, "--stages")}
        wanted = {key: [str(named[key])] if key in named else [] for key in model}
        report.check(f"{name}: the rate or stages of scenario {scenarios[0]}'s target {named['name']}",
                     model == wanted, f"compose {model}, scenario {wanted}")
        twin = next((p for p in native.values() if p.plane_id == target.plane_id), None)
        report.check(f"{name}: scenario {scenarios[0]}'s target {named['name']} is {joined} natively",
                     twin is not None and url_host_port(named["url"]) == ("127.0.0.1", twin.config["server"]["port"]),
                     f"scenario {named['url']}, native {twin.name if twin else None}")


# ---------------------------------------------------------------------------------------------
# The service image's build.


def cmake_commands(shell: str) -> list[list[str]]:
    """The cmake command lines of a shell text, output redirections dropped."""
    commands = []
    for line in re.split(r"&&|\n", shell):
        if line.strip().startswith("cmake "):
            commands.append([w for w in shlex.split(line) if not re.match(r"\d?>", w)])
    return commands


def check_service_build(report: Report) -> None:
    build = read_dockerfile(REPO / SERVICE_DOCKERFILE)[0]
    image_cmake = [c for op, rest in build.instructions if op == "RUN" for c in cmake_commands(rest)]
    native_cmake = cmake_commands((REPO / "scripts/run.sh").read_text())
    report.check("the service image builds latencylab as scripts/run.sh does (preset, options, target)",
                 bool(native_cmake) and image_cmake == native_cmake, f"image {image_cmake}, run.sh {native_cmake}")
    packages = [rest.split()[0] for op, rest in build.instructions if op == "COPY" and "--from=" not in rest
                and "packages" in rest]
    report.check("the service image installs scripts/packages/build.txt, the list scripts/setup.sh builds with",
                 packages == ["scripts/packages/build.txt"], f"{packages}")


# ---------------------------------------------------------------------------------------------
# Every service.


def check_every_service(report: Report, compose: dict) -> None:
    for name, service in sorted(compose["services"].items()):
        image = service.get("image", "")
        if image in local_images(compose) and not service.get("build"):
            pass  # built by the service that names its Dockerfile
        elif service.get("build"):
            dockerfile = REPO / service["build"]["dockerfile"]
            bases = [s.base for s in read_dockerfile(dockerfile)]
            stage_names = {s.name for s in read_dockerfile(dockerfile)}
            unpinned = [b for b in bases if b not in stage_names and not pinned(b)]
            # A :local tag, so that compose never pulls a same-named image instead of building it.
            report.check(f"{name}: built here (a :local tag) from pinned images", image.endswith(":local")
                         and not unpinned, f"image {image}, unpinned bases {unpinned}")
            missing = [src for stage in read_dockerfile(dockerfile) for op, rest in stage.instructions
                       if op == "COPY" and "--from=" not in rest
                       for src in rest.split()[:-1] if not (REPO / src).exists()]
            report.check(f"{name}: {service['build']['dockerfile']} copies files that exist", not missing, f"{missing}")
        else:
            report.check(f"{name}: a pinned image", pinned(image) and re.search(r"\d", image_tag(image)[1]) is not None,
                         image)
        ports = published_ports(service)
        report.check(f"{name}: publishes on 127.0.0.1 only", all(p.host_ip == "127.0.0.1" for p in ports),
                     f"{[f'{p.host_ip}:{p.host_port}' for p in ports]}")
        missing = [str(p) for p in bind_mounts(service).values() if not p.exists() or REPO not in [p, *p.parents]]
        report.check(f"{name}: mounts files of the repository that exist", not missing, f"{missing}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latencylab", required=True, help="the latencylab binary")
    args = parser.parse_args()

    report = Report()
    compose = docker_compose_config()
    image = read_image(REPO / SERVICE_DOCKERFILE)
    with tempfile.TemporaryDirectory(prefix="compose-plan-") as state_dir:
        plan, plan_dir = native_plan(Path(state_dir))
        check_every_service(report, compose)
        check_service_build(report)
        ours = served_by_compose(report, compose, image, args.latencylab)
        native = served_natively(report, plan, args.latencylab)
        check_listening(report, compose, image, ours)
        collectors = check_collectors(report, compose, plan)
        check_otlp_endpoints(report, ours, collectors)
        check_against_native(report, compose, ours, native, collectors)
        check_shop(report, ours, native)
        check_prometheus(report, compose, plan, plan_dir)
        check_dashboard(report, compose, plan, plan_dir)
        check_load(report, compose, image, ours, native)
        check_grafana(report, compose)
    print(f"{report.failed} check(s) failed" if report.failed else "compose.yaml agrees with the native stack")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
