"""`make bench`: how fast the production set-up serves the site on this machine.

It prints figures and never fails on slow ones; it exits non-zero only when it could not
measure at all (the site did not start, a tool is missing). Steps:

1. a throwaway SQLite database in a temp dir: migrate, seed content, collectstatic, then
   the real questionnaire driven over HTTP: completed runs (for result pages), open ones
   (for the answer POSTs) and one at its second question (for the step page);
2. gunicorn with config/gunicorn.conf.py, DEBUG off, on a free 127.0.0.1 port; the time
   from its start to the first 200;
3. wrk on five pages, then two ceilings serving the article page's saved bytes: nginx as
   a static file, and bench/ceiling_app.py under the same gunicorn settings;
4. peak memory per gunicorn worker, sampled from /proc during the runs;
5. Lighthouse 12 in Debian's chromium, mobile and desktop, on three pages;
6. one table, the targets met or missed, and every process it started stopped.

Knobs (environment): BENCH_WORKERS, BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS,
BENCH_THREADS, BENCH_SESSIONS, BENCH_LIGHTHOUSE=0 (skip it), BENCH_SWEEP="2 3 4" (also
measure the article, step, answer and result pages with each of those worker counts; about
a minute each), BENCH_QUIET_WAIT / BENCH_QUIET_BUDGET (how long to wait for other processes
to quieten down before a page / in all).
Results are kept in bench-results/ (summary.txt, summary.json, Lighthouse reports, logs).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import http.client
import http.cookies
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = ROOT / "bench-results"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
GUNICORN_CONF = str(ROOT / "config" / "gunicorn.conf.py")
LIGHTHOUSE = BENCH_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
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
# Open sessions for the answer POSTs: each wrk thread owns a pool several times larger than
# its connections (see bench/wrk/answer_post.lua).
POOL_SESSIONS = THREADS * max(64, 3 * -(-CONNECTIONS // THREADS))
RUN_LIGHTHOUSE = os.environ.get("BENCH_LIGHTHOUSE", "1") != "0"
SWEEP = [int(n) for n in os.environ.get("BENCH_SWEEP", "").split()]

TARGET_ARTICLE = 0.60  # of the WSGI ceiling's req/s
TARGET_DYNAMIC = 0.30  # questionnaire step and result page
TARGET_P99_MS = 50
TARGET_RSS_MB = 60
TARGET_LIGHTHOUSE = 100


def say(message: str) -> None:
    print(f"[bench {time.monotonic() - STARTED:5.0f}s] {message}", flush=True)


STARTED = time.monotonic()


# --- Processes ----------------------------------------------------------------------------


def children_of(pid: int) -> list[int]:
    """Every descendant of `pid`, from /proc (chromium leaves its launcher's group)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Processes:
    """Everything this run starts, so that all of it is stopped, whatever happens."""

    def __init__(self):
        self.running: list[subprocess.Popen] = []

    def start(self, args, *, log: Path, **kwargs) -> subprocess.Popen:
        with open(log, "ab") as out:
            process = subprocess.Popen(
                args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
            )
        self.running.append(process)
        return process

    def stop(self, process: subprocess.Popen, sig=signal.SIGTERM, wait: float = 15) -> None:
        """`sig` to the process, then SIGKILL to it and any descendant still there."""
        if process not in self.running:
            return
        self.running.remove(process)
        tree = children_of(process.pid)
        if process.poll() is None:
            try:
                process.send_signal(sig)
                process.wait(timeout=wait)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                pass
        for pid in [process.pid, *tree]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)

    def stop_all(self) -> None:
        for process in reversed(list(self.running)):
            self.stop(process)
        # Anything left that descends from this run (orphans come to it: see subreaper()).
        for pid in children_of(os.getpid()):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass


