"""One page measured with wrk: a warm-up, the run, and the server's CPU per request.

The Lua scripts wrk runs are in bench/wrk/ (get.lua, rotate_get.lua, answer_post.lua,
not_found.lua); each prints its figures as one BENCH_JSON line (report.lua).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field

from cpu import cpu_snapshot, other_cpu_share, tree_ticks, wait_idle
from knobs import BENCH_DIR, CONNECTIONS, DURATION, THREADS, WARMUP, say


@dataclass
class Run:
    page: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    detail: str
    other_cpu: float
    server_cpu_ms: float  # the server's CPU time per request, whatever else ran


def wrk(url: str, script: str, seconds: int, headers=(), env=None) -> dict:
    args = [
        shutil.which("wrk") or "/usr/bin/wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(BENCH_DIR / "wrk" / script),
    ]
    for header in headers:
        args += ["-H", header]
    result = subprocess.run(
        [*args, url],
        env={**os.environ, "BENCH_WRK_DIR": str(BENCH_DIR / "wrk"), **(env or {})},
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    raise RuntimeError(f"wrk printed no figures:\n{result.stdout}\n{result.stderr}")


@dataclass
class Page:
    """One thing to measure: a wrk script and its settings, for a server on `port`."""

    name: str
    path: str
    script: str = "get.lua"
    headers: tuple = ()
    env: dict = field(default_factory=dict)
    before: object = None  # before(port), before each wrk run: the answer POSTs re-read revisions


def measure(
    page: Page, port: int, server: int, label: str = "", duration=None, warmup=None, scheme="http"
):
    """A short warm-up, then the measured run; `server` is the pid whose CPU is counted."""
    duration = DURATION if duration is None else duration
    warmup = WARMUP if warmup is None else warmup
    url = f"{scheme}://127.0.0.1:{port}{page.path}"
    if warmup:
        if page.before:
            page.before(port)
        wrk(url, page.script, warmup, page.headers, page.env)
    wait_idle(server)  # requests wrk left queued in the listen socket are still served
    if page.before:
        page.before(port)
    cpu_before, server_before, started = cpu_snapshot(), tree_ticks(server), time.monotonic()
    figures = wrk(url, page.script, duration, page.headers, page.env)
    other_cpu = other_cpu_share(cpu_before, cpu_snapshot(), time.monotonic() - started)
    server_ticks = tree_ticks(server) - server_before
    wait_idle(server)
    run = read_figures(label + page.name, page.script, figures, other_cpu, server_ticks)
    say(
        f"{run.page}: {run.requests_per_s:,.0f} req/s, p50 {run.p50_ms:.1f} ms, "
        f"p99 {run.p99_ms:.1f} ms, errors {run.errors} of {run.requests} ({run.detail}); "
        f"server CPU {run.server_cpu_ms:.2f} ms/request; other processes {100 * other_cpu:.0f}% CPU"
    )
    return run


def read_figures(name: str, script: str, figures: dict, other_cpu: float, server_ticks: int):
    """A Run from what bench/wrk/report.lua printed and the CPU counted around it."""
    socket_errors = sum(figures[k] for k in ("connect", "read", "write", "timeout"))
    # not_found.lua counts its own errors (anything but a 404); elsewhere wrk's count of
    # responses that are not 2xx/3xx.
    status_errors = figures["unexpected"] if script == "not_found.lua" else figures["status"]
    return Run(
        page=name,
        requests_per_s=figures["requests"] / (figures["duration_us"] / 1e6),
        # No response at all within the run: no latency to report, and no target met.
        p50_ms=figures["p50_us"] / 1000 if figures["requests"] else float("inf"),
        p99_ms=figures["p99_us"] / 1000 if figures["requests"] else float("inf"),
        errors=socket_errors + status_errors,
        requests=figures["requests"],
        detail=(
            f"status {status_errors}, connect {figures['connect']}, read {figures['read']}, "
            f"write {figures['write']}, timeout {figures['timeout']}"
        ),
        other_cpu=other_cpu,
        server_cpu_ms=server_ticks * 1000 / os.sysconf("SC_CLK_TCK") / max(1, figures["requests"]),
    )
