"""Roles and review before publishing (issue 13, parts 1, 2 and 5).

A wrong helpline number is worse than none: a writer saves drafts, a reviewer who did not
write the safety-critical changes approves exactly those changes, a publisher publishes.
The server enforces each step, whatever a form or a raw POST sends.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from advice.models import Item, Release, Review
from advice.releases import publish
from advice.review import pending
from quiz.models import Choice, EmergencyNumber, SupportResource, Verdict

from .admin_forms import submit
from .editing import REVIEW_PAGE, approve_in_admin, publish_in_admin, review_in_admin
from .html import soup, text_of
from .test_settings import settings_with

pytestmark = pytest.mark.django_db

PUBLISH_PAGE = "/admin/advice/release/add/"
HELPLINE = "0808 2000 247"
WRONG_NUMBER = "0808 2000 999"
HELPLINE_NAME = "National Domestic Abuse Helpline"


def signed_in(client, user):
    client.force_login(user)
    return client


def change_helpline_number(client, number: str = WRONG_NUMBER) -> None:
    resource = SupportResource.objects.get(name=HELPLINE_NAME)
    response = submit(client, f"/admin/quiz/supportresource/{resource.pk}/change/", phone=number)
    assert response.status_code == 302, text_of(soup(response).select_one("#content"))


def reword_an_item(client) -> None:
    """A change to a reason: not safety-critical."""
    item = Item.objects.get(slug="reason-stressed")
    url = f"/admin/advice/item/{item.pk}/change/"
    assert submit(client, url, title="Work is swallowing him whole").status_code == 302


def try_to_publish(client):
    return client.post(PUBLISH_PAGE, {"note": "", "go_live_at": ""})


# -- Roles -------------------------------------------------------------------------------


def test_the_roles_are_groups_with_their_rights(writer, reviewer, publisher):
    """The permission matrix in README ("Roles")."""
    rights = ["advice.publish_release", "advice.review_release", "quiz.change_supportresource"]
    assert [writer.has_perm(r) for r in rights] == [False, False, True]
    assert [reviewer.has_perm(r) for r in rights] == [False, True, False]
    assert [publisher.has_perm(r) for r in rights] == [True, False, False]


# Not content: the versions, her sessions, and the support lines' checks (written only by
# check_support_lines; every editor reads them).
NOT_CONTENT = {"advice.release", "quiz.quizsession", "quiz.linecheck"}


def test_writers_edit_every_kind_of_content_admin_offers_and_everyone_reads_it(
    writer, reviewer, publisher
):
    from django.contrib import admin

    def is_content(model) -> bool:
        opts = model._meta
        return opts.app_label in ("advice", "quiz") and opts.label_lower not in NOT_CONTENT

    content = [model for model in admin.site._registry if is_content(model)]
    with_inlines = content + [
        inline.model
        for model in content
        for inline in admin.site._registry[model].inlines
        if is_content(inline.model)
    ]
    for opts in (model._meta for model in with_inlines):
        for action in ("add", "change", "delete", "view"):
            assert writer.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"), opts.label
        for editor in (reviewer, publisher):
            assert editor.has_perm(f"{opts.app_label}.view_{opts.model_name}"), opts.label
            assert not editor.has_perm(f"{opts.app_label}.change_{opts.model_name}"), opts.label
    for editor in (writer, reviewer, publisher):
        assert editor.has_perm("quiz.view_linecheck")
        assert not editor.has_perm("quiz.change_linecheck")


def test_a_writer_saves_drafts_but_cannot_publish(client, writer, questionnaire):
    signed_in(client, writer)
    reword_an_item(client)
    assert client.get(PUBLISH_PAGE).status_code == 403
    assert try_to_publish(client).status_code == 403
    assert Release.objects.count() == 2
    assertNotContains(client.get("/admin/advice/release/"), "Publish changes")


def test_every_role_previews_the_draft_but_only_publishers_withdraw_a_scheduled_version(
    client, writer, reviewer, publisher, questionnaire
):
    scheduled = publish(go_live_at=timezone.now() + timedelta(days=1))
    withdraw = f"/admin/advice/release/{scheduled.pk}/delete/"
    for user in (writer, reviewer, publisher):
        signed_in(client, user)
        assert client.get("/admin/advice/release/preview/").status_code == 200
        if user != publisher:
            assert client.post(withdraw, {"post": "yes"}).status_code == 403
    assert client.post(withdraw, {"post": "yes"}).status_code == 302
    assert not Release.objects.filter(pk=scheduled.pk).exists()


def test_reviewers_and_publishers_cannot_edit_content(client, reviewer, publisher, questionnaire):
    resource = SupportResource.objects.get(phone=HELPLINE)
    for user in (reviewer, publisher):
        signed_in(client, user)
        url = f"/admin/quiz/supportresource/{resource.pk}/change/"
        assert client.post(url, {"phone": WRONG_NUMBER}).status_code == 403
    assert SupportResource.objects.filter(phone=HELPLINE).exists()


def test_a_change_that_is_not_safety_critical_is_published_without_review(
    client, writer, publisher, questionnaire
):
    reword_an_item(signed_in(client, writer))
    signed_in(client, publisher)
    assertContains(client.get(PUBLISH_PAGE), "Nothing: no pending change needs")
    release = publish_in_admin(client)
    assert release.published_by == publisher
    assert list(release.written_by.all()) == [writer]
    assert release.approval is None


# -- Review before publishing -------------------------------------------------------------


def test_a_new_helpline_number_waits_for_a_second_editors_approval(
    client, writer, reviewer, publisher, questionnaire
):
    change_helpline_number(signed_in(client, writer))
    signed_in(client, publisher)
    page = client.get(PUBLISH_PAGE)
    assertContains(
        page,
        "Support resource “National Domestic Abuse Helpline” (0808 2000 247, "
        "https://www.nationaldahelpline.org.uk/) becomes “National Domestic Abuse "
        "Helpline” (0808 2000 999,",
    )
    response = try_to_publish(client)
    assertContains(response, "need a second editor", status_code=400)
    assert Release.objects.count() == 2

    approve_in_admin(reviewer)
    release = publish_in_admin(signed_in(client, publisher))
    assert release.approval.by == reviewer
    assert list(release.written_by.all()) == [writer]
    assert WRONG_NUMBER in str(release.content)
    record = soup(client.get(f"/admin/advice/release/{release.pk}/change/"))
    shown = {
        name: text_of(record.select_one(f".field-{name} .readonly"))
        for name in ("written_by_names", "approved_by", "published_by")
    }
    assert shown == {
        "written_by_names": "writer",
        "approved_by": "reviewer",
        "published_by": "publisher",
    }


def test_nobody_approves_their_own_change_not_even_with_every_right(
    editor_client, editor, second_editor, questionnaire
):
    change_helpline_number(editor_client)
    response = review_in_admin(editor_client)
    assertContains(response, "you made some of them", status_code=403)
    assert not Review.objects.filter(decision=Review.Decision.APPROVED).exists()
    assert try_to_publish(editor_client).status_code == 400

    approve_in_admin(second_editor)
    assert publish_in_admin(editor_client).approval.by == second_editor


def test_a_raw_post_cannot_approve_someone_elses_digest_for_its_writer(
    client, writer, questionnaire
):
    """The writer, given the reviewer's right, sends the digest straight to the server."""
    writer.user_permissions.add(*Group.objects.get(name="Reviewers").permissions.all())
    change_helpline_number(signed_in(client, writer))
    digest = pending().digest
    response = client.post(REVIEW_PAGE, {"digest": digest, "decision": "approved"})
    assertContains(response, "you made some of them", status_code=403)
    assert not pending().approved


