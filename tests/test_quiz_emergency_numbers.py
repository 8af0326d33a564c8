"""Emergency numbers are content: edited in admin with history, checked before publishing,
published in each version, and absent from versions published before them.
(What a reader sees of them: tests/test_quiz_safety_places.py.)"""

import pytest
from django.core.cache import cache

from advice.content_checks import RefusedContent
from advice.models import Release
from advice.releases import draft_content, findings, forget_parsed_releases, publish
from quiz.models import EmergencyNumber, SupportResource

from .admin_forms import form_data
from .html import soup, text_of
from .quiz_helpers import LEFT_WITH_WARNING_SIGNS, take
from .test_publishing import simulator_query

pytestmark = pytest.mark.django_db


def australia() -> EmergencyNumber:
    return EmergencyNumber.objects.get(country="AU")


def test_an_editor_cannot_save_a_number_that_is_not_an_emergency_number_there(
    editor_client, questionnaire
):
    page = f"/admin/quiz/emergencynumber/{australia().pk}/change/"
    data = {**form_data(editor_client.get(page)), "number": "1800 737 732"}
    response = editor_client.post(page, data)
    assert "The number “1800 737 732” is not an emergency number in AU." in [
        text_of(e) for e in soup(response).select(".errorlist li")
    ]
    assert australia().number == "000"


def test_an_editors_change_is_kept_in_history_and_published_with_the_next_version(
    editor_client, questionnaire
):
    page = f"/admin/quiz/emergencynumber/{australia().pk}/change/"
    data = {**form_data(editor_client.get(page)), "note": "112 from any phone"}
    data |= {"source": "triplezero.gov.au", "checked_on": "2026-12-01"}
    assert editor_client.post(page, data).status_code == 302
    assert [v.note for v in australia().history.all()] == ["112 from any phone"]
    assert "Emergency number changed: Australia, 000" in editor_client.get(
        "/admin/advice/release/add/"
    ).content.decode("utf-8")
    publish()
    panel = soup(editor_client.get(take(editor_client, LEFT_WITH_WARNING_SIGNS), {"country": "AU"}))
    assert "000 (112 from any phone)" in text_of(panel.select_one(".resources__emergency"))


def test_a_number_that_reaches_no_emergency_service_blocks_publishing(questionnaire):
    """112 for "every EU country" must be one in each of them: 116 123 (Samaritans' number
    in several) is not."""
    EmergencyNumber.objects.filter(country="EU").update(number="116 123")
    versions = Release.objects.count()
    with pytest.raises(RefusedContent) as refused:
        publish()
    assert "Emergency number of Elsewhere in the EU: The number “116 123” is not an emergency " in (
        refused.value.message
    )
    assert Release.objects.count() == versions


def test_a_line_whose_country_has_no_emergency_number_is_a_warning(questionnaire):
    EmergencyNumber.objects.filter(country="NZ").update(is_published=False)
    texts = [f.text for f in findings(draft_content()) if not f.blocking]
    assert (
        "Support resource “Women’s Refuge Crisisline” is for NZ, which has no published "
        "emergency number: no reader can choose it."
    ) in texts


def test_a_version_from_before_emergency_numbers_shows_its_lines_as_it_did(client, questionnaire):
    """Her result link keeps working: that version's lines (each questionnaire's own, as
    versions then held them), all of them, no country asked."""
    result = take(client, LEFT_WITH_WARNING_SIGNS)
    release = Release.objects.live().first()
    content = dict(release.content, schema=2)
    del content["emergency_numbers"]
    lines = content.pop("support_resources")
    for q in content["questionnaires"]:
        q["resources"] = [
            {key: r[key] for key in ("name", "description", "phone", "url")} for r in lines
        ]
    Release.objects.filter(pk=release.pk).update(content=content)
    cache.clear()
    forget_parsed_releases()
    panel = soup(client.get(result, {"country": "AU"})).select_one(".panel--safety")
    assert panel.select_one("form.place") is None
    shown = [text_of(li.strong).rstrip(":") for li in panel.select(".resources li")]
    assert shown == list(
        SupportResource.objects.filter(is_published=True).values_list("name", flat=True)
    )


def test_the_simulator_shows_the_panel_for_a_place_and_keeps_the_answers(
    editor_client, questionnaire
):
    """Its "Where are you?" sends the simulated answers again; nothing is remembered."""
    simulator = f"/admin/quiz/questionnaire/{questionnaire.pk}/simulator/draft/"
    query = simulator_query(LEFT_WITH_WARNING_SIGNS)
    page = soup(editor_client.get(simulator, {**query, "country": "IE"}))
    assert text_of(page.select_one(".resources__emergency")).endswith("call 112 (999 also works).")
    form = page.select_one("form.place")
    kept = {(i["name"], i["value"]) for i in form.select("input[type=hidden]")}
    assert kept == {(name, str(value)) for name, values in query.items() for value in values}
    assert "quiz_place" not in editor_client.session
