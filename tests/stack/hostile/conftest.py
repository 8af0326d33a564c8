"""The hostile cases' shared fixtures, and the rule every case is held to (`answers_untouched`).

Package-scoped fixtures are set up again whenever the run re-enters this package (tests
run in random order), so none of them may rely on what an earlier case left: the halfway
reader is checked before each use, and replaced if a case changed her answers.
"""

from pathlib import Path

import pytest

from ..conftest import StackClient
from ..editors import log_in
from .readers import CATALOGUE, Catalogue, Reader, new_reader
from .server_side import STORED_ANSWERS, LogReader, ServerShell


@pytest.fixture(scope="package")
def shell(stack):
    server_shell = ServerShell(stack.env)
    yield server_shell
    server_shell.close()


@pytest.fixture(scope="package")
def log_reader(stack):
    return LogReader(Path(stack.log_path))


@pytest.fixture(autouse=True)
def answers_untouched(request, shell, log_reader):
    """The rule of this package: no stored answer changes, no server error is logged."""
    if "reader" in request.fixturenames:
        request.getfixturevalue("reader")  # set up first: it gives answers itself
    log_reader.server_errors()  # start from here
    before = shell.query(STORED_ANSWERS)
    yield
    assert shell.query(STORED_ANSWERS) == before, "stored answers changed"
    assert log_reader.server_errors() == [], "gunicorn logged a server error"


@pytest.fixture(scope="package")
def catalogue(shell) -> Catalogue:
    return Catalogue(shell.query(CATALOGUE))


@pytest.fixture(scope="package")
def readers() -> dict:
    return {}


@pytest.fixture
def reader(stack, shell, catalogue, readers) -> Reader:
    """The halfway reader; a new one if a failed case changed the last one's answers."""
    if "current" not in readers or not readers["current"].is_untouched(shell):
        readers["current"] = new_reader(stack, shell, catalogue)
    return readers["current"]


@pytest.fixture(scope="package")
def editor(stack) -> StackClient:
    client = stack.client()
    response = log_in(client, "/admin/")
    assert response.status == 302 and response.header("Location") == "/admin/"
    return client
