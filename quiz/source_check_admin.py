"""What editors see, on the lists of support lines and emergency numbers, of when each was
last checked against its public source: "needs a check" beside the date, and a filter for
the rows that need one. The same rule as the publish page's warnings (advice/checks.py's
`check_due`): never checked, checked more than six months ago, or not fully confirmed by
its source. A line with nothing to dial or open ("someone you trust") has nothing to check.
"""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from advice.checks import CHECK_AGAIN_MONTHS, check_due, months_before


def has_something_to_check(row) -> bool:
    """An emergency number always; a support line when it has a number or an address."""
    return bool(getattr(row, "number", "") or getattr(row, "phone", "") or getattr(row, "url", ""))


def needs_a_check(row, today) -> bool:
    if not has_something_to_check(row):
        return False
    return bool(row.unconfirmed) or check_due(row.checked_on, today) is not None


def checked_column(row) -> str:
    """The day it was checked, and "needs a check" when it does."""
    when = date_format(row.checked_on) if row.checked_on else ""
    if needs_a_check(row, timezone.localdate()):
        return format_html("{} <strong>{}</strong>", when, gettext("needs a check"))
    return when


class NeedsACheckFilter(admin.SimpleListFilter):
    title = _("check against its source")
    parameter_name = "check"

    def lookups(self, request, model_admin):
        return [("due", _("needs a check"))]

    def queryset(self, request, queryset):
        if self.value() != "due":
            return queryset
        due = months_before(timezone.localdate(), CHECK_AGAIN_MONTHS)
        found = queryset.filter(
            ~Q(unconfirmed="") | Q(checked_on__isnull=True) | Q(checked_on__lt=due)
        )
        if hasattr(queryset.model, "phone"):
            found = found.exclude(phone="", url="")
        return found
