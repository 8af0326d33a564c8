"""Request targets Django has to decode: bad UTF-8, NULs, too many fields, dot-dot paths."""

import pytest

from ...quiz_helpers import START
from .wire import assert_not_a_server_error, page_headers, send

STEP = f"{START}question/".encode()  # a question's address, before its id

# name: (request target, with {q} for the reader's next question id; right statuses)
ADDRESSES = {
    "invalid-utf-8-percent-encoded-in-the-query": (
        STEP + b"{q}/?from=%FF%C0%AF",
        {200},
    ),
    "invalid-utf-8-raw-in-the-query": (STEP + b"{q}/?from=\xff\xfe", {400}),
    "nul-percent-encoded-in-the-query": (STEP + b"{q}/?from=review%00", {200}),
    "nul-raw-in-the-query": (STEP + b"{q}/?from=\x00", {400}),
    "nul-percent-encoded-in-the-path": (STEP + b"{q}%00/", {404}),
    "nul-raw-in-the-path": (STEP + b"\x00/", {400}),
    "invalid-utf-8-in-the-path": (STEP + b"%FF/", {404}),
    "too-many-query-fields": (
        # Over Django's limit (DATA_UPLOAD_MAX_NUMBER_FIELDS, 1000), in a request line
        # short enough for gunicorn (4094 bytes): 1,050 fields of one letter each.
        STEP + b"{q}/?" + b"&".join([b"f"] * 1050),
        {400},
    ),
    "media-dot-dot": (b"/media/../config/settings.py", {400}),
    "media-encoded-dot-dot": (b"/media/..%2F..%2Fconfig%2Fsettings.py", {400}),
    "media-encoded-dots": (b"/media/%2e%2e/%2e%2e/etc/passwd", {400}),
    "media-nul": (b"/media/article-images/%00.png", {404}),
    "static-encoded-dot-dot": (b"/static/..%2F..%2Fconfig%2Fsettings.py", {404}),
}


@pytest.mark.parametrize("case", ADDRESSES)
def test_odd_addresses_get_no_server_error(stack, reader, case):
    target, expected = ADDRESSES[case]
    question_id = reader.next_url.split("/")[-2].encode()
    response = send(
        stack, "GET", target.replace(b"{q}", question_id), page_headers(stack, reader.client)
    )
    assert_not_a_server_error(response, expected)
    assert b"SECRET_KEY" not in response.body and b"root:" not in response.body