def subreaper() -> None:
    """Become the parent of our orphans (a chromium whose Lighthouse died, gunicorn workers
    whose master died), so that the clean-up still finds and stops them."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


PROCESSES = Processes()


def free_port() -> int:
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in (8000, 8011):
            return port


# --- A small HTTP client (the servers close every connection, so one per request) --------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Browser:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None) -> Response:
        headers = {}
        if self.cookies:
            headers["Cookie"] = self.cookie_header
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie()
            cookie.load(line)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return Response(response.status, response.headers, text)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION = re.compile(r'name="revision" value="(\d+)"')
CHOICE = re.compile(r'<input[^>]*\bname="choice"[^>]*>')
VALUE = re.compile(r'\bvalue="([^"]+)"')


def expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        raise RuntimeError(f"{what}: expected {status}, got {response.status}")
    return response


@dataclass
class OpenQuestion:
    browser: Browser
    path: str
    csrf: str
    revision: int
    choices: list[str]


def start_questionnaire(port: int) -> tuple[Browser, str]:
    browser = Browser(port)
    page = expect(browser.request("GET", "/questionnaire/"), 200, "questionnaire start page")
    token = CSRF.search(page.body).group(1)
    started = expect(
        browser.request("POST", "/questionnaire/", {"csrfmiddlewaretoken": token}),
        302,
        "starting the questionnaire",
    )
    return browser, started.location


def open_question(browser: Browser, path: str) -> OpenQuestion:
    page = expect(browser.request("GET", path), 200, f"question page {path}")
    choices = [VALUE.search(tag).group(1) for tag in CHOICE.findall(page.body)]
    return OpenQuestion(
        browser,
        path,
        CSRF.search(page.body).group(1),
        int(REVISION.search(page.body).group(1)),
        choices,
    )


def answer(question: OpenQuestion, choice: str) -> Response:
    return question.browser.request(
        "POST",
        question.path,
        {
            "csrfmiddlewaretoken": question.csrf,
            "revision": question.revision,
            "choice": choice,
        },
    )


def complete_questionnaire(port: int, seed: int) -> str:
    """A whole run with random answers, as a reader would; returns the result page path."""
    rng = random.Random(seed)
    browser, path = start_questionnaire(port)
    while path.startswith("/questionnaire/question/"):
        question = open_question(browser, path)
        response = answer(question, rng.choice(question.choices))
        if response.status != 302:  # an answer that needs another (e.g. exclusive choices)
            response = expect(answer(question, question.choices[0]), 302, f"answering {path}")
        path = response.location
    review = expect(browser.request("GET", path), 200, "review page")
    token = CSRF.search(review.body).group(1)
    done = expect(
        browser.request("POST", path, {"csrfmiddlewaretoken": token}), 302, "See my results"
    )
    return done.location


def pool_entry(port: int) -> OpenQuestion:
    """A questionnaire opened at its first question, for the answer POSTs."""
    browser, path = start_questionnaire(port)
    return open_question(browser, path)


def parallel(function, arguments, workers: int = 4) -> list:
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(function, arguments))


# --- Memory of gunicorn workers -----------------------------------------------------------


def read_kb(path: str, names: tuple[str, ...]) -> dict[str, int]:
    values = {}
    try:
        with open(path) as f:
            for line in f:
                name, _, rest = line.partition(":")
                if name in names:
                    values[name] = int(rest.split()[0])
    except (OSError, ValueError):
        pass
    return values


class MemorySampler(threading.Thread):
    """Peak VmHWM (resident), PSS and private memory of every worker of one gunicorn master.

    Workers are recycled (max_requests), so they are sampled while they live: the figure
    is the highest any worker reached.
    """

    def __init__(self, master_pid: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.master_pid = master_pid
        self.interval = interval
        self.peaks: dict[int, dict[str, int]] = {}
        self.master: dict[str, int] = {}
        self.halt = threading.Event()

    def sample(self) -> None:
        self.master = read_kb(f"/proc/{self.master_pid}/status", ("VmHWM", "VmRSS"))
        for pid in children_of(self.master_pid):
            status = read_kb(f"/proc/{pid}/status", ("VmHWM",))
            rollup = read_kb(f"/proc/{pid}/smaps_rollup", ("Pss", "Private_Clean", "Private_Dirty"))
            if not status:
                continue
            now = {
                "hwm": status.get("VmHWM", 0),
                "pss": rollup.get("Pss", 0),
                "private": rollup.get("Private_Clean", 0) + rollup.get("Private_Dirty", 0),
            }
            peak = self.peaks.setdefault(pid, now)
            for key, value in now.items():
                peak[key] = max(peak[key], value)

    def run(self) -> None:
        while not self.halt.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self.sample()
        self.halt.set()
        self.join()

    def peak(self, key: str) -> float:
        return max((p[key] for p in self.peaks.values()), default=0) / 1024


# --- Servers ------------------------------------------------------------------------------


def wait_for_200(port: int, process: subprocess.Popen, path: str = "/", limit: float = 60):
    """Seconds from now until `path` first answers 200 (polled every 10 ms)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before answering")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path)
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.01)
    raise RuntimeError(f"no 200 from 127.0.0.1:{port}{path} within {limit:.0f} s")


