"""`make observatory`: the site's grade under the MDN HTTP Observatory's scoring.

The scanner (@mdn/mdn-http-observatory, pinned in package.json here) fetches
http://<host>/ and https://<host>/ on ports 80 and 443, so this builds the production
set-up on this machine and points it at `localhost`:

1. Debian's nginx, its brotli module and openssl when missing, and the scanner from
   package-lock.json (`npm ci --ignore-scripts`: its postinstall downloads Chromium's HSTS
   preload list and Mozilla's CA bundle from the internet; see ensure_scanner);
2. a throwaway SQLite database and static files in a temp dir: migrate, seed content,
   collectstatic, as the stack tests and `make bench` do (bench/stackserver.py);
3. gunicorn (config/gunicorn.conf.py) with DEBUG off, DJANGO_SECURE=1 and
   DJANGO_ALLOWED_HOSTS=localhost on a free 127.0.0.1 port;
4. nginx running the site file a server installs (deploy/nginx/pushing-away.conf, through
   bench/siteproxy.py: only its ports, name, certificate and folders replaced) with a
   private prefix in the temp dir, on 127.0.0.1:80 (the redirect to https) and :443 (TLS
   with a throwaway self-signed certificate for localhost);
5. the scan, then its grade, score and every test's result, and proof from nginx's access
   log that the scanner talked to this nginx on 127.0.0.1 over both ports;
6. nginx and gunicorn stopped and the temp dir removed, on success, failure or Ctrl+C.

It needs root (or CAP_NET_BIND_SERVICE) for ports 80 and 443, and both must be free.
It exits non-zero only when it could not measure; the grade itself is printed, not judged.
OBSERVATORY_JSON=path also writes the scanner's full JSON there; OBSERVATORY_KEEP=1 keeps
the temp dir (logs, nginx.conf) for a look afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run by path, so only this folder is on sys.path; the start-up shared with the bench and
# the stack tests is one folder up.
sys.path.insert(0, str(HERE.parent))
import siteproxy  # noqa: E402
import stackserver  # noqa: E402

SCANNER_DIR = HERE / "node_modules" / "@mdn" / "mdn-http-observatory"
# The CLI itself (a commander program named mdn-http-observatory-scan). Its bin wrapper
# (bin/wrapper.js) only sets NODE_EXTRA_CA_CERTS to Mozilla's bundle, which
# --ignore-scripts never downloaded, and would overwrite ours; see scan().
SCANNER = SCANNER_DIR / "src" / "scan.js"
STAMP = HERE / "node_modules" / ".installed"
HOSTNAME = "localhost"
SCANNER_UA_MARK = "Observatory/"  # in the scanner's User-Agent


def say(message: str) -> None:
    print(f"[observatory] {message}", flush=True)


class Failed(Exception):
    """The grade could not be measured."""


# --- 1. tools -----------------------------------------------------------------------------


def ensure_debian_tools() -> None:
    missing = siteproxy.missing_tools()
    if not missing:
        return
    say(f"installing Debian's {' '.join(missing)}...")
    # This script starts nginx itself on 80/443 and stops it: the package must not start
    # (and leave running) the system's nginx on port 80. policy-rc.d saying 101 forbids it.
    guard = Path("/usr/sbin/policy-rc.d")
    made_guard = not guard.exists()
    if made_guard:
        guard.write_text("#!/bin/sh\nexit 101\n")
        guard.chmod(0o755)
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            stdout=subprocess.DEVNULL,
        )
    finally:
        if made_guard:
            guard.unlink(missing_ok=True)


def ensure_scanner() -> None:
    for tool in ("node", "npm"):
        if not shutil.which(tool):
            raise Failed(f"{tool} is missing (Node 20 or later with npm)")
    inputs = [HERE / "package.json", HERE / "package-lock.json"]
    if not STAMP.exists() or any(p.stat().st_mtime > STAMP.stat().st_mtime for p in inputs):
        say("installing the scanner: npm ci --ignore-scripts --prefix bench/observatory")
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--prefix", str(HERE),
             "--no-audit", "--no-fund", "--loglevel=error"],
            check=True,
        )  # fmt: skip
        STAMP.touch()
    # The skipped postinstall would have written Chromium's HSTS preload list here, and the
    # HSTS test reads it. `localhost` is on no preload list, so an empty one gives the same
    # answer for this scan: HSTS is graded on the header alone.
    preload = SCANNER_DIR / "conf" / "hsts-preload.json"
    if not preload.exists():
        preload.write_text("{}\n")


# --- 2.-4. the stack ----------------------------------------------------------------------


def check_ports_free() -> None:
    for port in (80, 443):
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except PermissionError:
                raise Failed(f"port {port} needs root (or CAP_NET_BIND_SERVICE)") from None
            except OSError:
                raise Failed(
                    f"port {port} on 127.0.0.1 is taken; stop what listens there"
                ) from None
        # The scanner resolves `localhost` itself; if something answered on [::1] it could
        # grade that server instead of this one.
        try:
            socket.create_connection(("::1", port), timeout=1).close()
        except OSError:
            continue
        raise Failed(f"something answers on [::1]:{port}; the scan could reach it, not nginx")


def django_environment(work: Path, port: int) -> dict:
    database, _ = stackserver.fresh_database(work)  # a SQLite file in `work`
    return stackserver.production_env(
        work,
        database,
        without=("REDIS_URL", "SITE_URL", "DJANGO_CSRF_TRUSTED_ORIGINS"),
        DJANGO_SECURE="1",
        DJANGO_ALLOWED_HOSTS=HOSTNAME,
        WEB_CONCURRENCY="2",
        HOST="127.0.0.1",
        PORT=str(port),
    )


class Processes:
    """Everything started here, stopped in reverse order whatever happens."""

    def __init__(self):
        self.running: list[tuple[str, subprocess.Popen, int]] = []

    def start(self, name: str, args: list[str], stop_signal: int, **kwargs) -> subprocess.Popen:
        # A session of its own: the whole group (master and workers) can be signalled.
        process = subprocess.Popen(args, start_new_session=True, **kwargs)
        self.running.append((name, process, stop_signal))
        return process

    def stop_all(self) -> None:
        while self.running:
            name, process, stop_signal = self.running.pop()
            if process.poll() is None:
                process.send_signal(stop_signal)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    say(f"{name} did not stop in 15 s; killing it")
            # Workers left behind by a master that died or was killed.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until(check, what: str, process: subprocess.Popen, log: Path, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return check()
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise Failed(f"{what} did not start:\n{log.read_text(errors='replace')[-4000:]}")
        time.sleep(0.2)


def nginx_ready(cert: Path) -> None:
    """https://localhost/healthz through nginx, the certificate verified for localhost."""
    context = ssl.create_default_context(cafile=str(cert))
    raw = socket.create_connection(("127.0.0.1", 443), timeout=5)
    with context.wrap_socket(raw, server_hostname=HOSTNAME) as tls:
        request = f"GET /healthz HTTP/1.1\r\nHost: {HOSTNAME}\r\nConnection: close\r\n\r\n"
        tls.sendall(request.encode())
        status_line = tls.recv(64).split(b"\r\n", 1)[0]
    if status_line.split()[1:2] != [b"200"]:
        raise OSError(f"https://{HOSTNAME}/healthz answered {status_line!r}")


