"""Lighthouse 12 (pinned in bench/package.json) in Debian's chromium, mobile and desktop.

Run while the site is up and quiet; a report that fails to record a trace (NO_NAVSTART,
now and then) gets one retry. `make bench` runs it after wrk; bench/lighthouse_alone.py
(`make bench-lighthouse`) runs it alone.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from cpu import wait_for_quiet
from knobs import BENCH_DIR, say
from processes import PROCESSES

LIGHTHOUSE = BENCH_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PRESETS = ("mobile", "desktop")
# A questionnaire step and a result are one reader's private pages: they send noindex on
# purpose, which the SEO audit is-crawlable counts against them. They are audited without
# that one audit, so every other SEO audit still counts; the report says so.
SKIPPED_ON_PRIVATE_PAGES = ("is-crawlable",)


def audit_pages(base: str, sessions: dict, out: Path) -> dict:
    """(page, preset) → its scores and failing audits, or None if it did not finish.

    The article, a questionnaire step (with its reader's cookie) and a result page.
    """
    private = SKIPPED_ON_PRIVATE_PAGES
    pages = [
        ("article", f"{base}/", None, ()),
        ("step", f"{base}{sessions['step']['path']}", sessions["step"]["cookie"], private),
        ("result", f"{base}{sessions['results'][0]}", None, private),
    ]
    results = {}
    for name, url, cookie, skip in pages:
        for preset in PRESETS:
            results[(name, preset)] = None
            for attempt in (1, 2):
                wait_for_quiet()
                try:
                    result = lighthouse(name, url, preset, cookie, out, skip)
                except (RuntimeError, OSError, ValueError, KeyError) as error:
                    say(f"lighthouse {name} {preset}, attempt {attempt}: {error}")
                    continue
                results[(name, preset)] = result
                say(f"lighthouse {name} {preset}: {result['scores']}")
                break
    return results


def lighthouse(
    name: str, url: str, preset: str, cookie: str | None, out: Path, skip: tuple[str, ...] = ()
) -> dict:
    """One run on `url` without the audits in `skip`; its report and log stay in `out` as
    <name>-<preset>.json/.log."""
    report = out / f"{name}-{preset}.json"
    args = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--no-enable-error-reporting",
    ]
    if preset == "desktop":
        args.append("--preset=desktop")
    if cookie:
        args.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    if skip:
        args.append(f"--skip-audits={','.join(skip)}")
    process = PROCESSES.start(
        args, env={**os.environ, "CHROME_PATH": CHROMIUM}, log=out / f"{name}-{preset}.log"
    )
    try:
        process.wait(timeout=180)
    except subprocess.TimeoutExpired:
        raise RuntimeError("no report after 180 s") from None
    finally:
        PROCESSES.stop(process)  # and its chromium, should it still be there
    if process.returncode != 0 or not report.exists():
        log = (out / f"{name}-{preset}.log").read_text(errors="replace")
        raise RuntimeError(f"lighthouse exited with {process.returncode}: {log[-2000:]}")
    return read_report(json.loads(report.read_text()))


def read_report(data: dict) -> dict:
    """Each category's score, the weighted audits that kept it below 100, and the audits
    the run skipped (Lighthouse leaves them out of its categories' scores)."""
    scores = {}
    failing = {}
    for category in CATEGORIES:
        entry = data["categories"][category]
        scores[category] = None if entry["score"] is None else round(entry["score"] * 100)
        failing[category] = [
            ref["id"]
            for ref in entry["auditRefs"]
            if ref.get("weight", 0) > 0
            and data["audits"][ref["id"]].get("score") is not None
            and data["audits"][ref["id"]]["score"] < 1
        ]
    return {
        "scores": scores,
        "failing": failing,
        "skipped": data.get("configSettings", {}).get("skipAudits") or [],
        "runtime_error": data.get("runtimeError"),
    }