def start_gunicorn(app: str, env: dict, workers: int, log: Path, extra=()):
    port = free_port()
    started = time.monotonic()
    process = PROCESSES.start(
        [GUNICORN, "-c", GUNICORN_CONF, "--no-control-socket", *extra, app],
        env={**env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(workers)},
        log=log,
        cwd=ROOT,
    )
    wait_for_200(port, process)
    return process, port, time.monotonic() - started


def start_nginx(workdir: Path, page: Path, log: Path, keepalive: str = "0"):
    prefix = workdir / "nginx"
    prefix.mkdir(mode=0o755)
    root = prefix / "html"
    root.mkdir(mode=0o755)
    shutil.copyfile(page, root / "article.html")
    (root / "article.html").chmod(0o644)
    port = free_port()
    config = (BENCH_DIR / "nginx.conf.template").read_text()
    for name, value in {
        "PREFIX": str(prefix),
        "ROOT": str(root),
        "PORT": str(port),
        "WORKERS": str(CPUS),
        "KEEPALIVE": keepalive,
    }.items():
        config = config.replace("{" + name + "}", value)
    (prefix / "nginx.conf").write_text(config)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = PROCESSES.start(
        [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(log)],
        log=log,
    )
    wait_for_200(port, process, limit=15)
    return process, port


# --- CPU taken by processes this run did not start -----------------------------------------
# The machine may be shared (a test suite, another server): their CPU time during a run is
# reported next to its figures, since it comes straight off what the site could use.


def cpu_snapshot() -> tuple[int, int, int]:
    """(all processes' user+system ticks, this run's ticks, steal ticks) so far."""
    with open("/proc/stat") as f:
        user, nice, system, _idle, _iowait, _irq, _softirq, steal = map(
            int, f.readline().split()[1:9]
        )
    ours = 0
    me = os.getpid()
    for pid in [me, *children_of(me)]:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, and the times of children it has waited for (wrk, recycled workers)
        ours += sum(int(value) for value in fields[11:15])
    return user + nice + system, ours, steal


def tree_ticks(pid: int) -> int:
    """CPU ticks of a server: its own, its workers', and those of workers it has reaped."""
    total = 0
    for member in [pid, *children_of(pid)]:
        try:
            with open(f"/proc/{member}/stat") as f:
                total += sum(int(v) for v in f.read().rsplit(")", 1)[1].split()[11:15])
        except OSError:
            continue
    return total


def wait_idle(server: int, limit: float = 10) -> None:
    """Until the server has used (almost) no CPU for 0.2 s."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = tree_ticks(server)
        time.sleep(0.2)
        if tree_ticks(server) - before <= 1:
            return


def other_cpu_share(before, after, seconds: float) -> float:
    """Share of the machine's CPU (0-1) used by processes this run did not start."""
    ticks = os.sysconf("SC_CLK_TCK") * seconds * CPUS
    busy, ours, steal = (b - a for a, b in zip(before, after, strict=True))
    return max(0.0, busy - ours + steal) / ticks


QUIET_WAIT = float(os.environ.get("BENCH_QUIET_WAIT", 15))  # at most, before each page
quiet_budget = [float(os.environ.get("BENCH_QUIET_BUDGET", 60))]  # at most, in all


def wait_for_quiet(threshold: float = 0.10) -> None:
    """Wait a little (bounded) while other processes take more than `threshold` of the CPU."""
    waited = 0.0
    while True:
        before = cpu_snapshot()
        time.sleep(0.5)
        share = other_cpu_share(before, cpu_snapshot(), 0.5)
        if share < threshold or waited >= QUIET_WAIT or quiet_budget[0] <= 0:
            break
        waited += 0.5
        quiet_budget[0] -= 0.5
    if waited:
        say(f"waited {waited:.0f} s for other processes to quieten down (now {share:.0%} CPU)")


