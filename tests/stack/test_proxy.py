"""The production proxy: readers reach gunicorn only through deploy/nginx/pushing-away.conf.

One gunicorn with the production settings (a fresh database, seeded, DJANGO_SECURE=1), and
in front of it nginx running the very site file a server installs, with only its `# SITE:`
values replaced (bench/siteproxy.py): free ports, folders in the test's temp dir, and a
throwaway certificate for `localhost`. Readers here speak HTTPS to nginx, never to
gunicorn, and send no X-Forwarded-Proto of their own: nginx sets it.

The grade test needs ports 80 and 443 (the MDN scanner only knows those) and so root; it
fails, saying so, where it cannot have them.
"""

import http.client
import os
import re
import signal
import socket
import ssl
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest

from bench import siteproxy
from bench.stackserver import free_port, fresh_database, prepare

from ..quiz_helpers import START
from .conftest import Response, Stack, StackClient, serving, stack_environment
from .test_load import Visitor, run_visitor

S_MAXAGE = re.compile(r"s-maxage=(\d+)")


@dataclass
class Seen:
    method: str
    path: str
    status: int
    cache: str | None  # nginx's X-Cache-Status: HIT, MISS, EXPIRED, BYPASS, ...
    cache_control: str | None
    with_session: bool  # the browser sent a session cookie

    @property
    def is_a_newcomers_public_page(self) -> bool:
        """The start page as every browser without a session gets it (quiz/views.py)."""
        return self.method == "GET" and self.path == START and not self.with_session


class ProxyClient(StackClient):
    """A browser on https://localhost:PORT, trusting only the throwaway certificate, that
    remembers each answer's cache status."""

    proxy_headers = {}

    def __init__(self, port: int, context: ssl.SSLContext):
        super().__init__(f"https://localhost:{port}")
        self.context = context
        self.seen: list[Seen] = []

    def connect(self):
        return http.client.HTTPSConnection(self.host, self.port, context=self.context, timeout=30)

    def request(self, method, path, body=b"", headers=None) -> Response:
        with_session = "sessionid" in self.cookies
        response = super().request(method, path, body=body, headers=headers)
        self.seen.append(
            Seen(
                method,
                path,
                response.status,
                response.header("X-Cache-Status"),
                response.header("Cache-Control"),
                with_session,
            )
        )
        return response


@dataclass
class Proxied:
    stack: Stack
    site: siteproxy.Site
    context: ssl.SSLContext
    clients: list[ProxyClient] = field(default_factory=list)

    def client(self) -> ProxyClient:
        client = ProxyClient(self.site.https_port, self.context)
        self.clients.append(client)
        return client


def start_nginx(site: siteproxy.Site) -> subprocess.Popen:
    command = siteproxy.write_config(site)
    log = (site.prefix / "stderr.log").open("w")
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGQUIT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for_https(site: siteproxy.Site, process: subprocess.Popen, context: ssl.SSLContext):
    deadline = time.monotonic() + 15
    while True:
        try:
            connection = http.client.HTTPSConnection(
                site.server_name, site.https_port, context=context, timeout=5
            )
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"nginx did not answer:\n{site.error_log.read_text(errors='replace')}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    if missing := siteproxy.missing_tools():
        pytest.fail(f"missing Debian packages {missing}: `make nginx` installs them")
    tmp_path = tmp_path_factory.mktemp("proxy")
    gunicorn_port, https_port = free_port(), free_port()
    database_env, drop_database = fresh_database(tmp_path, os.environ.get("DATABASE_URL"))
    env = stack_environment(tmp_path, gunicorn_port, database_env)
    env.update(
        DJANGO_ALLOWED_HOSTS="localhost",
        # nginx passes Host without the port (as it is on 443); the browser's Origin has it.
        DJANGO_CSRF_TRUSTED_ORIGINS=f"https://localhost:{https_port}",
        RATELIMIT_IP_META_KEY="HTTP_X_REAL_IP",
        # How long shared caches may keep a public page (s-maxage; a minute in
        # production): short here, so the publish test waits seconds, not a minute. The
        # tests read the value from the pages' own Cache-Control, whatever it is.
        SHARED_CACHE_SECONDS="10",
    )
    stack = Stack(f"http://127.0.0.1:{gunicorn_port}", env, None)
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    cert, key = siteproxy.make_certificate(prefix)
    site = siteproxy.Site(
        prefix=prefix,
        gunicorn_port=gunicorn_port,
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
        cert=cert,
        key=key,
        http_port=free_port(),
        https_port=https_port,
    )
    context = ssl.create_default_context(cafile=str(cert))
    try:
        prepare(env)
        with serving(stack, tmp_path / "gunicorn.log"):
            nginx = start_nginx(site)
            try:
                wait_for_https(site, nginx, context)
                yield Proxied(stack, site, context)
            finally:
                stop(nginx)
    finally:
        drop_database()


