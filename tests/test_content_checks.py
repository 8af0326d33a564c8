"""The rules behind the checks before publishing, as plain functions (advice/checks.py).

Issue 13, part 3: a support line's number must be valid for its country and its address
https; a paragraph, an image or an item's wording that makes the article harder to read
is a warning. (On the publish page, with the rows: tests/test_publish_checks.py.)
"""

from datetime import date

import pytest

from advice import checks


@pytest.mark.parametrize(
    ("phone", "country"),
    [
        ("0808 2000 247", "GB"),  # national, as dialled in the UK
        ("1-800-799-7233", "US"),
        ("116 123", "GB"),  # a short code is a valid number where it works
        ("181", "IN"),
        ("+44 808 2000 247", ""),  # no country: international, for readers anywhere
        ("+44 808 2000 247", "GB"),
        ("", ""),  # a line without a phone (a web site, a person to talk to)
    ],
)
def test_a_number_that_works_in_its_country_passes(phone, country):
    assert checks.phone_problem(phone, country) is None


@pytest.mark.parametrize(
    ("phone", "country", "problem"),
    [
        (
            "0808 2000 247",
            "",
            "The number has no country: choose its country, or write the number with “+” and "
            "its country code.",
        ),
        ("0808 2000 24", "GB", "The number “0808 2000 24” is not a valid number in GB."),
        ("1-800-799-7233", "GB", "The number “1-800-799-7233” is not a valid number in GB."),
        ("+1 800 799 7233", "GB", "The number “+1 800 799 7233” is a number in US, not in GB."),
        (
            "+44 808 2000 24",
            "",
            "The number “+44 808 2000 24” is not a valid number internationally.",
        ),
        ("call us", "GB", "“call us” is not a phone number."),
        ("0808 2000 247", "UK", "The number’s country, “UK”, is not a country code."),
    ],
)
def test_a_number_that_would_not_connect_is_named_with_why(phone, country, problem):
    assert str(checks.phone_problem(phone, country)) == problem


def test_only_https_addresses_pass():
    assert checks.web_address_problem("https://www.thehotline.org/") is None
    assert checks.web_address_problem("") is None
    assert str(checks.web_address_problem("http://example.org/")) == (
        "The web address “http://example.org/” is not an https address."
    )
    assert checks.link_scheme_problem("http://example.org/") is not None
    assert checks.link_scheme_problem("mailto:help@example.org") is None


def test_six_months_before_a_day_is_the_same_day_or_the_months_last():
    assert checks.months_before(date(2027, 7, 15), 6) == date(2027, 1, 15)
    assert checks.months_before(date(2027, 8, 31), 6) == date(2027, 2, 28)
    assert checks.months_before(date(2028, 8, 31), 6) == date(2028, 2, 29)
    assert checks.months_before(date(2027, 3, 1), 6) == date(2026, 9, 1)


def test_a_line_is_due_a_check_the_day_after_six_months():
    today = date(2027, 7, 15)
    assert checks.check_due(date(2027, 1, 15), today) is None
    assert str(checks.check_due(date(2027, 1, 14), today)) == (
        "It was last checked on 14 Jan 2027, more than 6 months ago: check it against its source."
    )
    assert str(checks.check_due(None, today)) == (
        "It has never been checked against a source: check it against its source."
    )


def test_links_images_and_paragraphs_are_read_from_the_html():
    facts = checks.read_html(
        '<p>See <a href="#reason-stressed">this</a> and <a href="/read/other/#x">that</a>.</p>'
        '<p><img src="/media/a.png" alt="A calm beach"><img src="/media/b.png"></p>'
        '<ul><li>One &amp; two</li><li><img src="/media/c.png" alt=" "></li></ul>'
    )
    assert facts.links == ("#reason-stressed", "/read/other/#x")
    assert facts.images_without_alt == ("/media/b.png", "/media/c.png")
    assert facts.paragraphs == ("See this and that.", "", "One & two", "")
    assert facts.text == "See this and that. One & two"


def test_links_inside_the_site_are_split_into_page_and_anchor():
    assert checks.split_link("#reason-stressed") == ("", "reason-stressed")
    assert checks.split_link("/read/other/?a=1#x") == ("/read/other/", "x")
    assert checks.split_link("/") == ("/", "")
    assert checks.split_link("//elsewhere.org/") is None
    assert checks.split_link("https://example.org/#x") is None
    assert checks.split_link("tel:08082000247") is None


def test_a_paragraph_over_100_words_is_long():
    words = checks.LONG_PARAGRAPH_WORDS
    facts = checks.read_html(f"<p>{'word ' * words}</p><p>{'word ' * (words + 1)}</p>")
    assert checks.long_paragraphs(facts) == [words + 1]


def test_reading_ease_flags_long_sentences_of_long_words_only():
    easy = "He needs time. Give him some room. Go and see your friends. " * 5
    hard = (
        "Psychological withdrawal frequently constitutes an unconscious defensive "
        "mechanism, particularly when individuals experience overwhelming professional "
        "responsibilities, unresolved interpersonal ambivalence and considerable "
        "uncertainty regarding long-term relational commitments. "
    ) * 2
    assert checks.reading_ease(easy) >= checks.EASY_READING
    assert checks.reading_ease(hard) < checks.EASY_READING


def test_a_text_too_short_for_the_formula_gets_no_figure():
    short = "Extraordinarily complicated circumstances. " * 5  # 15 words
    assert checks.reading_ease(short) is None


def test_a_message_kept_in_the_database_reads_back_as_it_was_written():
    """Stored texts are Problems as JSON: a value that is a message of its own (a language's
    name) stays one, so it is said in the reader's language too."""
    import json

    changed = checks.Problem(
        "“%(article)s”: now published in %(language)s",
        {"article": "Why?", "language": checks.Problem("Spanish")},
    )
    stored = json.loads(json.dumps(changed.as_json()))
    assert checks.Problem.from_json(stored) == changed
    assert str(checks.Problem.from_json(stored)) == "“Why?”: now published in Spanish"
    titles = checks.Problem("now %(related)s", {"related": [checks.Problem("“%(t)s”", {"t": "A"})]})
    assert checks.Problem.from_json(json.loads(json.dumps(titles.as_json()))) == titles