# --- wrk ----------------------------------------------------------------------------------


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


def measure(page: Page, port: int, server: int, label: str = "", duration=None, warmup=None):
    """A short warm-up, then the measured run."""
    duration = DURATION if duration is None else duration
    warmup = WARMUP if warmup is None else warmup
    url, script, headers, env = (
        f"http://127.0.0.1:{port}{page.path}",
        page.script,
        page.headers,
        page.env,
    )
    if warmup:
        if page.before:
            page.before(port)
        wrk(url, script, warmup, headers, env)
    wait_idle(server)  # requests wrk left queued in the listen socket are still served
    if page.before:
        page.before(port)
    cpu_before, server_before, started = cpu_snapshot(), tree_ticks(server), time.monotonic()
    figures = wrk(url, script, duration, headers, env)
    other_cpu = other_cpu_share(cpu_before, cpu_snapshot(), time.monotonic() - started)
    server_ticks = tree_ticks(server) - server_before
    wait_idle(server)
    socket_errors = sum(figures[k] for k in ("connect", "read", "write", "timeout"))
    # not_found.lua counts its own errors (anything but a 404); elsewhere wrk's count of
    # responses that are not 2xx/3xx.
    status_errors = figures["unexpected"] if script == "not_found.lua" else figures["status"]
    run = Run(
        page=label + page.name,
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
    say(
        f"{run.page}: {run.requests_per_s:,.0f} req/s, p50 {run.p50_ms:.1f} ms, "
        f"p99 {run.p99_ms:.1f} ms, errors {run.errors} of {run.requests} ({run.detail}); "
        f"server CPU {run.server_cpu_ms:.2f} ms/request; other processes {100 * other_cpu:.0f}% CPU"
    )
    return run


# --- Lighthouse ---------------------------------------------------------------------------

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def lighthouse(name: str, url: str, preset: str, cookie: str | None, out: Path) -> dict:
    report = out / f"{name}-{preset}.json"
    args = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--no-enable-error-reporting",
    ]
    if preset == "desktop":
        args.append("--preset=desktop")
    if cookie:
        args.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    process = PROCESSES.start(
        args, env={**os.environ, "CHROME_PATH": CHROMIUM}, log=out / f"{name}-{preset}.log"
    )
    try:
        process.wait(timeout=180)
    except subprocess.TimeoutExpired:
        raise RuntimeError("no report after 180 s") from None
    finally:
        PROCESSES.stop(process)  # and its chromium, should it still be there
    if process.returncode != 0 or not report.exists():
        log = (out / f"{name}-{preset}.log").read_text(errors="replace")
        raise RuntimeError(f"lighthouse exited with {process.returncode}: {log[-2000:]}")
    data = json.loads(report.read_text())
    scores = {}
    failing = {}
    for category in CATEGORIES:
        entry = data["categories"][category]
        scores[category] = None if entry["score"] is None else round(entry["score"] * 100)
        failing[category] = [
            ref["id"]
            for ref in entry["auditRefs"]
            if ref.get("weight", 0) > 0
            and data["audits"][ref["id"]].get("score") is not None
            and data["audits"][ref["id"]]["score"] < 1
        ]
    return {"scores": scores, "failing": failing, "runtime_error": data.get("runtimeError")}


# --- The run ------------------------------------------------------------------------------


def django_env(workdir: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        # Always the throwaway SQLite database and per-process cache.
        if key not in ("DATABASE_URL", "REDIS_URL", "SITE_URL", "DJANGO_SECURE")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SQLITE_PATH": str(workdir / "db.sqlite3"),
            "DJANGO_STATIC_ROOT": str(workdir / "static"),
            "DJANGO_MEDIA_ROOT": str(workdir / "media"),
            "DJANGO_LOG_LEVEL": "WARNING",
            # Every request here comes from 127.0.0.1: the per-address limit on questionnaire
            # POSTs (60 a minute) would turn the answer benchmark into 429s. Real readers
            # come from many addresses; the limiter still counts every POST here.
            "QUIZ_POST_RATE": "100000000/h",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def manage(env: dict, *args: str) -> None:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)}:\n{done.stdout}{done.stderr}")


