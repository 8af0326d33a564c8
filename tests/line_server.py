"""A local web server for the support-line checker's tests, on 127.0.0.1 and a free port.

Each path answers one way a helpline's site can; `requests` lists what it was asked
(method, path, User-Agent, Cookie). `never` is a second port that takes connections and
never answers: it listens but never accepts, so the kernel completes the handshake and
the checker waits for an answer that does not come.
"""

import shutil
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REDIRECTS = {
    "/loop-a": "/loop-b",
    "/loop-b": "/loop-a",
    "/chain-1": "/chain-2",
    "/chain-2": "chain-3",  # relative, as servers send them
    "/chain-3": "/ok",
    **{f"/far-{n}": f"/far-{n + 1}" for n in range(20)},  # longer than any cap, no loop
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def answer(self, body: bool):
        self.server.requests.append(
            (self.command, self.path, self.headers["User-Agent"], self.headers["Cookie"])
        )
        if self.path in REDIRECTS:
            self.reply(302, body, Location=REDIRECTS[self.path], **{"Set-Cookie": "seen=1"})
        elif self.path == "/ok":
            self.reply(200, body, **{"Set-Cookie": "tracked=1"})
        elif self.path == "/no-head":
            self.reply(405 if self.command == "HEAD" else 200, body, Allow="GET")
        elif self.path == "/broken":
            self.reply(503, body)
        else:
            self.reply(404, body)

    def reply(self, status: int, body: bool, **headers):
        content = b"An answer."
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if body:
            self.wfile.write(content)

    def log_message(self, format, *args):
        pass  # the tests read `requests`; the terminal needs no access log


class LineServer:
    def __init__(self):
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.http.requests = []
        self.silent = socket.create_server(("127.0.0.1", 0), backlog=8)
        # A short poll, so that closing the server does not cost each test half a second.
        self.thread = threading.Thread(
            target=self.http.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    @property
    def requests(self) -> list[tuple[str, str, str, str | None]]:
        return self.http.requests

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.http.server_address[1]}{path}"

    @property
    def never(self) -> str:
        return f"http://127.0.0.1:{self.silent.getsockname()[1]}/"

    def close(self):
        self.http.shutdown()
        self.http.server_close()
        self.silent.close()


class SelfSignedServer:
    """HTTPS on 127.0.0.1 with a certificate nobody vouches for, made by openssl (which
    `make observatory` needs as well): what a hijacked or lapsed helpline domain shows."""

    def __init__(self, folder: Path):
        if not shutil.which("openssl"):
            raise RuntimeError("openssl is missing: apt-get install openssl")
        key, cert = folder / "key.pem", folder / "cert.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", str(key), "-out", str(cert)],
            check=True,
            capture_output=True,
            timeout=30,
        )  # fmt: skip
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.http.requests = []
        self.http.socket = context.wrap_socket(self.http.socket, server_side=True)
        self.thread = threading.Thread(
            target=self.http.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.http.server_address[1]}{path}"

    def close(self):
        self.http.shutdown()
        self.http.server_close()
