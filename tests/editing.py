"""What an editor does in admin, as test steps."""

import importlib

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.test import Client

from advice.models import Release


def publish_in_admin(editor_client, note: str = "", go_live_at: str = "") -> Release:
    """Publish the draft from admin's “Publish changes” page; the new version."""
    response = editor_client.post(
        "/admin/advice/release/add/", {"note": note, "go_live_at": go_live_at}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "/login/" not in response["Location"], "the editor is not signed in"
    return Release.objects.order_by("-pk").first()


def assert_only_staff_who_may_view_questionnaires_get(client, django_user_model, *addresses):
    """Anonymous visitors and readers with an account are sent to the admin login; staff
    without the "view questionnaire" permission get 403; with it, each page."""

    def answers(status: int) -> None:
        for address in addresses:
            response = client.get(address)
            assert response.status_code == status, address
            if status == 302:
                assert response["Location"].startswith("/admin/login/"), address

    answers(302)
    reader = django_user_model.objects.create_user("reader", password="a long reader password")
    client.force_login(reader)
    answers(302)
    staff = django_user_model.objects.create_user(
        "intern", password="a long intern password", is_staff=True
    )
    client.force_login(staff)
    answers(403)
    staff.user_permissions.add(Permission.objects.get(codename="view_questionnaire"))
    answers(200)


REVIEW_PAGE = "/admin/advice/release/review/"


def review_in_admin(client, decision: str = "approved", comment: str = ""):
    """On "Review changes", approve (or send back, or ask for a review of) the pending
    changes as the page shows them; the response."""
    page = client.get(REVIEW_PAGE)
    assert page.status_code == 200, page.content.decode()[:2000]
    digest = page.context["form"]["digest"].value()
    return client.post(REVIEW_PAGE, {"digest": digest, "decision": decision, "comment": comment})


def approve_in_admin(reviewer) -> None:
    """A second editor, `reviewer`, approves the pending changes on "Review changes"."""
    client = Client()
    client.force_login(reviewer)
    response = review_in_admin(client, comment="Checked every number.")
    assert response.status_code == 302, response.content.decode()[:3000]


ROLES = importlib.import_module("advice.migrations.0010_roles")


def member(django_user_model, name: str, *roles: str):
    """A staff account in the groups named (README, "Roles"). The groups come from a data
    migration, which a test on a flushed database (Chromium's) has not seen: made again."""
    ROLES.create_roles(apps, None)
    user = django_user_model.objects.create_user(
        name, f"{name}@example.org", f"a long {name} password", is_staff=True
    )
    user.groups.set(Group.objects.filter(name__in=roles))
    return user
