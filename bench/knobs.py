"""What `make bench` measures with, from the environment (bench/run.py lists the knobs),
the targets it reports against, and its one way of saying what it is doing."""

from __future__ import annotations

import os
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR.parent / "bench-results"
CPUS = os.cpu_count() or 1

# Workers for this 2-core machine: cores + 1 = 3, as config/gunicorn.conf.py picks by
# default. gunicorn's sync workers serve one request each at a time, and every page here is
# CPU-bound (2.5-20 ms of CPU per request, against well under 1 ms of waiting on SQLite), so
# two workers can nearly keep both cores busy; the third covers the moments one of them
# waits (SQLite's write lock for an answer, a socket write). A fourth only time-slices the
# same two cores: the slowest requests wait longer. Measured with BENCH_SWEEP="2 3 4"
# (interleaved rounds, 64 connections; article in quiet rounds, 3 rounds each):
#   article    2 workers 647-674 req/s, p99 108-179 ms; 3: 677-692, p99 105-109 ms;
#              4: 658-680, p99 140-170 ms
#   answer     medians 148 / 159 / 145 req/s, p99 511 / 467 / 520 ms (with other load)
#   step, result: 2 and 3 alike, 4 a little slower
# and each worker costs 33-41 MB of private memory (52 MB RSS).
RECOMMENDED_WORKERS = CPUS + 1
WORKERS = int(os.environ.get("BENCH_WORKERS", RECOMMENDED_WORKERS))
DURATION = int(os.environ.get("BENCH_DURATION", 10))
WARMUP = int(os.environ.get("BENCH_WARMUP", 3))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 64))
THREADS = int(os.environ.get("BENCH_THREADS", 2))
COMPLETED_SESSIONS = int(os.environ.get("BENCH_SESSIONS", 100))
# Open sessions for the answer POSTs: each wrk thread takes its own pool in turn (see
# bench/wrk/answer_post.lua), and a session's next answer carries the revision its last one
# made, so that last one must have been answered by then, or the site says 409. A request
# can lag behind its thread's others by up to wrk's timeout (5 s; p99 reaches 1.5-1.8 s), at
# ~100 answers a second a thread: a pool of 16 per connection (512 a thread) outlasts it.
# With 3 per connection, 175-406 of ~2,100 answers in a run were 409s.
POOL_SESSIONS = THREADS * max(64, 16 * -(-CONNECTIONS // THREADS))
RUN_LIGHTHOUSE = os.environ.get("BENCH_LIGHTHOUSE", "1") != "0"
SWEEP = [int(n) for n in os.environ.get("BENCH_SWEEP", "").split()]
SWEEP_ROUNDS = int(os.environ.get("BENCH_SWEEP_ROUNDS", 3))
SWEEP_SECONDS = int(os.environ.get("BENCH_SWEEP_SECONDS", 5))
QUIET_WAIT = float(os.environ.get("BENCH_QUIET_WAIT", 15))  # at most, before each page
QUIET_BUDGET = float(os.environ.get("BENCH_QUIET_BUDGET", 60))  # at most, in all

# Of the WSGI ceiling's req/s: the pages every reader is served alike (issue 15: the
# article, the article list and the questionnaire's start page, in the same run).
TARGET_PUBLIC = 0.30
TARGET_DYNAMIC = 0.30  # questionnaire step and result page
TARGET_P99_MS = 50
TARGET_RSS_MB = 60
TARGET_LIGHTHOUSE = 100

STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[bench {time.monotonic() - STARTED:5.0f}s] {message}", flush=True)
