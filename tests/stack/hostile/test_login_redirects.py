"""Where a login sends the editor next: never off the site."""

import re
from urllib.parse import urljoin, urlsplit

import pytest

from ..editors import log_in
from .wire import EVIL, assert_not_a_server_error, host_of

NEXT_URLS = {
    "protocol-relative": f"//{EVIL}/",
    "absolute-https": f"https://{EVIL}/",
    "slash-backslash": f"/\\{EVIL}",
    "backslashes": f"\\\\{EVIL}",
    "javascript": "javascript:alert(document.cookie)",
    "data-url": "data:text/html,<script>alert(1)</script>",
    "scheme-without-slashes": f"https:{EVIL}",
    "triple-slash": f"///{EVIL}",
    "tab-between-slashes": f"/\t/{EVIL}",
    "leading-space": f" //{EVIL}",
    "this-site-as-userinfo": f"https://127.0.0.1@{EVIL}/",
    "encoded-slashes": f"/%2F%2F{EVIL}",
}


@pytest.mark.parametrize("case", NEXT_URLS)
def test_a_login_never_redirects_off_the_site(stack, case):
    client = stack.client()
    response = log_in(client, NEXT_URLS[case])
    assert_not_a_server_error(response, {302})
    assert "sessionid" in client.cookies, "the login itself failed"
    location = response.header("Location")
    # Read the address as a browser does: tabs and newlines dropped, "\" taken for "/".
    cleaned = re.sub(r"[\t\n\r]", "", location).strip("\x00 ").replace("\\", "/")
    target = urlsplit(urljoin(f"https://{host_of(stack)}/admin/login/", cleaned))
    assert (target.scheme, target.netloc) == ("https", host_of(stack)), location