def test_a_writer_cannot_approve_without_the_reviewers_right(client, writer, questionnaire):
    change_helpline_number(signed_in(client, writer))
    response = review_in_admin(client)
    assertContains(response, "Only reviewers may approve", status_code=403)


def test_an_edit_after_approval_needs_approval_again(client, writer, reviewer, questionnaire):
    change_helpline_number(signed_in(client, writer))
    approve_in_admin(reviewer)
    assert pending().approved
    change_helpline_number(client, "0808 2000 111")
    assert not pending().approved
    signed_in(client, reviewer)
    assertContains(client.get(PUBLISH_PAGE.replace("add/", "review/")), "Not reviewed yet.")


def test_an_approval_no_longer_counts_once_the_reviewer_changed_what_they_approved(
    client, writer, reviewer, questionnaire
):
    """Even when the reviewer puts it back as it was: the approval was not theirs to give."""
    change_helpline_number(signed_in(client, writer))
    approve_in_admin(reviewer)
    reviewer.user_permissions.add(*Group.objects.get(name="Writers").permissions.all())
    signed_in(client, reviewer)
    change_helpline_number(client, "0808 2000 111")
    change_helpline_number(client, WRONG_NUMBER)
    assert pending().last.decision == Review.Decision.APPROVED
    assert not pending().approved


