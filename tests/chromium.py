"""Debian's Chromium, driven by Playwright: one browser for the whole test session.

Playwright cannot download its own browser here, so it drives /usr/bin/chromium (the
Makefile installs it). Browser tests and the stack's hostile-input tests share the one
instance: Playwright's sync API allows only one running at a time in a process.
"""

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium tries to reach Google's services, which this network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def with_short_timeout(new_context):
    """Pages here answer in milliseconds: fail in seconds, not after Playwright's 30."""

    def short(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.set_default_timeout(5000)
        return context

    return short
