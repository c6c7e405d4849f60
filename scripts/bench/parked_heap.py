#!/usr/bin/env python3
"""What a parked request holds on the heap: starts a release `latencylab serve` under
bench/heap_snapshot (LD_PRELOAD), warms it up, parks K requests on a step and lists the
allocations they left live, grouped by size and allocating code, per request.

  scripts/bench/parked_heap.py --bin-dir build/release --kind db            # a db pool's queue
  scripts/bench/parked_heap.py --bin-dir build/release --kind delay         # a 60 s delay step
  scripts/bench/parked_heap.py --bin-dir build/release/parent-3c0a6d7/build \\
      --lib build/release/bench/libheap_snapshot.so --kind parent  # /api/slow before the graph

Requested sizes are what the code asked for; glibc adds 8-16 bytes per chunk. A block counts
under the code that first allocated it: Asio recycles handler memory, so an operation may reuse a
block another kind of operation allocated (the socket's accept or read operation, here). Only
127.0.0.1; the server is killed at the end.
"""
import argparse
import collections
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HOLD_MS = 60_000


def graph_file(directory: Path) -> Path:
    graph = json.loads((REPO / "config/graphs/default.json").read_text())
    service = graph["services"]["latencylab"]
    service["databases"]["bench_db"] = {"system": "other_sql", "pool_size": 1, "max_waiting": 20000,
                                        "acquire_timeout_ms": 10 * HOLD_MS}
    hold = {"fixed": {"value_ms": HOLD_MS}}
    service["routes"] += [
        {"method": "GET", "path": "/bench/parked-db",
         "steps": [{"db": {"database": "bench_db", "operation": "SELECT", "collection": "items",
                           "latency": hold}}], "response": {"status": 200, "json": {}}},
        {"method": "GET", "path": "/bench/parked-delay", "steps": [{"delay": hold}],
         "response": {"status": 200, "json": {}}}]
    path = directory / "graph-parked.json"
    path.write_text(json.dumps(graph))
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def send(port: int, path: str) -> socket.socket:
    c = socket.create_connection(("127.0.0.1", port))
    c.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: latencylab-load\r\n"
              "Accept: */*\r\n\r\n".encode())
    return c


def snapshot(args, directory: Path) -> Path:
    port = free_port()
    argv = [str(args.bin_dir / "src/app/latencylab"), "serve", "--address", "127.0.0.1", "--port",
            str(port), "--log-level", "warn", "--seed", "1", "--set", "server.max_connections=30000"]
    if args.kind == "parent":
        fixed = f'{{"distribution":"fixed","value_ms":{HOLD_MS},"min_ms":{HOLD_MS},"max_ms":{HOLD_MS}}}'
        argv += ["--set", f"endpoints.slow.latency={fixed}"]
        path = "/api/slow"
    else:
        argv += ["--graph", str(graph_file(directory))]
        path = f"/bench/parked-{args.kind}"
    out = directory / "heap.txt"
    env = dict(os.environ, OTEL_METRICS_EXPORTER="none", LD_PRELOAD=str(args.lib.resolve()),
               HEAP_SNAPSHOT_OUT=str(out))
    server = subprocess.Popen(argv, env=env)
    held = []
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port)).close()
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit(f"parked_heap: the server exited with {server.returncode}")
                time.sleep(0.05)
        for _ in range(200):  # warm-up: pools, caches and recycled blocks settle
            c = send(port, "/health")
            c.recv(4096)
            c.close()
        if args.kind == "db":
            held.append(send(port, path))  # holds the pool's one connection
        time.sleep(0.3)
        server.send_signal(signal.SIGUSR1)
        time.sleep(0.2)
        held += [send(port, path) for _ in range(args.requests)]
        time.sleep(1.0)
        server.send_signal(signal.SIGUSR2)
        for _ in range(100):
            time.sleep(0.1)
            if out.exists() and "/" in out.read_text(errors="replace")[-200:]:
                break
        time.sleep(0.3)
    finally:
        server.kill()
        server.wait()
        for c in held:
            c.close()
    return out


