"""Forged Host headers and absolute request targets never reach a page."""

from urllib.parse import urlsplit

import pytest

from .wire import EVIL, assert_not_a_server_error, browser_headers, page_headers, send

# This site by another allowed name, localhost:port, filled in at run time. (Not 127.0.0.1:
# Django logs a refused Host header in full, and the server log must hold no addresses.)
HERE = "{here}"
# name: (method, request target, header changes, right statuses)
HOSTS = {
    "evil-host": ("GET", "/", {"Host": EVIL}, {400}),
    "evil-host-with-a-port": ("GET", "/", {"Host": f"{EVIL}:443"}, {400}),
    "host-with-userinfo": ("GET", "/", {"Host": f"{HERE}@{EVIL}"}, {400}),
    "host-list": ("GET", "/", {"Host": f"{HERE}, {EVIL}"}, {400}),
    "empty-host": ("GET", "/", {"Host": ""}, {400}),
    "evil-host-on-the-https-redirect": (
        "GET", "/", {"Host": EVIL, "X-Forwarded-Proto": "http"}, {400}
    ),
    "evil-host-on-a-login-post": ("POST", "/admin/login/", {"Host": EVIL}, {400}),
    "x-forwarded-host-is-ignored": ("GET", "/", {"X-Forwarded-Host": EVIL}, {200}),
    "absolute-uri-naming-evil": ("GET", f"http://{EVIL}/", {}, {200}),
    "absolute-uri-and-host-naming-evil": ("GET", f"http://{EVIL}/", {"Host": EVIL}, {400}),
    "absolute-uri-with-userinfo": ("GET", f"https://{HERE}@{EVIL}/", {}, {200}),
}  # fmt: skip


@pytest.mark.parametrize("case", HOSTS)
def test_forged_hosts_never_reach_a_page(stack, case):
    method, target, changes, expected = HOSTS[case]
    here = f"localhost:{urlsplit(stack.url).port}"
    changes = {name: value.replace(HERE, here) for name, value in changes.items()}
    if method == "GET":
        headers = page_headers(stack, **changes)
    else:
        headers = browser_headers(stack, **changes)
    response = send(
        stack, method, target.replace(HERE, here), headers, b"x=1" if method == "POST" else b""
    )
    assert_not_a_server_error(response, expected)
    assert EVIL.encode() not in response.body
    assert EVIL not in (response.header("Location") or "")