def prepare_sessions(port: int, out: Path) -> dict:
    say(f"driving the questionnaire over HTTP: {COMPLETED_SESSIONS} completed runs")
    results = parallel(lambda seed: complete_questionnaire(port, seed), range(COMPLETED_SESSIONS))
    (out / "result-paths.txt").write_text("\n".join(results) + "\n")

    # The questionnaire step page: a reader who answered the first question.
    first = pool_entry(port)
    moved = expect(answer(first, first.choices[0]), 302, "first answer")
    step = {"path": moved.location, "cookie": first.browser.cookie_header}
    expect(first.browser.request("GET", step["path"]), 200, "questionnaire step")

    say(f"opening {POOL_SESSIONS} questionnaires for the answer POSTs")
    pool = parallel(lambda _: pool_entry(port), range(POOL_SESSIONS))
    return {"results": results, "step": step, "pool": pool}


def write_pool(pool: list[OpenQuestion], path: Path, port: int) -> None:
    """Each open questionnaire's current revision, read back from its page."""

    def refresh(entry: OpenQuestion) -> str:
        entry.browser.port = port
        page = expect(entry.browser.request("GET", entry.path), 200, "pool question")
        revision = REVISION.search(page.body).group(1)
        return "\t".join(
            [entry.browser.cookie_header, entry.path, entry.csrf, revision, entry.choices[0]]
        )

    # When wrk stops, the answers it sent that are still queued on the listen socket are
    # still taken and answered by gunicorn. Read until two passes agree: the queue is empty.
    previous = None
    for _ in range(30):
        lines = parallel(refresh, pool)
        if lines == previous:
            break
        previous = lines
        time.sleep(0.2)
    path.write_text("\n".join(lines) + "\n")


def app_pages(sessions: dict, work: Path) -> list[Page]:
    pool_file = work / "pool.tsv"
    return [
        Page("article /", "/"),
        Page(
            "questionnaire step GET",
            sessions["step"]["path"],
            headers=(f"Cookie: {sessions['step']['cookie']}",),
        ),
        Page(
            "answer POST (302)",
            "/",
            "answer_post.lua",
            env={"BENCH_POOL": str(pool_file), "BENCH_THREADS": str(THREADS)},
            before=lambda port: write_pool(sessions["pool"], pool_file, port),
        ),
        Page(
            "result page GET",
            "/",
            "rotate_get.lua",
            env={"BENCH_PATHS": str(work / "result-paths.txt")},
        ),
        Page("404 page", "/no-such-page/", "not_found.lua"),
    ]


def benchmark_app(port: int, pid: int, pages: list[Page]) -> list[Run]:
    runs = []
    for page in pages:
        wait_for_quiet()
        runs.append(measure(page, port, pid))
    return runs


