"""Readers everywhere (issue 12), in Chromium: a reader whose browser speaks Spanish takes
the questionnaire in Spanish and reads her result in both languages; a reader in Australia
gets Australia's help first, and Ireland's once she says she is there."""

import re

from playwright.sync_api import expect

from quiz.models import Choice

from ..translations import publish_spanish
from .test_accessibility import LEFT_WITH_WARNING_SIGNS, axe_violations
from .test_questionnaire import take_to_the_result

RESULT = r"/results/[A-Za-z0-9_-]{43}/$"


def in_spanish(path: list[list[str]]) -> list[list[str]]:
    """The same answers as a Spanish reader reads them (the seed's Spanish)."""
    spanish = {choice.text: choice.text_es for choice in Choice.objects.all()}
    return [[spanish[label] for label in labels] for labels in path]


def test_a_spanish_reader_takes_the_questionnaire_in_spanish_and_reads_her_result_in_both(
    browser, site
):
    publish_spanish()
    answers = in_spanish(LEFT_WITH_WARNING_SIGNS)
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    found = []

    def check_with_axe(name):
        page.wait_for_load_state("load")
        found.extend(f"{name}: {line}" for line in axe_violations(page))

    # The address decides the language, not the browser: she follows the language link.
    page.goto(site + "/")
    page.get_by_role("link", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    check_with_axe("the article")
    page.get_by_role("link", name="Hacer el cuestionario").first.click()
    check_with_axe("the start page")
    page.get_by_role("button", name="Empezar el cuestionario").click()
    for number, labels in enumerate(answers, start=1):
        expect(page.get_by_text(f"Pregunta {number} de")).to_be_visible()
        for label in labels:
            page.get_by_label(label, exact=True).check()
        if number == 1:
            check_with_axe("question 1")
        page.get_by_role("button", name="Siguiente").click()
    expect(page.get_by_role("heading", name="Revisa tus respuestas")).to_be_visible()
    check_with_axe("the review page")
    page.get_by_role("button", name="Ver mis resultados").click()

    expect(page).to_have_url(re.compile("/es" + RESULT))
    spanish_result = page.url
    expect(page.locator("html")).to_have_attribute("lang", "es")
    panel = page.get_by_role("region", name="Tu seguridad es lo primero")
    expect(panel).to_be_visible()
    # Her browser names Spain: Spain's emergency number first, and its line, 016.
    expect(panel.locator(".resources li").first).to_contain_text("112")
    expect(panel.locator('a[href="tel:016"]')).to_have_count(1)
    verdict = page.get_by_role("heading", level=1)
    spanish_verdict = verdict.inner_text()
    assert verdict.get_attribute("lang") is None  # her language, not English marked as such
    check_with_axe("the result")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(spanish_result.replace("/es/results/", "/results/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("region", name="Your safety comes first")).to_be_visible()
    assert verdict.inner_text() != spanish_verdict

    page.get_by_role("link", name="Español").click()
    expect(page).to_have_url(spanish_result)
    expect(verdict).to_have_text(spanish_verdict)
    context.close()
    assert found == [], "axe-core found WCAG A/AA violations:\n" + "\n".join(found)


def test_a_reader_in_australia_sees_000_and_1800respect_first_then_irelands_help(browser, site):
    context = browser.new_context(locale="en-AU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    take_to_the_result(page, site, LEFT_WITH_WARNING_SIGNS)
    panel = page.get_by_role("region", name="Your safety comes first")
    first_line = panel.locator(".resources li").first
    first_helpline = panel.locator(".resources__more li").first

    # Until she chooses, the region her browser names stands in, and the panel says so.
    expect(first_line).to_contain_text("Emergency services, Australia: call 000")
    expect(panel.get_by_text("(your browser’s choice)")).to_be_visible()
    expect(first_helpline).to_contain_text("1800RESPECT")

    panel.get_by_label("Where are you?").select_option(label="Ireland")
    panel.get_by_role("button", name="Show lines").click()
    expect(first_line).to_contain_text("Emergency services, Ireland: call 112")
    expect(first_helpline).to_contain_text("Women’s Aid")
    expect(panel).not_to_contain_text("1800RESPECT")
    expect(panel.get_by_text("(your browser’s choice)")).to_have_count(0)
    context.close()
