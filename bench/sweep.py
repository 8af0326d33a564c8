"""BENCH_SWEEP="2 3 4": the same pages against one server per worker count, interleaved.

Round after round of 2, 3, 4, 2, 3, 4... workers, so that whatever else the machine does
falls on all of them alike; the figures are the medians of the rounds.
"""

from __future__ import annotations

from pathlib import Path

from knobs import SWEEP, SWEEP_ROUNDS, SWEEP_SECONDS, WARMUP, say
from measure import Page, Run, measure
from memory import MemorySampler
from processes import PROCESSES
from servers import start_gunicorn


def sweep_workers(env: dict, pages: list[Page], logs: Path) -> dict:
    """Worker count → each page's median req/s, p99, CPU per request, and peak memory."""
    servers = {}
    for workers in SWEEP:
        log = logs / f"gunicorn-sweep-{workers}.log"
        process, port, _ = start_gunicorn("config.wsgi", env, workers, log)
        sampler = MemorySampler(process.pid)
        sampler.start()
        servers[workers] = (process, port, sampler)
    say(
        f"sweep: {', '.join(map(str, SWEEP))} workers, "
        f"{SWEEP_ROUNDS} rounds of {SWEEP_SECONDS} s a page"
    )
    runs: dict[int, dict[str, list[Run]]] = {workers: {} for workers in SWEEP}
    for page in pages:
        for round_ in range(SWEEP_ROUNDS):
            warmup = WARMUP if not round_ else 0
            for workers, (process, port, _) in servers.items():
                run = measure(page, port, process.pid, f"[{workers}w] ", SWEEP_SECONDS, warmup)
                runs[workers].setdefault(page.name, []).append(run)
    result = {}
    for workers, (process, _, sampler) in servers.items():
        sampler.stop()
        PROCESSES.stop(process)
        result[workers] = {
            "pages": {name: medians(page_runs) for name, page_runs in runs[workers].items()},
            "hwm_mb": sampler.peak("hwm"),
            "private_mb": sampler.peak("private"),
        }
    return result


def medians(runs: list[Run]) -> dict:
    return {
        "req/s": median([r.requests_per_s for r in runs]),
        "p99 ms": median([r.p99_ms for r in runs]),
        "cpu ms": median([r.server_cpu_ms for r in runs]),
        "errors": sum(r.errors for r in runs),
        "noise": median([r.other_cpu for r in runs]),
    }


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
