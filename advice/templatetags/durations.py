"""A stretch of time in words, for texts that describe a setting: "15 minutes"."""

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def duration(length: timedelta) -> str:
    """In Django's own (translated) words, to the two largest units: "1 hour, 30 minutes"."""
    now = timezone.now()
    return timesince(now - length, now)
