"""The article through the shipped proxy: `make bench`'s figures for what readers reach.

nginx runs deploy/nginx/pushing-away.conf (bench/siteproxy.py: only ports, folders and a
throwaway certificate replaced; one worker per core) in front of the gunicorn run.py
already measured, and wrk asks for the article over HTTPS with keep-alive, as browsers
do: the TLS handshake once per connection, then requests. Most answers come from the
micro-cache (the page says s-maxage); gunicorn renders it again when that runs out.

Beside it, the nginx static ceiling (the same bytes as a file, plain HTTP) is measured
twice: as run.py measures it (a new connection for every request), and with keep-alive
like the proxy run. The issue's targets: at least half the ceiling's requests a second,
and p99 under 20 ms at 64 connections.

run.py calls measure_proxy() while its gunicorn is up, and print_proxy() at the end;
the figures also go to bench-results/proxy.json.
"""

from __future__ import annotations

import json
import signal
from dataclasses import asdict, dataclass
from pathlib import Path

import siteproxy
import stackserver
from cpu import wait_for_quiet
from knobs import CONNECTIONS, CPUS, RESULTS, say
from measure import Page, Run, measure
from processes import PROCESSES
from servers import start_nginx

TARGET_SHARE = 0.50  # of the nginx static ceiling's req/s
TARGET_P99_MS = 20


@dataclass
class ProxyFigures:
    through_proxy: Run
    cache: dict[str, int]  # X-Cache-Status counts over the run, from nginx's access log
    ceiling_keepalive: Run


def cache_counts(access_log: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in access_log.read_text().splitlines():
        status = json.loads(line).get("cache") or "none"
        counts[status] = counts.get(status, 0) + 1
    return counts


def start_site_proxy(work: Path, gunicorn_port: int, logs: Path):
    """nginx with the shipped site file in front of gunicorn: (process, https port, site)."""
    prefix = work / "site-proxy"
    prefix.mkdir(mode=0o755)
    cert, key = siteproxy.make_certificate(prefix)
    site = siteproxy.Site(
        prefix=prefix,
        gunicorn_port=gunicorn_port,
        static_root=work / "static",
        media_root=work / "media",
        cert=cert,
        key=key,
        http_port=stackserver.free_port(),
        https_port=stackserver.free_port(),
        workers=CPUS,
    )
    log = logs / "nginx-site-proxy.log"
    process = PROCESSES.start(siteproxy.write_config(site), log=log)
    stackserver.wait_until_answers(site.http_port, process, log, path="/", limit=15)
    return process, site


def measure_proxy(work: Path, gunicorn_port: int, page_file: Path, logs: Path) -> ProxyFigures:
    say("the article through deploy/nginx/pushing-away.conf (HTTPS, keep-alive, micro-cache)")
    nginx, site = start_site_proxy(work, gunicorn_port, logs)
    wait_for_quiet()
    article = Page("article / through the proxy (https)", "/")
    site.access_log.write_text("")
    run = measure(article, site.https_port, nginx.pid, scheme="https")
    cache = cache_counts(site.access_log)
    PROCESSES.stop(nginx, signal.SIGQUIT)

    say("ceiling again with keep-alive: the article's bytes as a static file")
    (work / "keepalive").mkdir(mode=0o755)
    static, port = start_nginx(work / "keepalive", page_file, logs / "nginx-keepalive.log", "65")
    wait_for_quiet()
    ceiling = measure(Page("ceiling: nginx static file, keep-alive", "/"), port, static.pid)
    PROCESSES.stop(static, signal.SIGQUIT)
    return ProxyFigures(run, cache, ceiling)


def print_proxy(figures: ProxyFigures, direct: Run, ceiling: Run) -> None:
    """The proxy's figures beside gunicorn's own and the two ceilings, and the targets."""
    proxy = figures.through_proxy
    rows = [
        ("article, gunicorn directly (http)", direct),
        (proxy.page, proxy),
        ("ceiling: nginx static file, new connection each", ceiling),
        (figures.ceiling_keepalive.page, figures.ceiling_keepalive),
    ]
    share = proxy.requests_per_s / ceiling.requests_per_s
    share_keepalive = proxy.requests_per_s / figures.ceiling_keepalive.requests_per_s
    lines = [
        "",
        f"the shipped proxy ({CONNECTIONS} connections):",
        f"  {'page':<50} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7}",
        *(
            f"  {name:<50} {run.requests_per_s:>8,.0f} {run.p50_ms:>7.1f} {run.p99_ms:>7.1f} "
            f"{run.errors:>7}"
            for name, run in rows
        ),
        f"  proxy answers by cache status (warm-up included): {figures.cache}",
        f"  {'met   ' if share >= TARGET_SHARE else 'MISSED'}  proxy >= "
        f"{TARGET_SHARE:.0%} of the nginx static ceiling: {share:.0%} "
        f"({share_keepalive:.0%} of the keep-alive ceiling)",
        f"  {'met   ' if proxy.p99_ms < TARGET_P99_MS else 'MISSED'}  proxy p99 < "
        f"{TARGET_P99_MS} ms: {proxy.p99_ms:.1f} ms",
    ]
    print("\n".join(lines), flush=True)
    (RESULTS / "proxy.json").write_text(
        json.dumps(
            {
                "runs": [asdict(run) for _name, run in rows],
                "cache": figures.cache,
                "share_of_ceiling": share,
                "share_of_keepalive_ceiling": share_keepalive,
            },
            indent=2,
        )
        + "\n"
    )