# --- 5. the scan --------------------------------------------------------------------------


def node_resolves_localhost() -> list[str]:
    script = (
        "require('dns').lookup(process.argv[1], {all: true}, (e, a) => "
        "console.log(JSON.stringify(e ? [] : a.map((x) => x.address))))"
    )
    out = subprocess.run(
        ["node", "-e", script, HOSTNAME], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def scan(cert: Path) -> dict:
    env = {
        **os.environ,
        # Only because the certificate is a throwaway self-signed one for localhost; in
        # production a real certificate is used and this variable must not be set.
        "NODE_TLS_REJECT_UNAUTHORIZED": "0",
        # The scanner's main page fetch sets rejectUnauthorized: true explicitly, which
        # NODE_TLS_REJECT_UNAUTHORIZED does not override. On a certificate it cannot verify
        # it retries unverified and then grades HSTS and redirection as "invalid-cert"
        # (-20 each), which a real certificate never gets. So Node also trusts this one
        # throwaway certificate, and nothing else is changed: the scan then grades what
        # production would serve.
        "NODE_EXTRA_CA_CERTS": str(cert),
    }
    result = subprocess.run(
        ["node", str(SCANNER), HOSTNAME], cwd=HERE, env=env, capture_output=True, text=True,
        timeout=180,
    )  # fmt: skip
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise Failed(f"the scanner printed no JSON:\n{result.stdout}{result.stderr}") from None
    if result.returncode != 0 or "error" in report:
        raise Failed(f"the scan failed: {report.get('error')}\n{result.stderr}")
    return report


def scanner_requests(access_log: Path) -> list[str]:
    """The scanner's requests nginx logged: on both ports, and all from 127.0.0.1."""
    lines = [
        line
        for line in access_log.read_text(errors="replace").splitlines()
        if SCANNER_UA_MARK in line
    ]
    for line in lines:
        if not line.startswith("127.0.0.1 "):
            raise Failed(f"nginx saw the scanner from another address: {line}")
    ports = {line.split(" ", 2)[1] for line in lines}
    if not {"80", "443"} <= ports:
        raise Failed(
            "nginx did not see the scanner on both ports 80 and 443: it scanned another "
            f"server\n{access_log.read_text(errors='replace')}"
        )
    return lines


def compact(value) -> str:
    return json.dumps(value, separators=(",", ":"))


# Each test's evidence, printed under its result: the header graded, or what was found.
DETAIL = {
    "content-security-policy": lambda t, h: (
        f"header: {h.get('content-security-policy')}\n"
        f"flags: {', '.join(k for k, v in (t.get('policy') or {}).items() if v) or 'none'}"
    ),
    "cookies": lambda t, h: f"cookies: {compact(t.get('data'))}",
    "cross-origin-resource-sharing": lambda t, h: f"access-control-allow-origin: {t.get('data')}",
    "redirection": lambda t, h: f"route: {' -> '.join(t.get('route') or []) or 'none'}",
    "referrer-policy": lambda t, h: f"header: {t.get('data')}",
    "strict-transport-security": lambda t, h: (
        f"header: {t.get('data')} (on the preload list: {'yes' if t.get('preloaded') else 'no'})"
    ),
    "subresource-integrity": lambda t, h: f"external scripts: {compact(t.get('data'))}",
    "x-content-type-options": lambda t, h: f"header: {t.get('data')}",
    "x-frame-options": lambda t, h: f"header: {t.get('data')}",
    "cross-origin-resource-policy": lambda t, h: f"header: {t.get('data')}",
}


def print_report(report: dict, requests: list[str], resolved: list[str], seconds: float):
    summary = report["scan"]
    headers = summary.get("responseHeaders", {})
    print()
    print(f"MDN HTTP Observatory (algorithm v{summary['algorithmVersion']}) on {HOSTNAME}")
    print(
        f"  grade {summary['grade']}   score {summary['score']}   "
        f"tests passed {summary['testsPassed']}/{summary['testsQuantity']}, "
        f"failed {summary['testsFailed']}   final status {summary['statusCode']}"
    )
    print()
    print(f"  {'test':<30} {'pass':<4} {'points':>6}  result")
    for name, test in report["tests"].items():
        points = test.get("scoreModifier", 0)
        print(f"  {name:<30} {'yes' if test['pass'] else 'NO':<4} {points:>+6}  {test['result']}")
        for line in DETAIL.get(name, lambda t, h: "")(test, headers).splitlines():
            print(f"  {'':<30} {'':<4} {'':>6}    {line}")
    print()
    print(
        f"  Node resolves {HOSTNAME} to {', '.join(resolved)}; nginx logged the scanner's requests:"
    )
    for line in requests:
        print(f"    {line}")
    print(f"  took {seconds:.1f} s")


# --- the run ------------------------------------------------------------------------------


def start_gunicorn(processes: Processes, work: Path) -> int:
    """The site on a throwaway database in `work` (bench/stackserver.py); its port."""
    port = stackserver.free_port()
    env = django_environment(work, port)
    say("throwaway database and static files: migrate, load_seed_content, collectstatic")
    stackserver.prepare(env)
    say(f"gunicorn (DJANGO_SECURE=1, DEBUG off) on 127.0.0.1:{port}")
    log_path = work / "gunicorn.log"
    with log_path.open("w") as log:
        gunicorn = processes.start(
            "gunicorn",
            stackserver.gunicorn_command(),
            signal.SIGTERM,
            cwd=stackserver.ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    # What nginx will send: the public name, and https as the scheme.
    headers = {"Host": HOSTNAME, "X-Forwarded-Proto": "https"}
    stackserver.wait_until_answers(port, gunicorn, log_path, headers=headers, status=200)
    return port


# The scanner's requests, with the address and port they came to, beside the site's own
# log lines (which name neither): scanner_requests() reads them.
SCANNER_LOG_FORMAT = (
    'log_format observatory \'$remote_addr $server_port $scheme "$request" $status '
    '"$http_user_agent"\';'
)


def nginx_site(prefix: Path, gunicorn_port: int, static_root: Path) -> siteproxy.Site:
    """The shipped site file on 127.0.0.1:80 and :443 for localhost, in `prefix`."""
    prefix.mkdir(parents=True, exist_ok=True)
    cert, key = siteproxy.make_certificate(prefix, HOSTNAME)
    return siteproxy.Site(
        prefix=prefix,
        gunicorn_port=gunicorn_port,
        static_root=static_root,
        media_root=static_root.parent / "media",
        cert=cert,
        key=key,
        http_port=80,
        https_port=443,
        server_name=HOSTNAME,
        extra_access_logs=(f"access_log {prefix / 'scanner.log'} observatory",),
        log_formats=(SCANNER_LOG_FORMAT,),
    )


def start_nginx(processes: Processes, work: Path, gunicorn_port: int) -> siteproxy.Site:
    """nginx running deploy/nginx/pushing-away.conf in front of gunicorn on 80 and 443."""
    say("nginx with deploy/nginx/pushing-away.conf on 127.0.0.1:80 and :443 (self-signed)")
    site = nginx_site(work / "nginx", gunicorn_port, work / "static")
    command = siteproxy.write_config(site)
    nginx_log = site.prefix / "stderr.log"
    with nginx_log.open("w") as log:
        nginx = processes.start(
            "nginx", command, signal.SIGQUIT, stdout=log, stderr=subprocess.STDOUT
        )
    wait_until(lambda: nginx_ready(site.cert), "nginx", nginx, site.error_log)
    return site


def run() -> int:
    started = time.monotonic()
    ensure_debian_tools()
    ensure_scanner()
    check_ports_free()
    resolved = node_resolves_localhost()
    if "127.0.0.1" not in resolved:
        raise Failed(f"Node resolves localhost to {resolved}, not 127.0.0.1")

    work = Path(tempfile.mkdtemp(prefix="observatory-"))
    processes = Processes()
    try:
        gunicorn_port = start_gunicorn(processes, work)
        site = start_nginx(processes, work, gunicorn_port)
        say(f"scanning {HOSTNAME} (http://{HOSTNAME}/ and https://{HOSTNAME}/)")
        report = scan(site.cert)
        requests = scanner_requests(site.prefix / "scanner.log")
        if os.environ.get("OBSERVATORY_JSON"):
            Path(os.environ["OBSERVATORY_JSON"]).write_text(json.dumps(report, indent=2) + "\n")
        print_report(report, requests, resolved, time.monotonic() - started)
        return 0
    finally:
        processes.stop_all()
        if os.environ.get("OBSERVATORY_KEEP") == "1":
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    # No options (OBSERVATORY_JSON and OBSERVATORY_KEEP are environment variables), but
    # --help answers with the docstring instead of installing packages and binding ports.
    argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    ).parse_args()

    # SIGTERM and SIGHUP unwind like Ctrl+C, through the finally that stops the servers.
    def interrupt(signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGHUP, interrupt)
    try:
        return run()
    except (Failed, stackserver.NotServing) as error:
        say(f"FAILED: {error}")
        return 1
    except KeyboardInterrupt:
        say("interrupted; nginx and gunicorn stopped")
        return 130


if __name__ == "__main__":
    sys.exit(main())
