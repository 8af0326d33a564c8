"""`check_support_lines` against a local server: what it records, prints and bounds.

Issue 13, part 4. A reader in trouble must not meet a dead helpline page, so every way a
site can fail is told apart. The timeout is 0.5 s, so a server that never answers costs
each test half a second at most.
"""

import socket
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quiz.models import LineCheck, SupportResource

from .line_server import LineServer, SelfSignedServer
from .moments import CLOCK_START

pytestmark = pytest.mark.django_db

# The test server is on 127.0.0.1, which the command refuses unless told.
LOCAL = ("--timeout", "0.5", "--allow-private-addresses")
Outcome = LineCheck.Outcome


@pytest.fixture
def server():
    server = LineServer()
    yield server
    server.close()


@pytest.fixture
def add_resource(db):
    def add(url: str, name: str | None = None, **fields) -> SupportResource:
        return SupportResource.objects.create(name=name or url, url=url, **fields)

    return add


def run(*args) -> tuple[str, CommandError | None]:
    """The command's output, and the error it ended with (None: exit status 0)."""
    out = StringIO()
    try:
        call_command("check_support_lines", *LOCAL, *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def closed_port_url() -> str:
    """An address where nothing listens: the port was free a moment ago."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def test_each_way_of_answering_is_recorded_and_printed(server, add_resource, clock):
    urls = {
        "ok": server.url("/ok"),
        "gone": server.url("/gone"),
        "loop": server.url("/loop-a"),
        "chain": server.url("/chain-1"),
        "no head": server.url("/no-head"),
        "far": server.url("/far-0"),
        "broken": server.url("/broken"),
        "never": server.never,
        "closed": closed_port_url(),
        "ftp": "ftp://127.0.0.1/helpline.txt",
    }
    for name, url in urls.items():
        add_resource(url, name)

    output, error = run()

    recorded = {
        check.resource.name: (check.outcome, check.status, check.said_detail(), check.url)
        for check in LineCheck.objects.select_related("resource")
    }
    # The system's words for a refused connection vary; its kind does not.
    assert recorded["closed"][2].startswith("ConnectionRefusedError: ")
    recorded["closed"] = (*recorded["closed"][:2], "refused", recorded["closed"][3])
    assert recorded == {
        "ok": (Outcome.OK, 200, "", urls["ok"]),
        "gone": (Outcome.NOT_FOUND, 404, "", urls["gone"]),
        "loop": (Outcome.REDIRECT_LOOP, None, f"back to {urls['loop']}", urls["loop"]),
        "chain": (Outcome.OK, 200, f"moved to {urls['ok']}", urls["chain"]),
        "no head": (Outcome.OK, 200, "", urls["no head"]),
        "far": (
            Outcome.TOO_MANY_REDIRECTS,
            None,
            f"more than 5, last {server.url('/far-6')}",
            urls["far"],
        ),
        "broken": (Outcome.ERROR_STATUS, 503, "", urls["broken"]),
        "never": (Outcome.TIMEOUT, None, "no answer within 0.5 s", urls["never"]),
        "closed": (Outcome.UNREACHABLE, None, "refused", urls["closed"]),
        "ftp": (Outcome.NOT_WEB, None, urls["ftp"], urls["ftp"]),
    }
    assert all(
        CLOCK_START <= check.checked_at < CLOCK_START + timedelta(minutes=1)
        for check in LineCheck.objects.all()
    )

    lines = output.splitlines()
    assert f"ok: {urls['ok']} (HTTP 200)  (ok)" in lines
    assert f"not found: {urls['gone']} (HTTP 404)  (gone)" in lines
    assert f"redirect loop: {urls['loop']}, back to {urls['loop']}  (loop)" in lines
    assert f"ok: {urls['chain']} (HTTP 200), moved to {urls['ok']}  (chain)" in lines
    assert f"timeout: {urls['never']}, no answer within 0.5 s  (never)" in lines
    assert len(lines) == len(urls)  # the summary ends the run as its error
    assert error is not None and error.returncode == 1
    assert str(error) == "10 addresses, 7 failed, 0 not checked, 19 requests."

    # HEAD first; GET only where HEAD was refused. Never and closed reach no handler.
    asked = [(method, path) for method, path, _, _ in server.requests]
    assert sorted(asked) == sorted(
        [("HEAD", path) for path in ("/ok", "/gone", "/broken", "/no-head")]
        + [("GET", "/no-head")]
        + [("HEAD", path) for path in ("/loop-a", "/loop-b")]
        + [("HEAD", path) for path in ("/chain-1", "/chain-2", "/chain-3", "/ok")]
        + [("HEAD", f"/far-{n}") for n in range(6)]
    )


def test_requests_name_the_site_and_carry_no_cookie(server, add_resource):
    """Answers set cookies on every hop; none is sent back, and nothing but the site's
    name identifies who asks."""
    add_resource(server.url("/chain-1"))
    run()
    assert len(server.requests) == 4
    assert {(agent, cookie) for _, _, agent, cookie in server.requests} == {
        ("Pushing Away support-line check", None)
    }


def test_the_request_bound_covers_the_whole_run_and_every_redirect(server, add_resource):
    add_resource(server.url("/chain-1"))  # four requests: three redirects, then /ok
    add_resource(server.url("/ok"))

    output, error = run("--max-requests", "3")

    assert len(server.requests) == 3
    assert not LineCheck.objects.exists()  # an unfinished address records nothing
    assert output.splitlines() == [
        f"not checked: {server.url('/chain-1')}",
        f"not checked: {server.url('/ok')}",
    ]
    assert error.returncode == 1
    assert str(error) == (
        "2 addresses, 0 failed, 2 not checked, 3 requests. "
        "The bound of 3 requests was reached: raise --max-requests."
    )


def test_a_run_within_its_bound_exits_cleanly(server, add_resource):
    add_resource(server.url("/chain-1"))
    add_resource(server.url("/ok"))

    output, error = run("--max-requests", "5")

    assert error is None
    assert len(server.requests) == 5
    assert output.splitlines()[-1] == "2 addresses, 0 failed, 0 not checked, 5 requests."
    assert LineCheck.objects.filter(outcome=Outcome.OK).count() == 2


def test_dry_run_requests_nothing_and_records_nothing(server, add_resource):
    add_resource(server.url("/ok"), "Helpline")
    add_resource(server.never, "Silent")

    output, error = run("--dry-run", "--max-requests", "7")

    assert error is None
    listed = sorted([f"  {server.url('/ok')}  (Helpline)", f"  {server.never}  (Silent)"])
    assert output.splitlines() == [
        "Would check 2 addresses, at most 7 requests, waiting at most 0.5 s at each step:",
        *listed,  # in the order of their addresses; the two ports are the system's choice
    ]
    assert server.requests == []
    assert not LineCheck.objects.exists()


def test_the_seed_content_dry_run_lists_its_addresses(questionnaire):
    """As README shows it, with the default bounds."""
    out = StringIO()
    call_command("check_support_lines", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == SEED_DRY_RUN


SEED_DRY_RUN = [
    "Would check 13 addresses, at most 100 requests, waiting at most 5 s at each step:",
    "  https://dsahelpline.org/  (Domestic and Sexual Abuse Helpline)",
    "  https://gbv.org.za/  (GBV Command Centre)",
    "  https://gov.wales/live-fear-free  (Live Fear Free)",
    "  https://sheltersafe.ca/  (ShelterSafe)",
    "  https://violenciagenero.igualdad.gob.es/  (016)",
    "  https://womensrefuge.org.nz/  (Women’s Refuge Crisisline)",
    "  https://www.1800respect.org.au/  (1800RESPECT)",
    "  https://www.dswd.gov.ph/  (Emergency hotline)",
    "  https://www.loveisrespect.org/  (loveisrespect)",
    "  https://www.nationaldahelpline.org.uk/  (National Domestic Abuse Helpline)",
    "  https://www.samaritans.org/  (If he threatens to hurt himself)",
    "  https://www.thehotline.org/  (National Domestic Violence Hotline)",
    "  https://www.womensaid.ie/  (Women’s Aid National Freephone Helpline)",
]


def test_unpublished_resources_are_left_alone(server, add_resource):
    add_resource(server.url("/ok"), "Draft", is_published=False)
    add_resource("", "No address")

    output, error = run()

    assert server.requests == []
    assert not LineCheck.objects.exists()
    assert output.splitlines() == [
        "Not checked: 1 unpublished resources.",
        "0 addresses, 0 failed, 0 not checked, 0 requests.",
    ]


def test_resources_sharing_an_address_share_one_request(server, add_resource):
    first = add_resource(server.url("/gone"), "UK line")
    second = add_resource(server.url("/gone"), "Same line, another text")
    versions = SupportResource.history.count()

    output, error = run()

    assert len(server.requests) == 1
    assert [c.outcome for c in first.line_checks.all()] == [Outcome.NOT_FOUND]
    assert [c.outcome for c in second.line_checks.all()] == [Outcome.NOT_FOUND]
    assert "(UK line, Same line, another text)" in output
    assert error.returncode == 1
    # Checks stay out of the resources' history, which is the editors' record.
    assert SupportResource.history.count() == versions


def test_only_the_last_ten_checks_of_a_resource_are_kept(server, add_resource, clock):
    resource = add_resource(server.url("/ok"))
    other = add_resource(server.url("/ok"), "Unpublished since", is_published=False)
    for days_ago in range(1, 13):
        for row in (resource, other):
            LineCheck.objects.create(
                resource=row,
                url=row.url,
                checked_at=CLOCK_START - timedelta(days=days_ago),
                outcome=Outcome.NOT_FOUND,
            )

    run()

    kept = list(resource.line_checks.order_by("-checked_at"))
    assert len(kept) == LineCheck.KEEP_PER_RESOURCE == 10
    assert kept[0].outcome == Outcome.OK and kept[0].checked_at >= CLOCK_START
    assert kept[-1].checked_at == CLOCK_START - timedelta(days=9)
    # A resource not checked this run keeps what it had: pruning follows new checks.
    assert other.line_checks.count() == 12


@pytest.mark.parametrize(
    "args", [("--timeout", "0"), ("--timeout", "120"), ("--max-requests", "0")]
)
def test_options_out_of_range_are_refused(db, args):
    with pytest.raises(CommandError):
        call_command("check_support_lines", *args, stdout=StringIO())


def test_addresses_in_a_private_network_are_refused_unasked(server, add_resource):
    """The checker runs inside the site's network: an address typed by a stolen editor
    account must not make it probe the database, the cache or a metadata service."""
    url = server.url("/ok")
    add_resource(url)
    add_resource("http://localhost:9/")

    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("check_support_lines", "--timeout", "0.5", stdout=out)

    assert server.requests == []
    details = {check.resource.name: check.said_detail() for check in LineCheck.objects.all()}
    assert set(LineCheck.objects.values_list("outcome", flat=True)) == {Outcome.NOT_WEB}
    assert details[url] == f"{url} leads into a private network (127.0.0.1)"
    # A name is judged by what it leads to (this machine may list ::1 as well).
    assert details["http://localhost:9/"].startswith(
        "http://localhost:9/ leads into a private network ("
    )
    assert str(raised.value) == "2 addresses, 2 failed, 0 not checked, 0 requests."


def test_a_certificate_nobody_vouches_for_is_a_failure(add_resource, tmp_path):
    """A browser would warn her off such a page; the check says so before she gets there."""
    server = SelfSignedServer(tmp_path)
    try:
        add_resource(server.url("/ok"))
        output, error = run()
    finally:
        server.close()
    check = LineCheck.objects.get()
    assert (check.outcome, check.status) == (Outcome.CERTIFICATE, None)
    assert "CERTIFICATE_VERIFY_FAILED" in check.detail
    assert output.startswith(f"certificate or TLS error: {server.url('/ok')}, ")
    assert error.returncode == 1