def sweep_workers(env: dict, pages: list[Page], logs: Path) -> dict:
    """Each page against one server per worker count, interleaved: round after round of
    2, 3, 4, 2, 3, 4... workers, so that whatever else the machine does falls on all of them
    alike. Medians of the rounds."""
    rounds = int(os.environ.get("BENCH_SWEEP_ROUNDS", 3))
    seconds = int(os.environ.get("BENCH_SWEEP_SECONDS", 5))
    servers = {}
    for workers in SWEEP:
        process, port, _ = start_gunicorn(
            "config.wsgi", env, workers, logs / f"gunicorn-sweep-{workers}.log"
        )
        sampler = MemorySampler(process.pid)
        sampler.start()
        servers[workers] = (process, port, sampler)
    say(f"sweep: {', '.join(map(str, SWEEP))} workers, {rounds} rounds of {seconds} s a page")
    runs: dict[int, dict[str, list[Run]]] = {w: {} for w in SWEEP}
    for page in pages:
        for round_ in range(rounds):
            for workers, (process, port, _) in servers.items():
                run = measure(
                    page, port, process.pid, f"[{workers}w] ", seconds, WARMUP if not round_ else 0
                )
                runs[workers].setdefault(page.name, []).append(run)
    result = {}
    for workers, (process, _, sampler) in servers.items():
        sampler.stop()
        PROCESSES.stop(process)
        result[workers] = {
            "pages": {
                name: {
                    "req/s": median([r.requests_per_s for r in page_runs]),
                    "p99 ms": median([r.p99_ms for r in page_runs]),
                    "cpu ms": median([r.server_cpu_ms for r in page_runs]),
                    "errors": sum(r.errors for r in page_runs),
                    "noise": median([r.other_cpu for r in page_runs]),
                }
                for name, page_runs in runs[workers].items()
            },
            "hwm_mb": sampler.peak("hwm"),
            "private_mb": sampler.peak("private"),
        }
    return result


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def fmt_ratio(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> int:
    subreaper()
    for tool, hint in [("wrk", "apt-get install wrk"), ("nginx", "apt-get install nginx")]:
        if not (shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists()):
            print(f"bench: {tool} is missing ({hint}; `make bench` installs it)", file=sys.stderr)
            return 2
    if RUN_LIGHTHOUSE and not LIGHTHOUSE.exists():
        print("bench: lighthouse is missing (npm ci --prefix bench)", file=sys.stderr)
        return 2

    RESULTS.mkdir(exist_ok=True)
    logs = RESULTS / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir()
    lighthouse_dir = RESULTS / "lighthouse"
    shutil.rmtree(lighthouse_dir, ignore_errors=True)
    lighthouse_dir.mkdir()

    work = Path(tempfile.mkdtemp(prefix="pushing-away-bench-"))
    work.chmod(0o711)  # nginx's workers (nobody) must reach their html folder
    try:
        return run(work, logs, lighthouse_dir)
    except Exception:
        say("the bench could not finish; the servers' logs are in bench-results/logs/")
        raise
    finally:
        PROCESSES.stop_all()
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, logs: Path, lighthouse_dir: Path) -> int:
    env = django_env(work)
    say(f"throwaway database in {work}: migrate, seed content, collectstatic")
    manage(env, "migrate", "--noinput")
    manage(env, "load_seed_content")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")

    say(f"gunicorn, {WORKERS} workers, config/gunicorn.conf.py")
    app, port, startup = start_gunicorn("config.wsgi", env, WORKERS, logs / "gunicorn-app.log")
    say(f"first 200 after {startup:.2f} s")
    base = f"http://127.0.0.1:{port}"
    sessions = prepare_sessions(port, work)

    article = Browser(port).request("GET", "/")
    page_file = work / "article.html"
    page_file.write_bytes(article.body.encode())
    say(f"article page: {len(article.body.encode()):,} bytes saved for the ceilings")

    pages = app_pages(sessions, work)
    memory = MemorySampler(app.pid)
    memory.start()
    app_runs = benchmark_app(port, app.pid, pages)
    memory.stop()

    # Lighthouse while the site is up and quiet.
    lighthouse_results = {}
    if RUN_LIGHTHOUSE:
        lighthouse_pages = [
            ("article", f"{base}/", None),
            ("step", f"{base}{sessions['step']['path']}", sessions["step"]["cookie"]),
            ("result", f"{base}{sessions['results'][0]}", None),
        ]
        for name, url, cookie in lighthouse_pages:
            for preset in ("mobile", "desktop"):
                lighthouse_results[(name, preset)] = None
                # Lighthouse now and then fails to record a trace (NO_NAVSTART): one retry.
                for attempt in (1, 2):
                    wait_for_quiet()
                    try:
                        result = lighthouse(name, url, preset, cookie, lighthouse_dir)
                    except (RuntimeError, OSError, ValueError, KeyError) as error:
                        say(f"lighthouse {name} {preset}, attempt {attempt}: {error}")
                        continue
                    lighthouse_results[(name, preset)] = result
                    say(f"lighthouse {name} {preset}: {result['scores']}")
                    break
    PROCESSES.stop(app)

    # Optional: the article, step, answer and result pages again with each of several worker
    # counts (the sessions are in the database, so the same cookies and result paths serve).
    sweep = sweep_workers(env, pages[:4], logs) if SWEEP else {}

    say("ceilings: the same bytes from nginx (static file) and from a ten-line WSGI app")
    nginx, nginx_port = start_nginx(work, page_file, logs / "nginx.log")
    wait_for_quiet()
    nginx_run = measure(Page("ceiling: nginx static file", "/"), nginx_port, nginx.pid)
    PROCESSES.stop(nginx, signal.SIGQUIT)
    ceiling, ceiling_port, _ = start_gunicorn(
        "ceiling_app:app",
        {**env, "BENCH_PAGE": str(page_file)},
        WORKERS,
        logs / "gunicorn-ceiling.log",
        extra=["--pythonpath", str(BENCH_DIR)],
    )
    ceiling_memory = MemorySampler(ceiling.pid)
    ceiling_memory.start()
    wait_for_quiet()
    wsgi_run = measure(Page("ceiling: WSGI app, gunicorn", "/"), ceiling_port, ceiling.pid)
    ceiling_memory.stop()
    PROCESSES.stop(ceiling)

    print_report(
        app_runs,
        wsgi_run,
        nginx_run,
        memory,
        ceiling_memory,
        startup,
        lighthouse_results,
        sweep,
        len(article.body.encode()),
    )
    return 0


