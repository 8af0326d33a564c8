"""Ask a support line's web address whether it still answers, as a browser would find it.

No database here: `check_address()` follows one address (its redirects too) and says what
came back; `quiz/line_checks.py` chooses the addresses and records the answers.

How it asks, and why:
- HEAD first, since only the status matters and a helpline's page need not be sent; GET
  when the server refuses HEAD (405, 501), as some do.
- Redirects are followed here, not by a library, so each hop counts against the run's
  `Budget`, a loop is named as a loop, and a chain stops after `MAX_REDIRECTS`.
- Every wait on the network (connecting, each read of the answer) gives up after
  `timeout` seconds. The body is never read. Name lookups use the system resolver and
  its own timeout.
- One neutral User-Agent that names the site, nothing else: no cookies are kept or sent,
  no Referer, nothing about any reader.
- Only public addresses, at every hop: the checker runs inside the site's network, and an
  address typed by a stolen editor account (or a redirect) must not make it probe the
  database, the cache or a cloud's metadata service. The name is looked up once and the
  connection goes to the address that was vetted, so a second lookup cannot swap it.
  `allow_private` is for tests against a local server.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import quote, urldefrag, urljoin, urlsplit

from advice.checks import Problem, gettext_noop

from .models import LineCheck

Outcome = LineCheck.Outcome

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HEAD_REFUSED = frozenset({405, 501})
GONE = frozenset({404, 410})
# What may stay unescaped in a request target; the rest (spaces, non-ASCII) is %-encoded,
# as a browser does, since http.client sends ASCII only.
TARGET_SAFE = "/%:@!$&'()*+,;=-._~?"


class PrivateAddress(Exception):
    """The host name leads only to loopback, private, link-local or reserved addresses."""


class BudgetSpent(Exception):
    """The run's last allowed request is spent; this address was not finished."""


class Budget:
    """How many requests the whole run may still make: every HEAD, GET and redirect."""

    def __init__(self, requests: int):
        self.left = requests
        self.spent = 0

    def take(self) -> None:
        if self.left <= 0:
            raise BudgetSpent
        self.left -= 1
        self.spent += 1


@dataclass(frozen=True)
class Answer:
    """What came back. `detail` says more in editors' words (a `Problem`, said in the
    language of whoever reads it), or is a text kept as written (an error a library gave)."""

    outcome: LineCheck.Outcome
    status: int | None = None
    detail: Problem | str = ""

    @property
    def failed(self) -> bool:
        return self.outcome != Outcome.OK


def check_address(
    url: str, *, budget: Budget, timeout: float, user_agent: str, allow_private: bool = False
) -> Answer:
    """Follow `url` to its final answer. Raises `BudgetSpent` when the budget runs out."""
    asking = {"timeout": timeout, "user_agent": user_agent, "allow_private": allow_private}
    visited: list[str] = []
    current = url
    while True:
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return Answer(Outcome.NOT_WEB, detail=current[:200])
        if current in visited:
            return Answer(
                Outcome.REDIRECT_LOOP,
                detail=Problem(gettext_noop("back to %(address)s"), {"address": current[:300]}),
            )
        if len(visited) > MAX_REDIRECTS:
            return Answer(
                Outcome.TOO_MANY_REDIRECTS,
                detail=Problem(
                    gettext_noop("more than %(count)s, last %(address)s"),
                    {"count": MAX_REDIRECTS, "address": current[:300]},
                ),
            )
        visited.append(current)
        try:
            status, location = ask(current, "HEAD", budget, **asking)
            if status in HEAD_REFUSED:
                status, location = ask(current, "GET", budget, **asking)
        except BudgetSpent:
            raise
        except PrivateAddress as error:
            return Answer(
                Outcome.NOT_WEB,
                detail=Problem(
                    gettext_noop("%(address)s leads into a private network (%(addresses)s)"),
                    {"address": current[:300], "addresses": str(error)[:300]},
                ),
            )
        except TimeoutError:
            return Answer(
                Outcome.TIMEOUT,
                detail=Problem(
                    gettext_noop("no answer within %(seconds)s s"), {"seconds": f"{timeout:g}"}
                ),
            )
        except (ssl.SSLError, ssl.CertificateError) as error:
            return Answer(Outcome.CERTIFICATE, detail=str(error)[:300])
        except (OSError, http.client.HTTPException, ValueError) as error:
            # Refused, reset, no such host, a broken answer, a port that is no number.
            return Answer(Outcome.UNREACHABLE, detail=f"{type(error).__name__}: {error}"[:300])
        if status in REDIRECT_STATUSES and location:
            # Without its #fragment, which is never sent: a loop is a loop with or without.
            current = urldefrag(urljoin(current, location.strip())).url
            continue
        return final_answer(status, url, current)


def final_answer(status: int, url: str, final_url: str) -> Answer:
    moved = (
        Problem(gettext_noop("moved to %(address)s"), {"address": final_url[:300]})
        if final_url != url
        else ""
    )
    if 200 <= status < 300:
        return Answer(Outcome.OK, status, moved)
    if status in GONE:
        return Answer(Outcome.NOT_FOUND, status, moved)
    return Answer(Outcome.ERROR_STATUS, status, moved)


def ask(
    url: str, method: str, budget: Budget, *, timeout: float, user_agent: str, allow_private: bool
) -> tuple[int, str | None]:
    """One request: the status and the Location header. The body is left unread."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = vetted_address(parts.hostname, port, allow_private)
    budget.take()
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
    # Connect to the vetted address; the name still goes in Host, SNI and the certificate
    # check, so the server and its certificate are judged as a browser would.
    connection._create_connection = lambda _, wait, source: socket.create_connection(
        address, wait, source
    )
    target = quote(parts.path or "/", safe=TARGET_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=TARGET_SAFE)
    try:
        connection.request(
            method,
            target,
            headers={"User-Agent": user_agent, "Accept": "*/*", "Connection": "close"},
        )
        response = connection.getresponse()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def vetted_address(host: str, port: int, allow_private: bool) -> tuple[str, int]:
    """The first public address `host` has. Raises `PrivateAddress` when it has none."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    for *_, sockaddr in found:
        if allow_private or ipaddress.ip_address(sockaddr[0]).is_global:
            return sockaddr[0], sockaddr[1]
    raise PrivateAddress(", ".join(sorted({sockaddr[0] for *_, sockaddr in found})))