def test_an_approval_is_for_the_changes_the_reviewer_saw(client, writer, reviewer, questionnaire):
    """A reviewer reading an older page approves nothing when the changes moved on."""
    change_helpline_number(signed_in(client, writer))
    seen = pending().digest
    change_helpline_number(client, "0808 2000 111")
    signed_in(client, reviewer)
    response = client.post(REVIEW_PAGE, {"digest": seen, "decision": "approved"})
    assertContains(response, "moved on while you read them", status_code=400)
    assert not pending().approved


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda: Choice.objects.filter(raises_safety_notice=True).first(),
            id="an answer no longer raises the safety notice",
        ),
        pytest.param(lambda: Verdict.objects.first(), id="a verdict is rewritten"),
        pytest.param(
            lambda: Item.objects.filter(section__kind="signs").first(), id="a walk-away sign"
        ),
    ],
)
def test_what_needs_review(change, questionnaire):
    row = change()
    if isinstance(row, Choice):
        row.raises_safety_notice = False
    elif isinstance(row, Verdict):
        row.body = "Stay whatever happens."
    else:
        row.body = "Nothing to worry about."
    row.save()
    assert pending().needs_review


def test_rewording_the_question_of_a_safety_critical_answer_makes_its_editor_a_writer(
    client, writer, questionnaire
):
    question = Choice.objects.filter(raises_safety_notice=True).first().question
    url = f"/admin/quiz/question/{question.pk}/change/"
    assert submit(signed_in(client, writer), url, text="Anything else?").status_code == 302
    found = pending()
    assert found.needs_review and found.wrote(writer)


def test_a_changed_emergency_number_waits_for_a_second_editor(client, writer, questionnaire):
    """The number she dials in danger is the first line of the safety panel."""
    uk = EmergencyNumber.objects.get(country="GB")
    url = f"/admin/quiz/emergencynumber/{uk.pk}/change/"
    assert submit(signed_in(client, writer), url, number="112").status_code == 302
    found = pending()
    assert found.needs_review and found.wrote(writer)
    assert [str(change) for change in found.changes] == [
        f"Emergency number of {uk.place}: 999 ({uk.note}) becomes 112 ({uk.note})"
    ]


def test_an_emergency_number_left_out_waits_for_a_second_editor(questionnaire):
    EmergencyNumber.objects.filter(country="IE").update(is_published=False)
    assert [str(change) for change in pending().changes] == [
        "Emergency number no longer shown: Ireland"
    ]


def test_the_safety_text_needs_review_but_an_introduction_does_not(questionnaire):
    questionnaire.intro = "A new introduction."
    questionnaire.save()
    assert not pending().needs_review
    questionnaire.safety_text = "You are probably fine."
    questionnaire.save()
    assert [str(change) for change in pending().changes] == [
        f"“{questionnaire.title}”: safety text changed"
    ]


def test_every_change_needs_review_when_the_setting_says_so(settings, questionnaire):
    Item.objects.filter(slug="reason-stressed").update(title="Reworded")
    assert not pending().needs_review
    settings.REVIEW_ALL_CONTENT = True
    assert [str(change) for change in pending().changes] == ["Changed: “Reworded”"]


def test_a_reviewer_sends_back_with_a_comment_and_the_writer_is_told(
    client, writer, reviewer, questionnaire
):
    change_helpline_number(signed_in(client, writer))
    assert review_in_admin(client, decision="asked").status_code == 302
    assert [m.to for m in mail.outbox] == [["reviewer@example.org"]]
    assert "changes wait for your review" in mail.outbox[0].subject

    signed_in(client, reviewer)
    refused = review_in_admin(client, decision="sent_back")
    assertContains(refused, "Say what to change", status_code=400)
    review_in_admin(client, decision="sent_back", comment="That is not the helpline's number.")
    assert mail.outbox[-1].to == ["writer@example.org"]
    assert "That is not the helpline's number." in mail.outbox[-1].body

    signed_in(client, writer)
    state = text_of(soup(client.get(REVIEW_PAGE)).select_one("#review-state"))
    assert "Sent back by reviewer" in state and "not the helpline's number" in state
    for page in ("/admin/", "/admin/advice/release/"):
        assertContains(client.get(page), "not the helpline&#x27;s number")


