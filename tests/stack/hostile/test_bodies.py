"""Request bodies Django has to decode: odd charsets, bytes, lengths and multipart framing."""

import pytest

from .wire import assert_not_a_server_error, build, exchange, form_body, multipart


def body(make_body, **header_changes):
    """A POST of `make_body(reader)` to her next question, with changed headers."""
    return lambda r: (r.headers(**header_changes), make_body(r))


def charset(parameter: str):
    """Her valid answer, declared in an odd charset."""
    content_type = f"application/x-www-form-urlencoded; {parameter}"
    return body(lambda r: form_body(r.form()), Content_Type=content_type)


def with_raw_choice(raw: bytes):
    return body(lambda r: form_body(r.form(choice=None)) + b"&choice=" + raw)


def valid_plus(extra: bytes):
    return body(lambda r: form_body(r.form()) + extra)


def in_multipart(content_type: str, boundary="hostile-boundary", cut=0):
    """A form (with an answer to another question) as multipart, in odd framing."""

    def make(r):
        data = multipart(r.form(choice=str(r.foreign_choice)), boundary=boundary)
        return data[: len(data) - cut]

    return body(make, Content_Type=content_type)


def lying_length(length: str):
    return body(lambda r: form_body(r.form()), Content_Length=length)


# name: (headers and body, right statuses, options for sending)
BODIES = {
    "charset-nonexistent": (charset("charset=nonexistent"), {400}, {}),
    "charset-rot13": (charset("charset=rot13"), {400}, {}),
    "charset-empty": (charset("charset="), {400}, {}),
    "charset-utf-16-on-url-encoded-ascii": (charset("charset=utf-16"), {400}, {}),
    "charset-latin-1-on-a-url-encoded-form": (charset("charset=iso-8859-1"), {400}, {}),
    "charset-idna": (charset("charset=idna"), {400}, {}),
    "charset-punycode": (charset("charset=punycode"), {400}, {}),
    "charset-undefined": (charset("charset=undefined"), {400}, {}),
    "charset-rfc2231-naming-idna": (charset("charset*=utf-8''idna"), {400}, {}),
    "charset-rfc2231-in-an-unknown-encoding": (charset("charset*=nonexistent''%41"), {400}, {}),
    "multipart-charset-idna": (
        in_multipart("multipart/form-data; boundary=hostile-boundary; charset=idna"),
        {400},
        {},
    ),
    "invalid-utf-8-percent-encoded": (with_raw_choice(b"%FF%FE%C0%AF"), {400}, {}),
    "invalid-utf-8-raw-bytes": (with_raw_choice(b"\xff\xfe\xc0\xaf"), {400}, {}),
    "nul-percent-encoded-in-a-value": (with_raw_choice(b"1%002"), {400}, {}),
    "nul-raw-in-a-value": (with_raw_choice(b"1\x002"), {400}, {}),
    "nul-in-a-field-name": (with_raw_choice(b"1&%00=1&choice%00=2"), {400}, {}),
    "body-over-512-kib": (valid_plus(b"&pad=" + b"x" * (600 * 1024)), {400}, {}),
    "too-many-fields": (valid_plus(b"".join(b"&f%d=1" % n for n in range(1050))), {400}, {}),
    "content-length-larger-than-the-body": (
        lying_length("4000"),
        {400},
        {"content_length": False, "half_close": True},
    ),
    "content-length-smaller-than-the-body": (
        lying_length("30"),
        {403},
        {"content_length": False},
    ),
    "content-length-of-a-terabyte": (
        lying_length(str(10**12)),
        {400},
        {"content_length": False, "half_close": True},
    ),
    "content-length-negative": (lying_length("-1"), {400}, {"content_length": False}),
    "content-length-twice": (
        body(lambda r: form_body(r.form()), Content_Length=b"5\r\nContent-Length: 6"),
        {400},
        {"content_length": False},
    ),
    "content-length-and-chunked": (
        body(lambda r: form_body(r.form()), Transfer_Encoding="chunked"),
        {400},
        {},
    ),
    "repeated-choice": (
        body(lambda r: form_body(r.form(choice=[str(pk) for pk in r.next_choices[:2]]))),
        {400},
        {},
    ),
    "repeated-revision-stale-one-last": (
        body(lambda r: form_body(r.form(revision=[str(r.revision), str(r.revision - 1)]))),
        {400},
        {},
    ),
    "repeated-revision-stale-one-first": (
        body(lambda r: form_body(r.form(revision=[str(r.revision - 1), str(r.revision)]))),
        {400},
        {},
    ),
    "multipart-without-a-boundary": (in_multipart("multipart/form-data"), {400}, {}),
    "multipart-empty-boundary": (in_multipart("multipart/form-data; boundary="), {400}, {}),
    "multipart-boundary-of-300-characters": (
        in_multipart("multipart/form-data; boundary=" + "b" * 300, boundary="b" * 300),
        {400},
        {},
    ),
    "multipart-boundary-not-in-the-body": (
        in_multipart("multipart/form-data; boundary=declared", boundary="different"),
        {403},
        {},
    ),
    "multipart-quoted-boundary-with-specials": (
        in_multipart(
            'multipart/form-data; boundary="a\'()+_,-./:=? b"', boundary="a'()+_,-./:=? b"
        ),
        {400},
        {},
    ),
    "multipart-unterminated": (
        in_multipart("multipart/form-data; boundary=cut", boundary="cut", cut=30),
        {400},
        {},
    ),
}


@pytest.mark.parametrize("case", BODIES)
def test_odd_bodies_get_a_4xx_and_change_nothing(stack, reader, case):
    make, expected, options = BODIES[case]
    headers, data = make(reader)
    content_length = options.get("content_length", True)
    request = build("POST", reader.next_url, headers, data, content_length=content_length)
    response = exchange(stack, request, "POST", half_close=options.get("half_close", False))
    assert_not_a_server_error(response, expected)