def test_two_readers_never_get_each_others_private_pages(proxied):
    # Both take the questionnaire at the same time, each in her own browser.
    ada, bea = Visitor(proxied, 1), Visitor(proxied, 2)
    together = threading.Barrier(2)
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda reader: run_visitor(reader, together), (ada, bea)))
    assert (ada.errors, bea.errors) == ([], [])
    assert ada.token != bea.token

    # Each opens her own result again, in turns: her page, with what only she may do.
    for _ in range(3):
        for reader, other in ((ada, bea), (bea, ada)):
            page = reader.client.get(f"/results/{reader.token}/")
            assert page.status == 200
            assert f"/results/{reader.token}/delete/" in page.text
            assert other.token not in page.text
            assert reader.client.get(START).status == 200

    # Someone else given Ada's address (Bea, and a browser with no cookies at all, twice)
    # sees the read-only page, never Ada's own as the proxy might have kept it.
    cara = proxied.client()
    for viewer in (bea.client, cara, cara):
        page = viewer.get(f"/results/{ada.token}/")
        assert page.status == 200
        assert "read-only" in page.text
        assert f"/results/{ada.token}/delete/" not in page.text

    # A page that sets a cookie is not stored either: each new browser gets its own.
    dora, eve = proxied.client(), proxied.client()
    assert dora.get("/admin/login/").status == eve.get("/admin/login/").status == 200
    assert dora.cookies["csrftoken"] != eve.cookies["csrftoken"]

    everyone = (ada.client, bea.client, cara, dora, eve)
    private = [
        seen for client in everyone for seen in client.seen if not seen.is_a_newcomers_public_page
    ]
    assert len(private) > 30
    assert [s for s in private if s.cache == "HIT"] == []
    # Because the site said so: every one of these answers is private or no-store.
    assert [
        (s.method, s.path, s.cache_control)
        for s in private
        if s.status == 200 and not re.search(r"private|no-store", s.cache_control or "")
    ] == []


def s_maxage(response) -> int:
    match = S_MAXAGE.search(response.header("Cache-Control") or "")
    assert match, f"a public page without s-maxage: {response.header('Cache-Control')}"
    return int(match.group(1))


def test_public_pages_come_from_the_micro_cache_for_readers_without_a_session(proxied):
    reader = proxied.client()
    reader.get("/articles/")
    again = reader.get("/articles/")
    assert again.status == 200
    assert again.header("X-Cache-Status") == "HIT"
    assert "public" in again.header("Cache-Control")
    # The questionnaire's start page as newcomers get it: one page for all, no form token.
    reader.get(START)
    start_page = reader.get(START)
    assert start_page.header("X-Cache-Status") == "HIT"
    assert "csrfmiddlewaretoken" not in start_page.text

    # A reader in the middle of a questionnaire gets the article from gunicorn itself.
    answering = proxied.client()
    answering.post(START, {"csrfmiddlewaretoken": answering.csrf_token()})
    assert "sessionid" in answering.cookies
    assert answering.get("/articles/").header("X-Cache-Status") == "BYPASS"


NEW_TITLE = "A title published while readers were reading"


