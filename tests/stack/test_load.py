"""A crowd at once: 100 readers take the questionnaire concurrently on three workers.

Each simulated reader is a thread with its own cookies. It starts, answers every question
it is shown with random (seeded) choices, confirms the review and opens its result, and
remembers what it sent. Afterwards the server's database must hold exactly those answers
for exactly that reader, and each result page must show what the scoring rules give for
those answers: 0 errors, 0 lost answers, 0 mixed-up answers.
"""

import random
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from quiz.scoring import score
from quiz.snapshot import build_rules

from ..quiz_helpers import REVIEW, START
from .conftest import STACK_WORKERS

VISITORS = 100
QUESTION_PATH = re.compile(r"^/questionnaire/[\w-]+/question/(\d+)/$")
REVISION = re.compile(r'name="revision" value="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHOICE = re.compile(r'<input type="(radio|checkbox)" name="choice" value="(\d+)"')
RESULT_ITEM = re.compile(r'<article class="result-item[^"]*" id="result-([a-z0-9-]+)"')
VERDICT = re.compile(r"<h1>([^<]+)</h1>")


class Visitor:
    def __init__(self, stack, number: int):
        self.client = stack.client()
        self.random = random.Random(number)
        self.sent: dict[int, list[int]] = {}
        self.errors: list[str] = []
        self.token: str | None = None
        self.result_html = ""

    def expect(self, response, status: int, what: str):
        if response.status != status:
            self.errors.append(f"{what}: {response.status}")
            raise RuntimeError(what)
        return response

    def take_the_questionnaire(self, start_together: threading.Barrier):
        start_page = self.expect(self.client.get(START), 200, "start page")
        # A newcomer's start page carries no form token: she starts as every browser does.
        assert CSRF.search(start_page.text) is None
        start_together.wait(timeout=60)
        response = self.expect(self.client.post(START), 302, "start")
        location = response.header("Location")
        while match := QUESTION_PATH.match(location):
            question_id = int(match.group(1))
            page = self.expect(self.client.get(location), 200, f"question {question_id}")
            options = CHOICE.findall(page.text)
            ids = [int(value) for _kind, value in options]
            if options[0][0] == "checkbox":
                chosen = sorted(self.random.sample(ids, self.random.randint(1, len(ids))))
            else:
                chosen = [self.random.choice(ids)]
            response = self.expect(
                self.client.post(
                    location,
                    {
                        "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
                        "revision": REVISION.search(page.text).group(1),
                        "choice": [str(c) for c in chosen],
                    },
                ),
                302,
                f"answer {question_id}",
            )
            self.sent[question_id] = chosen
            location = response.header("Location")
        if location != REVIEW:
            self.errors.append(f"expected the review, went to {location}")
            return
        review = self.expect(self.client.get(location), 200, "review")
        response = self.expect(
            self.client.post(location, {"csrfmiddlewaretoken": CSRF.search(review.text).group(1)}),
            302,
            "confirm",
        )
        result_path = response.header("Location")
        self.token = result_path.split("/")[2]
        self.result_html = self.expect(self.client.get(result_path), 200, "result").text


def run_visitor(visitor: Visitor, barrier: threading.Barrier) -> Visitor:
    try:
        visitor.take_the_questionnaire(barrier)
    except Exception as error:  # noqa: BLE001 - every failure is counted, none hidden
        if not visitor.errors:
            visitor.errors.append(repr(error))
    return visitor


STORED_ANSWERS = """
from quiz.models import QuizSession
result = {
    s.token: {
        str(a.question_id): sorted(a.choices.values_list("pk", flat=True))
        for a in s.answers.all()
    }
    for s in QuizSession.objects.filter(completed_at__isnull=False).prefetch_related("answers")
}
"""

# The statistics' daily counts beside the rows they count: concurrent upserts lose nothing.
# Compared as what the crowd added, not as totals: the server is shared with other tests,
# and a session deleted the way retention or an editor deletes one keeps its counts (see
# quiz/daily_counts.py), so the totals need not agree before the crowd arrives.
COUNTED_BOTH_WAYS = """
from django.db.models import Sum
from quiz.models import Answer, DailyCount, QuizSession
counted = dict(DailyCount.objects.order_by().values_list("kind").annotate(n=Sum("count")))
kinds = ("started", "answered", "chose", "saw_result")
result = {
    "daily counts": [counted.get(kind, 0) for kind in kinds],
    "rows": [
        QuizSession.objects.count(),
        Answer.objects.count(),
        Answer.choices.through.objects.count(),
        QuizSession.objects.filter(completed_at__isnull=False).count(),
    ],
}
"""


@pytest.mark.django_db
def test_a_hundred_concurrent_readers_lose_and_mix_nothing(stack, questionnaire):
    counted_before = stack.query(COUNTED_BOTH_WAYS)
    visitors = [Visitor(stack, n) for n in range(VISITORS)]
    barrier = threading.Barrier(VISITORS)
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=VISITORS) as pool:
        finished = list(pool.map(lambda v: run_visitor(v, barrier), visitors))
    seconds = time.monotonic() - began

    errors = [error for v in finished for error in v.errors]
    stored = stack.query(STORED_ANSWERS)
    lost = [v.token for v in finished if v.token and v.token not in stored]
    mixed = [
        v.token
        for v in finished
        if v.token in stored and stored[v.token] != {str(q): sorted(c) for q, c in v.sent.items()}
    ]

    rules = build_rules(questionnaire)
    wrong_results = []
    for visitor in finished:
        if not visitor.token:
            continue
        expected = score(rules, visitor.sent)
        shown = RESULT_ITEM.findall(visitor.result_html)
        expected_items = [s.slug for s in (*expected.reasons, *expected.ways, *expected.signs)]
        verdict = VERDICT.search(visitor.result_html).group(1)
        if shown != expected_items or verdict != expected.verdict.title:
            wrong_results.append(visitor.token)

    requests = sum(2 * len(v.sent) + 5 for v in finished)
    print(
        f"\nload: {VISITORS} visitors, {STACK_WORKERS} workers, {requests} requests in "
        f"{seconds:.1f} s: {len(errors)} errors, {len(lost)} lost, {len(mixed)} mixed, "
        f"{len(wrong_results)} wrong results"
    )
    assert errors == []
    assert all(v.token for v in finished)
    assert len({v.token for v in finished}) == VISITORS
    assert (lost, mixed, wrong_results) == ([], [], [])
    counted = stack.query(COUNTED_BOTH_WAYS)
    added = {
        way: [after - before for before, after in zip(counted_before[way], figures, strict=True)]
        for way, figures in counted.items()
    }
    assert added["daily counts"] == added["rows"]
    assert added["rows"][0] == added["rows"][3] == VISITORS  # started, completed
    # Different readers really did answer differently.
    assert len({str(sorted(v.sent.items())) for v in finished}) > VISITORS // 2
