"""What editors see of the support-line checks in admin, and that they cannot change them.

Issue 13, part 4.
"""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from pytest_django.asserts import assertContains, assertNotContains

from advice.history import record_first_versions
from quiz.models import LineCheck, SupportResource

from .admin_forms import form_data
from .moments import CLOCK_START

pytestmark = pytest.mark.django_db

LIST = "/admin/quiz/supportresource/"
Outcome = LineCheck.Outcome


def check(resource, outcome, days_ago=0, url=None, status=None):
    return LineCheck.objects.create(
        resource=resource,
        url=url or resource.url,
        checked_at=CLOCK_START - timedelta(days=days_ago),
        outcome=outcome,
        status=status,
    )


@pytest.fixture
def checked(questionnaire):
    """The seed's three resources with an address: one fine, one failing now (after an
    earlier success), one whose address changed since its failing check."""
    uk, us, samaritans = (
        SupportResource.objects.get(name__startswith=start)
        for start in ("National Domestic Abuse", "National Domestic Violence", "If he")
    )
    check(uk, Outcome.OK, days_ago=1)
    check(us, Outcome.OK, days_ago=2)
    check(us, Outcome.NOT_FOUND, days_ago=1, status=404)
    check(samaritans, Outcome.TIMEOUT, days_ago=1, url="https://old.example.org/")
    return uk, us, samaritans


def test_the_list_shows_each_resources_last_check_under_its_address(editor_client, checked):
    response = editor_client.get(LIST)
    assertContains(response, "Web site, last check")
    # The failing one stands out; the one whose address changed is not counted as checked.
    assertContains(response, '<strong title="17 Jun 2031 12:00">not found</strong>, 17 Jun 2031')
    assertContains(response, '<span title="17 Jun 2031 12:00">ok, 17 Jun 2031</span>')
    page = BeautifulSoup(response.content, "html.parser")
    cells = {
        row.select_one("th, td.field-name").get_text(): row.select_one("td.field-web_site")
        for row in page.select("#result_list tbody tr")
    }
    assert cells["Someone you trust"].get_text() == "-"  # no address, nothing to check
    assert {name: cells[name].small.get_text() for name in (UK, US, SAMARITANS)} == {
        UK: "ok, 17 Jun 2031",
        US: "not found, 17 Jun 2031",
        SAMARITANS: "not checked",
    }


UK, US = "National Domestic Abuse Helpline", "National Domestic Violence Hotline"
SAMARITANS = "If he threatens to hurt himself"


@pytest.mark.parametrize(
    ("choice", "names"),
    [("failed", {US}), ("ok", {UK}), ("none", {SAMARITANS, "1800RESPECT", "loveisrespect"})],
)
def test_the_filter_lists_failing_fine_and_unchecked_lines(editor_client, checked, choice, names):
    """Unchecked: every line with an address but those two (the seed has many)."""
    response = editor_client.get(LIST, {"last_check": choice})
    listed = {resource.name for resource in response.context["cl"].result_list}
    if choice == "none":
        assert names <= listed and not listed & {UK, US}
    else:
        assert listed == names


def test_a_resources_page_shows_its_checks_and_saves_without_touching_them(editor_client, checked):
    _, us, _ = checked
    page = f"{LIST}{us.pk}/change/"
    response = editor_client.get(page)
    assertContains(response, "Recent checks of its web address")
    assertContains(response, "not found")
    data = form_data(response)
    # Each check's row carries only its hidden keys: nothing to edit.
    assert {name.split("-")[-1] for name in data if name.startswith("line_checks-0-")} == {
        "id",
        "resource",
    }
    assertNotContains(response, "Add another support line check")

    data["description"] = ["Free and confidential, day and night."]
    assert editor_client.post(page, data).status_code == 302
    assert us.line_checks.count() == 2


def details_shown(client, page: str) -> list[str]:
    html = BeautifulSoup(client.get(page).content, "html.parser")
    return [td.get_text(" ", strip=True) for td in html.select("td.field-said_detail")]


def test_a_check_made_in_english_shows_its_detail_in_spanish(editor_client, checked):
    """The nightly command runs in English; an editor at /es/admin/ reads its findings in
    Spanish: the check keeps the message and its values, not the English sentence."""
    from django.utils import translation

    from quiz.line_checker import final_answer
    from quiz.line_checks import record

    _, us, _ = checked
    LineCheck.objects.filter(resource=us).delete()
    with translation.override("en"):
        record(us.url, [us], final_answer(200, us.url, "https://example.org/moved"))
    kept = us.line_checks.get()
    assert (kept.outcome, kept.detail) == (Outcome.OK, "")  # no English stored

    page = f"{LIST}{us.pk}/change/"
    assert details_shown(editor_client, f"/es{page}") == [
        "se ha movido a https://example.org/moved"
    ]
    assert details_shown(editor_client, page) == ["moved to https://example.org/moved"]


def test_a_check_recorded_as_plain_text_shows_it_as_written(editor_client, checked):
    """Checks recorded before details were kept as messages, or an error a library gave."""
    _, us, _ = checked
    us.line_checks.update(detail="no answer within 5 s")
    page = f"/es{LIST}{us.pk}/change/"
    assert details_shown(editor_client, page) == ["no answer within 5 s"] * 2


def test_checks_have_no_admin_pages_of_their_own(editor_client, checked):
    assert editor_client.get("/admin/quiz/linecheck/").status_code == 404


def test_an_editor_who_may_delete_resources_deletes_one_with_its_checks(
    client, django_user_model, checked
):
    """Django's delete page asks for the delete permission of every registered model it
    would delete rows of: checks must not make a resource undeletable."""
    staff = django_user_model.objects.create_user("intern", password="a long one", is_staff=True)
    for action in ("view", "change", "delete"):
        staff.user_permissions.add(Permission.objects.get(codename=f"{action}_supportresource"))
    client.force_login(staff)
    _, us, _ = checked
    delete = f"{LIST}{us.pk}/delete/"
    response = client.get(delete)
    assertContains(response, "Are you sure")
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not LineCheck.objects.filter(resource_id=us.pk).exists()


def test_staff_who_may_only_view_resources_see_their_checks(client, django_user_model, checked):
    staff = django_user_model.objects.create_user("intern", password="a long one", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_supportresource"))
    client.force_login(staff)
    _, us, _ = checked
    response = client.get(f"{LIST}{us.pk}/change/")
    assertContains(response, "Recent checks of its web address")
    assertContains(response, "not found")


def test_a_resource_with_checks_reverts_to_an_earlier_version(editor_client, checked):
    """Its checks show on its change page; the History page's form is that page's too."""
    _, us, _ = checked
    record_first_versions()
    first = us.history.get()
    us.description = "Changed."
    us.save()
    version_page = f"{LIST}{us.pk}/history/{first.history_id}/"
    response = editor_client.get(version_page)
    assert response.status_code == 200
    assert editor_client.post(version_page, form_data(response)).status_code == 302
    us.refresh_from_db()
    assert us.description == first.description
    assert us.line_checks.count() == 2
