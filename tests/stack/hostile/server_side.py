"""What the server stored and logged, read while the hostile cases run."""

import json
import subprocess
import sys
from pathlib import Path

from bench.stackserver import ROOT

SHELL_LOOP = r"""
import json, sys
import django
django.setup()
from django.db import connections
for line in sys.stdin:
    scope = {}
    try:
        exec(json.loads(line), scope)
        answer = {"result": scope.get("result")}
    except Exception as error:
        answer = {"error": repr(error)}
    finally:
        connections.close_all()
    print("SHELL-RESULT " + json.dumps(answer, default=str), flush=True)
"""


class ServerShell:
    """`stack.query` in one long-lived process: Python run in the server's settings.

    stack.query starts `manage.py shell` for each call (about a second); the snapshots
    taken around every case here would cost minutes that way.
    """

    def __init__(self, env: dict):
        self.process = subprocess.Popen(
            [sys.executable, "-c", SHELL_LOOP],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def query(self, code: str):
        self.process.stdin.write(json.dumps(code) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith("SHELL-RESULT "):
                answer = json.loads(line.removeprefix("SHELL-RESULT "))
                assert "error" not in answer, answer["error"]
                return answer["result"]
        raise RuntimeError("the server shell ended")

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


# Every run, its revision and completion, every answer and every chosen choice.
STORED_ANSWERS = """
from quiz.models import Answer, QuizSession
result = [
    list(QuizSession.objects.values_list("pk", "token", "revision", "completed_at").order_by("pk")),
    list(Answer.objects.values_list("pk", "session", "question", "answered_at").order_by("pk")),
    sorted(Answer.choices.through.objects.values_list("answer_id", "choice_id")),
]
"""


class LogReader:
    """What gunicorn wrote since the last look: its own errors, and Django's 5xx records."""

    def __init__(self, path: Path):
        self.path = path
        self.offset = path.stat().st_size

    def server_errors(self) -> list[str]:
        with self.path.open("rb") as log:
            log.seek(self.offset)
            data = log.read()
        complete = data[: data.rfind(b"\n") + 1]  # a line still being written waits
        self.offset += len(complete)
        text = complete.decode("utf-8", errors="replace")
        errors = []
        for line in text.splitlines():
            if "] [ERROR] " in line:  # gunicorn: an exception escaped the application
                errors.append(line)
            elif line.startswith("{"):
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if int(record.get("status_code") or 0) >= 500:
                    errors.append(record.get("message", line))
        return errors