# -- History says it ------------------------------------------------------------------------


def test_approvals_and_send_backs_appear_in_the_history_of_the_rows_they_concern(
    client, writer, reviewer, questionnaire
):
    resource = SupportResource.objects.get(phone=HELPLINE)
    change_helpline_number(signed_in(client, writer))
    signed_in(client, reviewer)
    review_in_admin(client, decision="sent_back", comment="Check the number again.")
    change_helpline_number(signed_in(client, writer), HELPLINE.replace("247", "248"))
    approve_in_admin(reviewer)

    signed_in(client, reviewer)
    history = soup(client.get(f"/admin/quiz/supportresource/{resource.pk}/history/"))
    steps = [text_of(li) for li in history.select("#reviews > ul > li")]
    assert "Approved by reviewer: “Checked every number.”" in steps[0]
    assert "Sent back by reviewer: “Check the number again.”" in steps[1]
    other = SupportResource.objects.exclude(pk=resource.pk).first()
    untouched = soup(client.get(f"/admin/quiz/supportresource/{other.pk}/history/"))
    assert untouched.select("#reviews") == []


def test_changes_reviewed_in_english_read_in_spanish_for_a_spanish_reviewer(
    client, writer, reviewer, questionnaire
):
    """A step keeps the changes it was for as catalog messages, not in the words of the
    editor who asked: each editor reads them in the language of the admin they use."""
    resource = SupportResource.objects.get(phone=HELPLINE)
    change_helpline_number(signed_in(client, writer))
    assert review_in_admin(client, decision="asked").status_code == 302  # at /admin/
    step = Review.objects.get()
    assert step.changes[0]["message"].startswith("Support resource %(before)s becomes")

    signed_in(client, reviewer)
    history = f"/admin/quiz/supportresource/{resource.pk}/history/"
    spanish = soup(client.get(f"/es{history}")).select("#reviews .reviewed-changes li")
    assert [text_of(li) for li in spanish] == [
        f"El recurso de apoyo «{HELPLINE_NAME}» ({HELPLINE}, "
        f"{resource.url}) pasa a ser «{HELPLINE_NAME}» ({WRONG_NUMBER}, {resource.url})"
    ]
    english = soup(client.get(history)).select("#reviews .reviewed-changes li")
    assert [text_of(li) for li in english] == [
        f"Support resource “{HELPLINE_NAME}” ({HELPLINE}, "
        f"{resource.url}) becomes “{HELPLINE_NAME}” ({WRONG_NUMBER}, {resource.url})"
    ]


def test_a_step_recorded_before_changes_were_kept_as_messages_shows_them_as_written(
    client, reviewer, questionnaire
):
    from django.contrib.contenttypes.models import ContentType

    from advice.models import ReviewedRow

    resource = SupportResource.objects.get(phone=HELPLINE)
    step = Review.objects.create(
        decision=Review.Decision.ASKED,
        digest="0" * 64,
        changes=["“Why is he pulling away?”: support resources reordered"],
        by=reviewer,
    )
    ReviewedRow.objects.create(
        review=step,
        content_type=ContentType.objects.get_for_model(SupportResource),
        object_id=resource.pk,
    )
    signed_in(client, reviewer)
    page = soup(client.get(f"/es/admin/quiz/supportresource/{resource.pk}/history/"))
    assert [text_of(li) for li in page.select("#reviews .reviewed-changes li")] == [
        "“Why is he pulling away?”: support resources reordered"
    ]


# -- Mail ------------------------------------------------------------------------------------


def test_mail_goes_to_the_console_unless_a_mail_server_is_set(monkeypatch):
    assert settings_with(monkeypatch)["EMAIL_BACKEND"].endswith("console.EmailBackend")
    smtp = settings_with(monkeypatch, EMAIL_HOST="smtp.example.org", EMAIL_PORT="25")
    assert smtp["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert (smtp["EMAIL_HOST"], smtp["EMAIL_PORT"]) == ("smtp.example.org", 25)
