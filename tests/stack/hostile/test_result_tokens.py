"""Guessed and malformed result tokens find nothing."""

import secrets
from urllib.parse import quote

import pytest

from .wire import assert_not_a_server_error, page_headers, send

TOKENS = {
    "random-43-characters": lambda: secrets.token_urlsafe(32),
    "42-characters": lambda: secrets.token_urlsafe(32)[:42],
    "44-characters": lambda: secrets.token_urlsafe(33)[:44],
    "path-traversal": lambda: "../../../../etc/passwd",
    "encoded-path-traversal": lambda: "..%2F..%2F..%2Fetc%2Fpasswd",
    "unicode-43-characters": lambda: quote("é" * 43),
    "fullwidth-letters": lambda: quote("Ａ" * 43),
    "nul-inside": lambda: "A" * 42 + "%00",
    "sql-quotes": lambda: quote("A' OR '1'='1") + "A" * 31,
    "3000-characters": lambda: "A" * 3000,
    "6000-characters": lambda: "A" * 6000,
}


@pytest.mark.parametrize("page", ["", "delete/"], ids=["result", "delete"])
@pytest.mark.parametrize("case", TOKENS)
def test_guessed_and_malformed_tokens_find_nothing(stack, case, page):
    target = f"/results/{TOKENS[case]()}/{page}"
    response = send(stack, "GET", target, page_headers(stack))
    assert_not_a_server_error(response, {404} if len(target) < 4000 else {414})


def test_an_unfinished_run_has_no_result_page(stack, reader):
    for target in (f"/results/{reader.token}/", f"/results/{reader.token}/delete/"):
        assert_not_a_server_error(stack.client().get(target), {404})
