"""Which support lines' addresses are checked, and how their answers are kept.

Only published resources are checked: readers never see an unpublished one, and its
address may be a draft an editor has not finished. Addresses are checked as saved (the
draft), so a corrected address is checked before it is published. Resources sharing an
address share one check, recorded for each of them. Nothing about readers is read.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from advice.checks import Problem

from .line_checker import Answer
from .models import LineCheck, SupportResource


def user_agent() -> str:
    """Names the site, so a helpline that wonders about the requests knows who asks."""
    name = f"{settings.SITE_NAME} support-line check"
    return f"{name} (+{settings.SITE_URL})" if settings.SITE_URL else name


def addresses_to_check() -> dict[str, list[SupportResource]]:
    """Each distinct address of a published resource → the resources showing it."""
    addresses: dict[str, list[SupportResource]] = {}
    resources = SupportResource.objects.filter(is_published=True).exclude(url="")
    for resource in resources.order_by("url", "pk"):
        addresses.setdefault(resource.url, []).append(resource)
    return addresses


def unpublished_with_an_address() -> int:
    return SupportResource.objects.filter(is_published=False).exclude(url="").count()


@transaction.atomic
def record(url: str, resources: list[SupportResource], answer: Answer) -> None:
    """Keep the answer for each resource, and only its last `KEEP_PER_RESOURCE` checks."""
    checked_at = timezone.now()
    LineCheck.objects.bulk_create(
        LineCheck(
            resource=resource,
            url=url,
            checked_at=checked_at,
            outcome=answer.outcome,
            status=answer.status,
            **stored_detail(answer),
        )
        for resource in resources
    )
    for resource in resources:
        kept = resource.line_checks.order_by("-checked_at", "-pk")[: LineCheck.KEEP_PER_RESOURCE]
        resource.line_checks.exclude(pk__in=list(kept.values_list("pk", flat=True))).delete()


def stored_detail(answer: Answer) -> dict:
    """The answer's detail as a `LineCheck` keeps it: a message in `detail_message`, said
    in the language of whoever reads it later; a text kept as written in `detail`."""
    if isinstance(answer.detail, Problem):
        return {"detail": "", "detail_message": answer.detail.as_json()}
    return {"detail": answer.detail[:300], "detail_message": None}


def with_last_check(resources):
    """Annotate each resource with its latest check: `last_outcome`, `last_checked_at` and
    `last_checked_url` (None when never checked)."""
    latest = LineCheck.objects.filter(resource=OuterRef("pk")).order_by("-checked_at", "-pk")
    return resources.annotate(
        last_outcome=Subquery(latest.values("outcome")[:1]),
        last_checked_at=Subquery(latest.values("checked_at")[:1]),
        last_checked_url=Subquery(latest.values("url")[:1]),
    )
