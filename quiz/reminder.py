"""A reminder that gives nothing away: a calendar file for a day she picks.

Nothing is sent and nothing is stored: she downloads one .ics file and opens it with her
calendar. Its title is hers to choose (a neutral default), and the address of her result
goes into it only if she ticks the box, since anyone who opens her calendar could follow
it. The form is posted, not sent as a query, so her title and day stay out of the
browser's history and out of any log of addresses.
"""

from datetime import UTC, date, timedelta

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods

from advice.navigation import absolute_url

from .calendar_file import all_day_event
from .models import QuizSession
from .views import private_page, session_by_token

# How far ahead a reminder may be set: further than anyone plans a check-in, and a year is
# a bound a typo (20311 for 2031) cannot slip past.
DAYS_AHEAD = 365
TITLE_LENGTH = 80
# A file name that says nothing, whatever folder of downloads it lands in.
FILE_NAME = "event.ics"


def default_title() -> str:
    return gettext("Reminder")


def earliest_day() -> date:
    """The earliest date it still is anywhere on Earth: the date at UTC-12. A reader far
    west of the site who picks her own today is not told that it has passed."""
    return (timezone.now() - timedelta(hours=12)).astimezone(UTC).date()


def latest_day() -> date:
    return timezone.localdate() + timedelta(days=DAYS_AHEAD)


def kept_until(session: QuizSession) -> date:
    """The last day her result link surely works: retention deletes a session once its
    last activity is older than QUIZ_SESSION_RETENTION_DAYS (delete_old_sessions)."""
    deleted = session.last_activity_at + timedelta(days=settings.QUIZ_SESSION_RETENTION_DAYS)
    return timezone.localdate(deleted) - timedelta(days=1)


class DayInput(forms.DateInput):
    """A date picker. It shows back a day she typed only when it is one: HTML allows a
    date input no other value, and her browser would show it empty anyway."""

    input_type = "date"

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


class ReminderForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Day"),
        widget=DayInput(format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Pick the day you want to be reminded."),
            "invalid": gettext_lazy("Enter a real day: its year, month and day."),
        },
    )
    title = forms.CharField(
        label=gettext_lazy("Title in your calendar"),
        required=False,
        max_length=TITLE_LENGTH,
        error_messages={
            "max_length": gettext_lazy("Keep the title to %(limit_value)d characters or fewer.")
        },
    )
    with_link = forms.BooleanField(
        label=gettext_lazy("Put the address of my results in the reminder"), required=False
    )

    def __init__(self, *args, kept_until: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_until = kept_until
        self.earliest, self.latest = earliest_day(), latest_day()
        self.fields["day"].widget.attrs.update(min=self.earliest, max=self.latest)
        self.fields["title"].widget.attrs.update(maxlength=TITLE_LENGTH, autocomplete="off")
        self.fields["title"].initial = default_title()
        for name in ("title", "with_link"):  # their help under them (reminder.html)
            self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}-help"

    def full_clean(self):
        """A field in error says so to screen readers, and points at its message."""
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                described = attrs.get("aria-describedby", "")
                attrs["aria-describedby"] = f"{described} id_{name}-error".strip()

    def clean_day(self) -> date:
        day = self.cleaned_data["day"]
        if day < self.earliest:
            raise forms.ValidationError(gettext("That day has passed: pick today or a later day."))
        if day > self.latest:
            raise forms.ValidationError(
                gettext("Pick a day within a year, by %(last)s.")
                % {"last": date_format(self.latest, "j F Y")}
            )
        return day

    def clean_title(self) -> str:
        """Her words on one line, without control characters; the default when none."""
        printable = "".join(c for c in self.cleaned_data["title"] if c.isprintable() or c.isspace())
        return " ".join(printable.split()) or default_title()

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("day")
        if cleaned.get("with_link") and day and day > self.kept_until:
            self.add_error(
                "day",
                gettext(
                    "Your results are kept until %(day)s. Pick that day or an earlier one, "
                    "or leave their address out."
                )
                % {"day": date_format(self.kept_until, "j F Y")},
            )
        return cleaned


def calendar_response(request: HttpRequest, session: QuizSession, form: ReminderForm):
    data = form.cleaned_data
    url = absolute_url(request, session.get_absolute_url()) if data["with_link"] else None
    text = all_day_event(day=data["day"], summary=data["title"], now=timezone.now(), url=url)
    response = HttpResponse(text.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{FILE_NAME}"'
    return response


# Same-origin Referer, not none: the form posts, and under "no-referrer" browsers send
# "Origin: null", which CSRF protection refuses (see views.private_page). The page's
# address is never sent to another site.
@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def reminder(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the form. POST: the calendar file, or the form again saying what to change."""
    session = session_by_token(token)
    bound = request.POST if request.method == "POST" else None
    form = ReminderForm(bound, kept_until=kept_until(session))
    if form.is_bound and form.is_valid():
        return calendar_response(request, session, form)
    context = {
        "session": session,
        "form": form,
        "kept_until": form.kept_until,
        "questionnaire": session.published_questionnaire(),
    }
    return render(request, "quiz/reminder.html", context, status=400 if form.is_bound else 200)
