"""“Was this helpful?” for editors: yes and no per article item, masked like the statistics."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advice.kinds import ItemKind
from quiz import scoring
from quiz.feedback import ItemVotes, feedback_report
from quiz.models import ItemFeedback, QuizSession
from quiz.statistics import Figure

from .editing import assert_only_staff_who_may_view_questionnaires_get
from .html import text_of

pytestmark = pytest.mark.django_db

# The editor (1), the questionnaire with its article (1), the votes counted per item (1).
# The editor's session and the rules come from the cache.
FEEDBACK_PAGE_QUERIES = 3


def url(questionnaire) -> str:
    return f"/admin/quiz/questionnaire/{questionnaire.pk}/feedback/"


def add_votes(questionnaire, item_slug: str, yes: int = 0, no: int = 0) -> None:
    """`yes` readers said the item helped and `no` readers said it didn't, one session each."""
    sessions = QuizSession.objects.bulk_create(
        QuizSession(questionnaire=questionnaire) for _ in range(yes + no)
    )
    ItemFeedback.objects.bulk_create(
        ItemFeedback(
            session=session,
            questionnaire=questionnaire,
            item_slug=item_slug,
            helpful=n < yes,
        )
        for n, session in enumerate(sessions)
    )


def table_rows(response) -> dict[str, list[str]]:
    """Each item's row on the page: its label → [yes, no, said yes]."""
    html = BeautifulSoup(response.content, "html.parser")
    return {
        text_of(row.th): [text_of(td) for td in row.find_all("td")]
        for row in html.select("#content-main tbody tr")
    }


# --- Counting and masking, as plain data ---------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "no", "shown"),
    [
        (12, 10, ("12", "10", 55)),  # 12 of 22
        (30, 10, ("30", "10", 75)),
        (10, 9, ("10", "fewer than 10", None)),  # the share would give the 9 away
        (9, 10, ("fewer than 10", "10", None)),
        (3, 2, ("fewer than 10", "fewer than 10", None)),
        (0, 0, ("fewer than 10", "fewer than 10", None)),
    ],
)
def test_counts_below_ten_are_masked_and_the_share_only_shown_when_none_is(yes, no, shown):
    row = ItemVotes.of("1) An item", "an-item", yes, no)
    assert (str(row.yes), str(row.no), row.helpful_percent) == shown


def test_the_report_lists_every_item_by_kind_in_reading_order_and_keeps_votes_on_gone_ones():
    rules = scoring.Rules(
        questions=(),
        items=(
            scoring.Item("reason-a", ItemKind.REASONS, 0, "Reason A", 1),
            scoring.Item("way-a", ItemKind.WAYS, 1, "Way A", 1),
            scoring.Item("way-b", ItemKind.WAYS, 2, "Way B", 2),
            scoring.Item("sign-a", ItemKind.SIGNS, 3, "Sign A", 1),
        ),
    )
    groups = feedback_report(rules, {"way-b": (20, 10), "removed-item": (11, 0)})
    assert [(g.title, [r.label for r in g.rows]) for g in groups] == [
        ("Reasons", ["1) Reason A"]),
        ("Ways to handle it", ["1) Way A", "2) Way B"]),
        ("Warning signs", ["1) Sign A"]),
        ("Items no longer in the article", ["removed-item"]),
    ]
    way_b = groups[1].rows[1]
    assert (way_b.yes, way_b.no, way_b.helpful_percent) == (Figure(20), Figure(10), 67)
    assert groups[0].rows[0].yes.masked  # no votes yet


# --- The editors' page -------------------------------------------------------------------


def test_the_change_form_links_to_the_feedback_page(editor_client, questionnaire):
    page = editor_client.get(f"/admin/quiz/questionnaire/{questionnaire.pk}/change/")
    html = BeautifulSoup(page.content, "html.parser")
    assert html.find("a", string="Was this helpful?")["href"] == url(questionnaire)


def test_the_page_shows_yes_and_no_per_article_item(editor_client, questionnaire):
    add_votes(questionnaire, "reason-stressed", yes=12, no=10)
    add_votes(questionnaire, "way-listen-and-learn", yes=10, no=3)
    add_votes(questionnaire, "sign-gaslighting", yes=0, no=25)
    response = editor_client.get(url(questionnaire))
    assert response.status_code == 200
    rows = table_rows(response)
    assert rows["2) He’s stressed and none of this is about you"] == ["12", "10", "55%"]
    assert rows["4) Listen and learn"] == ["10", "fewer than 10", "not shown"]
    assert rows["8) He’s gaslighting you"] == ["fewer than 10", "25", "not shown"]
    assert rows["1) He’s falling for you"] == ["fewer than 10", "fewer than 10", "not shown"]
    # Every reason, way and sign of the article, voted on or not: 5 + 14 + 8.
    assert len(rows) == 27
    headings = [text_of(h) for h in BeautifulSoup(response.content, "html.parser").select("h2")]
    assert headings == ["Reasons", "Ways to handle it", "Warning signs"]


def test_a_masked_count_is_not_on_the_page_at_all(editor_client, questionnaire):
    add_votes(questionnaire, "reason-stressed", yes=37, no=7)
    page = editor_client.get(url(questionnaire))
    rows = table_rows(page)
    assert rows["2) He’s stressed and none of this is about you"] == [
        "37",
        "fewer than 10",
        "not shown",
    ]
    main = text_of(BeautifulSoup(page.content, "html.parser").select_one("#content-main"))
    assert " 7 " not in f" {main} " and "84%" not in main and "44" not in main


def test_the_page_is_for_staff_who_may_view_the_questionnaire(
    client, questionnaire, django_user_model
):
    assert_only_staff_who_may_view_questionnaires_get(client, django_user_model, url(questionnaire))


def test_an_unknown_questionnaire_is_a_404(editor_client, questionnaire):
    assert (
        editor_client.get(
            f"/admin/quiz/questionnaire/{questionnaire.pk + 99}/feedback/"
        ).status_code
        == 404
    )


def count_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


def test_the_votes_are_counted_in_one_query_however_many(editor_client, questionnaire):
    editor_client.get(url(questionnaire))  # the rules into the cache
    few = count_queries(editor_client, url(questionnaire))
    for slug in ("reason-stressed", "way-smile", "sign-old-flame", "gone-item"):
        add_votes(questionnaire, slug, yes=15, no=11)
    many = count_queries(editor_client, url(questionnaire))
    assert few == many == FEEDBACK_PAGE_QUERIES
    assert table_rows(editor_client.get(url(questionnaire)))["gone-item"] == ["15", "11", "58%"]
