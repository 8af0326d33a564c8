"""What editors see of the support-line checks: on the support resources' list, each
resource's last check and a filter for the failing ones; on a resource's page, its recent
checks, which nobody can edit.

The checks are not registered as a model admin of their own on purpose: deleting a
resource deletes its checks, and Django's delete page asks for the delete permission of
every registered model it would delete rows of. A read-only list of checks there would
have made resources undeletable.
"""

from django.contrib import admin
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import LineCheck

Outcome = LineCheck.Outcome


def checked_now(resource) -> bool:
    """The latest check is of the address the resource has now."""
    return resource.last_outcome is not None and resource.last_checked_url == resource.url


def last_check(resource) -> str:
    """The outcome and day of the resource's latest check (annotated: `with_last_check`)."""
    if not resource.url:
        return ""
    if not checked_now(resource):
        return "not checked"
    moment = timezone.localtime(resource.last_checked_at)
    label = Outcome(resource.last_outcome).label
    when = date_format(moment, "j M Y")
    title = date_format(moment, "j M Y H:i")
    if resource.last_outcome == Outcome.OK:
        return format_html('<span title="{}">{}, {}</span>', title, label, when)
    return format_html('<strong title="{}">{}</strong>, {}', title, label, when)


def with_last_check_under(address_column):
    """A list column: the address as `address_column` shows it, its last check under it.

    One column rather than two, so the list still fits a 1280-pixel screen
    (tests/browser/test_admin_editing.py); the check is about that address anyway.
    """

    def web_site(model_admin, resource) -> str:
        if not resource.url:
            return ""
        return format_html(
            "{}<br><small>{}</small>", address_column(model_admin, resource), last_check(resource)
        )

    return admin.display(description=_("web site, last check"), ordering="url")(web_site)


class LastCheckFilter(admin.SimpleListFilter):
    title = _("last check")
    parameter_name = "last_check"

    def lookups(self, request, model_admin):
        return [("failed", _("failed")), ("ok", _("ok")), ("none", _("not checked"))]

    def queryset(self, request, queryset):
        current = Q(last_outcome__isnull=False, last_checked_url=F("url"))
        if self.value() == "failed":
            return queryset.filter(current).exclude(last_outcome=Outcome.OK)
        if self.value() == "ok":
            return queryset.filter(current, last_outcome=Outcome.OK)
        if self.value() == "none":
            never = Q(last_checked_url__isnull=True) | ~Q(last_checked_url=F("url"))
            return queryset.exclude(url="").filter(never)
        return queryset


class LineCheckInline(admin.TabularInline):
    """The resource's recent checks (the command keeps the last few), read-only."""

    model = LineCheck
    fields = ["checked_at", "url", "outcome", "status", "said_detail"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = _("recent checks of its web address")

    @admin.display(description=_("detail"))
    def said_detail(self, check: LineCheck) -> str:
        return check.said_detail()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Whoever may see a resource may see how its address answered.
        return request.user.has_perm("quiz.view_supportresource") or request.user.has_perm(
            "quiz.change_supportresource"
        )