def symbolize(allocations, maps):
    def locate(address):
        for low, high, offset, name in maps:
            if low <= address < high:
                return name, address - low + offset
        return None, address
    wanted = collections.defaultdict(set)
    for _, _, stack in allocations:
        for address in stack:
            name, offset = locate(address)
            if name:
                wanted[name].add(offset - 1)  # the call, not the return address
    names = {}
    for name, offsets in wanted.items():
        lines = subprocess.run(["addr2line", "-f", "-C", "-i", "-a", "-e", name] +
                               [hex(o) for o in sorted(offsets)],
                               capture_output=True, text=True).stdout.split("\n")
        current = None
        for line in lines:
            if line.startswith("0x"):
                current = (name, int(line, 16))
                names[current] = []
            elif current and line:
                names[current].append(line)

    def frames(stack):
        chain = []
        for address in stack:
            name, offset = locate(address)
            info = names.get((name, offset - 1), []) if name else []
            chain += [(info[i], info[i + 1].split("/")[-1]) for i in range(0, len(info) - 1, 2)]
        return chain
    return frames


def own_code(function: str) -> bool:
    return "latencylab::" in function and "__" not in function.split("(")[0]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin-dir", type=Path, required=True, help="build dir with src/app/latencylab")
    p.add_argument("--lib", type=Path, help="libheap_snapshot.so (default: in --bin-dir)")
    p.add_argument("--kind", choices=["delay", "db", "parent"], required=True)
    p.add_argument("--requests", type=int, default=200)
    args = p.parse_args()
    args.lib = args.lib or args.bin_dir / "bench/libheap_snapshot.so"
    for needed, build in ((args.bin_dir / "src/app/latencylab", "latencylab"),
                          (args.lib, "heap_snapshot")):
        if not needed.exists():
            sys.exit(f"parked_heap: {needed} does not exist (cmake --build <build dir> --target {build})")
    with tempfile.TemporaryDirectory() as tmp:
        text = snapshot(args, Path(tmp)).read_text(errors="replace").split("\n")
    allocations, maps = [], []
    for line in text:
        if line.startswith("A "):
            fields = line.split()
            allocations.append((int(fields[1]), int(fields[2]), [int(x, 16) for x in fields[3:]]))
        elif m := re.match(r"^([0-9a-f]+)-([0-9a-f]+) \S+ ([0-9a-f]+) \S+ \S+\s+(/\S+)", line):
            maps.append((int(m[1], 16), int(m[2], 16), int(m[3], 16), m[4]))
    frames = symbolize(allocations, maps)
    groups = collections.defaultdict(lambda: [0, 0])
    for size, usable, stack in allocations:
        chain = frames(stack)
        # The allocating code: the first frame of our own code, with the library frame below it.
        mine = next((i for i, (f, _) in enumerate(chain) if own_code(f)), None)
        if mine is None:
            where = chain[0][0][:100] if chain else "?"
        else:
            below = chain[mine - 1][0].split("(")[0][-60:] if mine > 0 else ""
            where = f"{chain[mine][0].split('(')[0]} @{chain[mine][1]}" + (f"  [{below}]" if below else "")
        group = groups[(size, where)]
        group[0] += 1
        group[1] += usable + 8
    k = args.requests
    print(f"live allocations after parking {k} requests ({args.kind}), per request:")
    print(f"{'bytes':>6} {'chunk':>6} {'/req':>5}  allocated by")
    total = chunks = 0
    for (size, where), (count, chunk) in sorted(groups.items(), key=lambda g: -g[0][0] * g[1][0]):
        if count < k // 2:
            continue  # not per request (a pool growing, a log buffer)
        print(f"{size:6d} {chunk // count:6d} {count / k:5.2f}  {where}")
        total += size * count
        chunks += chunk
    print(f"per request: {total / k:,.0f} bytes requested, {chunks / k:,.0f} bytes in malloc chunks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