def print_report(
    app_runs,
    wsgi_run,
    nginx_run,
    memory,
    ceiling_memory,
    startup,
    lighthouse_results,
    sweep,
    page_bytes,
) -> None:
    lines = []
    out = lines.append
    ratio_targets = {
        "article /": TARGET_ARTICLE,
        "questionnaire step GET": TARGET_DYNAMIC,
        "result page GET": TARGET_DYNAMIC,
    }
    targets = []  # (what, figure, met)

    def row(run: Run) -> str:
        ratio = run.requests_per_s / wsgi_run.requests_per_s
        notes = []
        if run.page in ratio_targets:
            goal = ratio_targets[run.page]
            notes.append(f"≥{100 * goal:.0f}% of WSGI {met(ratio >= goal)}")
            by_cpu = wsgi_run.server_cpu_ms / run.server_cpu_ms if run.server_cpu_ms else 0
            targets.append(
                (
                    f"{run.page}: ≥{100 * goal:.0f}% of the WSGI ceiling's req/s",
                    f"{fmt_ratio(ratio)} (by CPU per request, less sensitive to other load: "
                    f"{fmt_ratio(by_cpu)})",
                    ratio >= goal,
                )
            )
        if run in app_runs:
            ok = run.p99_ms < TARGET_P99_MS
            notes.append(f"p99 {met(ok)}")
            targets.append((f"{run.page}: p99 < {TARGET_P99_MS} ms", f"{run.p99_ms:.0f} ms", ok))
        return (
            f"{run.page:<28} {run.requests_per_s:>7,.0f} {run.p50_ms:>7.1f} {run.p99_ms:>7.1f} "
            f"{run.errors:>6} {fmt_ratio(ratio):>6} "
            f"{fmt_ratio(run.requests_per_s / nginx_run.requests_per_s):>6} "
            f"{run.server_cpu_ms:>7.2f} {fmt_ratio(run.other_cpu):>6}  " + ", ".join(notes)
        )

    out("")
    out(
        f"make bench: {CPUS} cores; gunicorn {WORKERS} sync workers (config/gunicorn.conf.py); "
        f"wrk {THREADS} threads, {CONNECTIONS} connections, {DURATION} s a page after a "
        f"{WARMUP} s warm-up; article page {page_bytes:,} bytes"
    )
    out("")
    header = (
        f"{'page':<28} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'/WSGI':>6} "
        f"{'/nginx':>6} {'cpu ms':>7} {'noise':>6}  targets"
    )
    out(header)
    out("-" * (len(header) + 24))
    for run in [*app_runs, wsgi_run, nginx_run]:
        out(row(run))
    out("")
    out("errors  responses that are not 2xx/3xx (for the 404 page: not 404), plus socket errors")
    out("/WSGI   req/s against the ten-line WSGI app serving the article's bytes under the same")
    out("        gunicorn settings; /nginx: against nginx serving them as a static file")
    out("cpu ms  CPU time the server (all its processes) spent per request: less sensitive than")
    out("        req/s to what else runs on the machine")
    out("noise   share of the machine's CPU that processes this bench did not start took meanwhile")
    out(f"p99     wrk keeps {CONNECTIONS} requests in flight, so a page's latency is mostly its")
    out(f"        queue: p50 ≈ {CONNECTIONS} / req/s, and p99 < {TARGET_P99_MS} ms needs well over")
    out(f"        {1000 * CONNECTIONS // TARGET_P99_MS:,} req/s")
    noisy = [run.page for run in [*app_runs, wsgi_run, nginx_run] if run.other_cpu > 0.05]
    if noisy:
        out(f"WARNING: other processes were busy during: {', '.join(noisy)}.")
        out("         Their req/s and latencies are lower than this machine gives; 'cpu ms'")
        out("         stays comparable.")

    out("")
    hwm, pss, private = memory.peak("hwm"), memory.peak("pss"), memory.peak("private")
    targets.append(
        (f"peak RSS per worker < {TARGET_RSS_MB} MB", f"{hwm:.1f} MB", hwm < TARGET_RSS_MB)
    )
    out(
        f"peak memory per gunicorn worker ({len(memory.peaks)} workers seen, recycled ones "
        f"included): RSS (VmHWM) {hwm:.1f} MB, PSS {pss:.1f} MB, private {private:.1f} MB"
    )
    out(
        f"  (master RSS {memory.master.get('VmRSS', 0) / 1024:.1f} MB; a worker of the "
        f"ten-line WSGI app peaks at {ceiling_memory.peak('hwm'):.1f} MB RSS)"
    )
    out(f"time from gunicorn start to the first 200 on /: {startup:.2f} s")

    if sweep:
        out("")
        out("workers sweep: medians of interleaved rounds; req/s, p99 ms, cpu ms/request")
        for workers, data in sweep.items():
            figures = "; ".join(
                f"{name.split(' ')[0]} {f['req/s']:,.0f}, {f['p99 ms']:.0f}, {f['cpu ms']:.1f}"
                + (f" ({f['errors']} errors)" if f["errors"] else "")
                for name, f in data["pages"].items()
            )
            out(
                f"  {workers} workers: {figures}; peak RSS/worker {data['hwm_mb']:.0f} MB, "
                f"private {data['private_mb']:.0f} MB"
            )

    if lighthouse_results:
        out("")
        out(f"Lighthouse 12 ({', '.join(CATEGORIES)}):")
        out(
            f"{'page':<8} {'preset':<8} {'perf':>5} {'a11y':>5} {'b-p':>5} {'seo':>5}  "
            "audits below 100"
        )
        all_100 = True
        private_noindex = False
        for (name, preset), result in lighthouse_results.items():
            if result is None:
                all_100 = False
                out(f"{name:<8} {preset:<8} did not finish (see bench-results/lighthouse/)")
                continue
            scores = result["scores"]
            cells = " ".join(f"{'-' if scores[c] is None else scores[c]:>5}" for c in CATEGORIES)
            failing = "; ".join(
                f"{c}: {', '.join(ids)}" for c, ids in result["failing"].items() if ids
            )
            all_100 = all_100 and all(scores[c] == TARGET_LIGHTHOUSE for c in CATEGORIES)
            private_noindex = private_noindex or "is-crawlable" in result["failing"]["seo"]
            out(f"{name:<8} {preset:<8} {cells}  {failing or '-'}")
        if private_noindex:
            out("is-crawlable: the questionnaire and result pages send noindex on purpose (they")
            out("are one reader's answers), and Lighthouse's SEO score counts that against them.")
        scores_text = "all 100" if all_100 else "see above"
        targets.append((f"Lighthouse {TARGET_LIGHTHOUSE} in every category", scores_text, all_100))

    out("")
    out("targets (reported, never enforced):")
    for what, figure, ok in targets:
        out(f"  {'met   ' if ok else 'MISSED'}  {what}: {figure}")
    out("")
    out(f"bench took {time.monotonic() - STARTED:.0f} s; reports in bench-results/")
    text = "\n".join(lines)
    print(text, flush=True)
    (RESULTS / "summary.txt").write_text(text + "\n")
    (RESULTS / "summary.json").write_text(
        json.dumps(
            {
                "workers": WORKERS,
                "runs": [run.__dict__ for run in [*app_runs, wsgi_run, nginx_run]],
                "memory_mb": {"hwm": hwm, "pss": pss, "private": private},
                "startup_s": startup,
                "lighthouse": {
                    f"{name}-{preset}": result
                    for (name, preset), result in lighthouse_results.items()
                },
                "sweep": {str(w): data for w, data in sweep.items()},
                "targets": [
                    {"target": what, "figure": figure, "met": ok} for what, figure, ok in targets
                ],
            },
            indent=2,
        )
        + "\n"
    )


def on_signal(signum, frame):
    say(f"signal {signum}: stopping everything the bench started")
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
