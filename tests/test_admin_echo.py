"""Echo nothing raw: an HTML payload in every parameter of every editors' tool page comes
back escaped (or not at all), never as markup that would act in the editor's browser."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAYLOAD = '"><meta http-equiv=refresh content="0;url=https://evil.example/"><b>'
RAW = ("<meta http-equiv=refresh", "<b>")


def tool_pages(questionnaire) -> list[tuple[str, str, dict]]:
    """(method, address, parameters): every parameter a tool page reads, and a few it does
    not (a scanner tries those too), each carrying the payload."""
    first_question = questionnaire.questions.order_by("position").first()
    questionnaire_id = questionnaire.pk

    def tool(name, *args):
        return reverse(f"admin:quiz_questionnaire_{name}", args=[questionnaire_id, *args])

    everything = {"q": PAYLOAD, "next": PAYLOAD, "x": PAYLOAD}
    return [
        ("get", tool("simulator"), {f"q{first_question.pk}": PAYLOAD, **everything}),
        ("get", tool("simulator"), {"token": PAYLOAD}),
        ("get", tool("simulated_result", "draft"), {f"q{first_question.pk}": PAYLOAD}),
        ("get", tool("simulated_result", "published"), {"token": PAYLOAD}),
        ("get", tool("simulated_result", "draft"), {f"q{PAYLOAD}": "1"}),
        ("get", tool("statistics"), {"from": PAYLOAD, "to": PAYLOAD, **everything}),
        ("get", tool("statistics_csv"), {"from": PAYLOAD, "to": PAYLOAD}),
        ("get", tool("coverage"), everything),
        ("get", tool("feedback"), everything),
        ("get", reverse("admin:advice_release_add"), everything),
        ("post", reverse("admin:advice_release_add"), {"note": PAYLOAD, "go_live_at": PAYLOAD}),
        ("get", reverse("admin:advice_release_preview"), everything),
        ("get", reverse("admin:advice_release_changelist"), {"q": PAYLOAD, "o": PAYLOAD}),
    ]


def test_every_tool_page_escapes_what_it_is_sent(editor_client, questionnaire):
    for method, address, parameters in tool_pages(questionnaire):
        if method == "get":
            response = editor_client.get(f"{address}?{urlencode(parameters)}")
        else:
            response = editor_client.post(address, parameters)
        body = response.content.decode()
        where = f"{method.upper()} {address} {sorted(parameters)} → {response.status_code}"
        assert response.status_code < 500, where
        assert not any(raw in body for raw in RAW), where


def test_a_bad_answer_in_the_simulator_is_explained_in_plain_text(editor_client, questionnaire):
    address = reverse("admin:quiz_questionnaire_simulated_result", args=[questionnaire.pk, "draft"])
    response = editor_client.get(f"{address}?{urlencode({'q1': PAYLOAD})}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "not a number" in response.content.decode()