def test_a_publish_reaches_readers_within_the_time_the_site_states(proxied):
    reader = proxied.client()
    first = reader.get("/")
    cached = reader.get("/")
    assert cached.header("X-Cache-Status") == "HIT"
    assert NEW_TITLE not in cached.text
    # What the site states: shared caches may keep a page s-maxage seconds. Its own page
    # cache adds nothing: the publish tells every worker at once (through Redis, or the
    # generation file beside the SQLite database).
    stated = s_maxage(first)

    assert proxied.stack.retitle_and_publish(NEW_TITLE) != NEW_TITLE
    published = time.monotonic()
    served = []
    while True:
        page = reader.get("/")
        waited = time.monotonic() - published
        served.append((round(waited, 1), page.header("X-Cache-Status")))
        if NEW_TITLE in page.text:
            break
        assert page.header("X-Cache-Status") in ("HIT", "UPDATING", "STALE"), served
        # One second over for the polling and the clock's grain.
        assert waited <= stated + 1, f"still the old page after {waited:.0f} s: {served}"
        time.sleep(0.5)
    assert waited <= stated + 1
    # The old page was still being served from the proxy's cache after the publish: the
    # time above is the cache's doing, not a page that was never cached.
    assert served[0][1] == "HIT", served


def test_static_files_come_from_disk_precompressed_and_kept_a_year(proxied):
    reader = proxied.client()
    css = reader.get("/").text.split('<link rel="stylesheet" href="')[1].split('"')[0]
    for encoding in ("br", "gzip"):
        response = reader.get(css, headers={"Accept-Encoding": encoding})
        assert response.status == 200
        assert response.header("Content-Encoding") == encoding
        assert response.header("Cache-Control") == "public, max-age=31536000, immutable"
        assert response.header("X-Content-Type-Options") == "nosniff"
        # nginx, not gunicorn: the cache was never asked.
        assert response.header("X-Cache-Status") is None


def test_https_speaks_http2_and_plain_http_only_redirects(proxied):
    site = proxied.site
    context = ssl.create_default_context(cafile=str(site.cert))
    context.set_alpn_protocols(["h2", "http/1.1"])  # what a browser offers
    with (
        socket.create_connection(("127.0.0.1", site.https_port)) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        assert tls.selected_alpn_protocol() == "h2"
    connection = http.client.HTTPConnection("127.0.0.1", site.http_port, timeout=10)
    connection.request("GET", "/read/anything/?q=1", headers={"Host": "localhost"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == "https://localhost/read/anything/?q=1"


def test_bodies_over_djangos_limit_are_refused_by_nginx(proxied):
    reader = proxied.client()
    token = reader.csrf_token()
    over = reader.post(START, body=b"a=" + b"x" * (512 * 1024), headers={})
    assert over.status == 413
    under = reader.post(START, {"csrfmiddlewaretoken": token, "pad": "x" * 400_000})
    assert under.status == 302  # Django read it and started a questionnaire


def test_the_access_log_names_no_path_token_or_address(proxied):
    reader = proxied.client()
    reader.get("/results/" + "A" * 43 + "/")
    log = proxied.site.access_log.read_text()
    assert '"logger": "nginx.access"' in log
    assert "/results/" not in log and "A" * 43 not in log
    assert "127.0.0.1" not in log


def test_the_mdn_observatory_grade_is_a_plus(proxied, tmp_path):
    """bench/observatory's scan, on this gunicorn behind the same site file on 80 and 443."""
    from bench.observatory import run as observatory

    try:
        observatory.check_ports_free()
        observatory.ensure_scanner()
    except observatory.Failed as error:
        pytest.fail(f"The Observatory grade could not be measured here: {error}")
    site = observatory.nginx_site(
        tmp_path / "nginx", proxied.site.gunicorn_port, proxied.site.static_root
    )
    nginx = start_nginx(site)
    try:
        wait_for_https(site, nginx, ssl.create_default_context(cafile=str(site.cert)))
        report = observatory.scan(site.cert)
        observatory.scanner_requests(site.prefix / "scanner.log")  # reached this nginx
    finally:
        stop(nginx)
    failed = {name: test["result"] for name, test in report["tests"].items() if not test["pass"]}
    assert (report["scan"]["grade"], failed) == ("A+", {})
