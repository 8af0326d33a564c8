"""Speaking HTTP byte by byte: what a browser sends, and what an attacker can put instead.

http.client refuses much of what an attacker can put on the wire (two Content-Lengths, raw
NULs, a lying length), so requests are built by hand (`build`) and sent over a plain
socket (`exchange`).
"""

import http.client
import socket
from urllib.parse import urlencode, urlsplit

from ..conftest import Response, StackClient

# A site the attacker controls: no answer may point a browser there.
EVIL = "evil.example"


def host_of(stack) -> str:
    return urlsplit(stack.url).netloc


def build(method: str, target, headers: dict, body=b"", content_length=True) -> bytes:
    """One HTTP/1.1 request, byte for byte; the target and header values may be bytes."""
    target = target if isinstance(target, bytes) else target.encode()
    lines = [method.encode() + b" " + target + b" HTTP/1.1"]
    for name, value in headers.items():
        if value is not None:
            lines.append(
                name.encode() + b": " + (value if isinstance(value, bytes) else value.encode())
            )
    if content_length and body:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def exchange(stack, data: bytes, method="GET", half_close=False) -> Response:
    """Send raw bytes, read the answer; status None if the server hung up without one."""
    parts = urlsplit(stack.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        try:
            sock.sendall(data)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a server may refuse (and close) before reading a body it won't take
        raw = http.client.HTTPResponse(sock, method=method)
        try:
            raw.begin()
            return Response(raw.status, raw.getheaders(), raw.read())
        except (http.client.RemoteDisconnected, ConnectionResetError):
            return Response(None, [], b"")


def send(stack, method: str, target, headers: dict, body=b"", **options) -> Response:
    return exchange(stack, build(method, target, headers, body, **options), method=method)


def cookie_header(cookies: dict) -> str | None:
    return "; ".join(f"{name}={value}" for name, value in cookies.items()) or None


def browser_headers(stack, client: StackClient | None = None, **changes) -> dict:
    """What a browser sends with a same-site form POST; a change to None leaves one out.

    Header names are given with "_" for "-": Content_Type=... changes Content-Type.
    """
    headers = {
        "Host": host_of(stack),
        "X-Forwarded-Proto": "https",
        "Origin": f"https://{host_of(stack)}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie_header(client.cookies) if client else None,
    }
    for name, value in changes.items():
        headers[name.replace("_", "-")] = value
    return headers


def page_headers(stack, client: StackClient | None = None, **changes) -> dict:
    """What a browser sends for a page: no Origin, no Content-Type."""
    return browser_headers(stack, client, Origin=None, Content_Type=None, **changes)


def form_body(fields) -> bytes:
    return urlencode(fields, doseq=True).encode()


def multipart(fields, files=(), boundary="hostile-boundary") -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + (value if isinstance(value, bytes) else str(value).encode())
        + b"\r\n"
        for name, value in fields
    ]
    parts += [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
        f"\r\nContent-Type: {content_type}\r\n\r\n".encode()
        + content
        + b"\r\n"
        for name, filename, content_type, content in files
    ]
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def assert_not_a_server_error(response: Response, expected: set[int]):
    assert response.status is not None, "the server hung up without an answer"
    assert response.status < 500, (response.status, response.text[:500])
    assert response.status in expected, (response.status, response.text[:300])
