"""Issue 12, help where she lives: the safety panel shows the emergency number and the
helplines of the country she says she is in, chosen on the panel with a plain form. Nothing
is looked up about her; before she chooses, the region her browser names in its languages
stands in, and with none the panel asks her, without a wall of other countries' numbers.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from advice.releases import publish
from quiz.models import EmergencyNumber, QuizSession

from .html import soup, text_of
from .quiz_helpers import LEFT_WITH_WARNING_SIGNS, STRESSED_BUT_TOGETHER, take
from .test_quiz_queries import RESULT_GET

pytestmark = pytest.mark.django_db

# Every helpline and emergency number of the shipped data, to find them where they must
# not be. (Lines for readers anywhere, "Someone you trust", have no number.)
EVERY_NUMBER = [
    "0808 2000 247", "0800 027 1234", "0808 80 10 800", "0808 802 1414", "116 123",
    "1-800-799-7233", "1-866-331-9474", "1800 341 900", "1800 737 732", "0800 733 843",
    "0800 428 428", "1195", "tel:181", "tel:016", "tel:999", "tel:911", "tel:000",
    "tel:111", "tel:10111", "tel:15",
]  # fmt: skip


def panel_of(response):
    assert response.status_code == 200
    return soup(response).select_one(".panel--safety")


def first_line(panel) -> str:
    return " ".join(panel.select_one(".resources li").get_text().split())


def names_of_lines(panel) -> list[str]:
    return [text_of(li.strong) for li in panel.select(".resources__more li")]


def numbers_in(panel) -> list[str]:
    html = str(panel)
    return [number for number in EVERY_NUMBER if number in html]


@pytest.fixture
def result(client, questionnaire):
    """Her result with the safety panel, as the browser that answered sees it."""
    return take(client, LEFT_WITH_WARNING_SIGNS)


def test_a_reader_in_australia_sees_000_first_and_1800respect_not_the_uk_or_us_lines(
    client, result
):
    panel = panel_of(client.get(result, {"country": "AU"}))
    assert first_line(panel) == ("Emergency services, Australia: call 000 (112 from mobiles).")
    assert panel.select_one(".resources li a")["href"] == "tel:000"
    assert names_of_lines(panel) == ["1800RESPECT", "Someone you trust:"]
    assert numbers_in(panel) == ["1800 737 732", "tel:000"]


@pytest.mark.parametrize(
    "country, emergency, lines, numbers",
    [
        ("IE", "112 (999 also works)", ["Women’s Aid National Freephone Helpline"], ["1800 341 900"]),  # noqa: E501
        ("IN", "112", ["Women Helpline:"], ["tel:181"]),
        ("NZ", "111", ["Women’s Refuge Crisisline"], ["0800 733 843"]),
        ("ES", "112", ["016:"], ["tel:016"]),
        ("CA", "911", ["ShelterSafe:"], []),
        ("PK", "15 (police)", [], []),  # its helpline is not published: see the seed's checks
    ],
)  # fmt: skip
def test_each_country_sees_its_own_emergency_number_and_helplines(
    client, result, country, emergency, lines, numbers
):
    panel = panel_of(client.get(result, {"country": country}))
    assert first_line(panel).endswith(f"call {emergency}.")
    assert names_of_lines(panel) == [*lines, "Someone you trust:"]
    number = emergency.split()[0]
    assert [n for n in numbers_in(panel) if n != f"tel:{number}"] == numbers


def test_a_reader_in_the_uk_sees_999_and_each_nations_line_named(client, result):
    panel = panel_of(client.get(result, {"country": "GB"}))
    assert first_line(panel).endswith("call 999 (112 also works).")
    assert names_of_lines(panel) == [
        "National Domestic Abuse Helpline (England):",
        "Scotland’s Domestic Abuse and Forced Marriage Helpline (Scotland)",
        "Live Fear Free (Wales)",
        "Domestic and Sexual Abuse Helpline (Northern Ireland)",
        "If he threatens to hurt himself:",
        "Someone you trust:",
    ]
    assert "1-800-799-7233" not in str(panel)


def test_a_reader_in_the_us_sees_the_text_lines_too(client, result):
    panel = panel_of(client.get(result, {"country": "US"}))
    assert first_line(panel).endswith("call 911.")
    reach = [
        text_of(li.select_one(".resources__reach"))
        for li in panel.select(".resources__more li")[:2]
    ]
    assert "Text START to 88788" in reach[0] and "Text LOVEIS to 22522" in reach[1]
    assert "0808 2000 247" not in str(panel)


def test_elsewhere_in_the_eu_she_sees_112(client, result):
    panel = panel_of(client.get(result, {"country": "EU"}))
    assert first_line(panel) == ("Emergency services, Elsewhere in the EU: call 112.")
    assert names_of_lines(panel) == ["Someone you trust:"]


def test_with_no_country_known_she_is_asked_where_she_is_and_sees_no_foreign_numbers(
    client, result
):
    """Her browser names no region: the panel says what holds anywhere (and what the data
    says of 112), asks her, and shows only the lines for readers anywhere."""
    panel = panel_of(client.get(result))
    assert first_line(panel) == (
        "Emergency services: call your local emergency number (112 in the EU)."
    )
    assert numbers_in(panel) == []
    assert names_of_lines(panel) == ["Someone you trust:"]
    form = panel.select_one("form.place")
    assert form["method"] == "get" and text_of(form.label) == "Where are you?"
    options = [(o["value"], text_of(o)) for o in form.select("option")]
    assert options[0] == ("", "Choose a country")
    assert [place for _, place in options[1:]] == [
        n.place for n in EmergencyNumber.objects.published()
    ]
    assert ("GB", "United Kingdom") in options and options[-1] == ("EU", "Elsewhere in the EU")
    assert not form.select("option[selected]")


def test_her_browsers_region_stands_in_until_she_chooses_and_the_panel_says_so(client, result):
    response = client.get(result, HTTP_ACCEPT_LANGUAGE="en-IE,en;q=0.8")
    panel = panel_of(response)
    assert first_line(panel).endswith("call 112 (999 also works).")
    assert text_of(panel.select_one(".place__from")) == "(your browser’s choice)"
    assert panel.select_one("option[selected]")["value"] == "IE"
    chosen = panel_of(client.get(result, {"country": "AU"}, HTTP_ACCEPT_LANGUAGE="en-IE"))
    assert first_line(chosen).endswith("call 000 (112 from mobiles).")
    assert chosen.select_one(".place__from") is None


@pytest.mark.parametrize(
    "languages, place",
    [
        ("en-US,en;q=0.9", "United States"),
        ("fr-FR,fr;q=0.9,en;q=0.5", "Elsewhere in the EU"),  # no line of its own: 112
        ("zh-Hant-TW,en-GB;q=0.8", "United Kingdom"),  # the first region we have lines for
        ("en", None),
        ("de-CH", None),  # not in the EU, and no line of its own
        ("", None),
        ("xx-!!,;q=abc", None),
    ],
)
def test_only_a_region_her_browser_names_is_read_never_anything_else(
    client, result, languages, place
):
    panel = panel_of(client.get(result, HTTP_ACCEPT_LANGUAGE=languages))
    selected = panel.select_one("option[selected]")
    assert (text_of(selected) if selected else None) == place


def test_her_choice_holds_in_this_browser_until_she_deletes_her_answers(client, result):
    """Kept in her anonymous session: after a "Was this helpful?" answer the page comes
    back with her country; a visitor with the link sees their own; deleting forgets it."""
    client.get(result, {"country": "NZ"})
    client.post(result + "feedback/", {"item": "sign-gaslighting", "helpful": "yes"})
    assert first_line(panel_of(client.get(result))).endswith("call 111.")
    assert first_line(panel_of(Client().get(result))).startswith(
        "Emergency services: call your local"
    )
    client.get(result, {"country": ""})  # "Choose a country": she takes it back
    assert first_line(panel_of(client.get(result))).startswith(
        "Emergency services: call your local"
    )
    client.get(result, {"country": "NZ"})
    client.post(result + "delete/")
    assert "quiz_place" not in client.session


@pytest.mark.parametrize("sent", ["XX", "gb'><script>", "x" * 5000, "U S", "uk"])
def test_a_place_we_do_not_know_is_said_kindly_and_changes_nothing(client, result, sent):
    """A hand-edited address: the page says so and falls back to her earlier choice;
    her answers and her choice are untouched."""
    client.get(result, {"country": "IE"})
    answers = QuizSession.objects.get().scored_answers()
    response = client.get(result, {"country": sent})
    panel = panel_of(response)
    assert text_of(panel.select_one(".place__note")) == (
        "We have no helplines listed for the place in this address. Choose where you are:"
    )
    assert first_line(panel).endswith("call 112 (999 also works).")
    assert "<script>" not in response.content.decode()
    assert QuizSession.objects.get().scored_answers() == answers
    assert client.session["quiz_place"] == "IE"


def test_a_lower_case_code_is_the_country(client, result):
    assert first_line(panel_of(client.get(result, {"country": "au"}))).endswith(
        "call 000 (112 from mobiles)."
    )


def test_without_the_safety_panel_there_is_no_place_to_choose(client, questionnaire):
    page = soup(client.get(take(client, STRESSED_BUT_TOGETHER), {"country": "AU"}))
    assert page.select_one(".panel--safety") is None and page.select_one("form.place") is None


def queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, data or {}).status_code == 200
    return len(captured)


EU_COUNTRIES_WITHOUT_A_ROW = (
    "AT BE BG CY CZ DE DK EE FI FR GR HR HU IT LT LU LV MT NL PL PT RO SE SI SK"
)


def test_more_countries_cost_no_more_queries(questionnaire):
    """The numbers are in her published version, already in memory: her page asks the
    database the same (tests/test_quiz_queries.py says what) whatever their number."""
    counts = []
    for more in (False, True):
        if more:
            for n, country in enumerate(EU_COUNTRIES_WITHOUT_A_ROW.split()):
                EmergencyNumber.objects.create(
                    country=country, place=f"Country {n}", number="112", position=500 + n
                )
            publish()
        client = Client()
        result = take(client, LEFT_WITH_WARNING_SIGNS)
        client.get(result, {"country": "AU"})  # chosen once, then only read
        counts.append((queries(client, result, {"country": "AU"}), queries(client, result)))
    assert counts == [(RESULT_GET, RESULT_GET)] * 2
