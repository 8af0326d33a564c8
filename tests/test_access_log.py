"""gunicorn's access line: the site's own logger writes the very line gunicorn's would
(config/logging.py AccessLogger), computing only the fields the line uses."""

import datetime
import runpy
import types
from pathlib import Path

from gunicorn.config import Config
from gunicorn.glogging import Logger

from config.logging import AccessLogger

CONF = runpy.run_path(str(Path(__file__).parent.parent / "config" / "gunicorn.conf.py"))


def line(logger_class, status="200 OK"):
    config = Config()
    config.set("accesslog", None)
    logger = logger_class(config)
    logger.now = lambda: "[03/Dec/2026:16:00:00 +0000]"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/results/a-token-that-must-not-show/",
        "PATH_INFO": "/results/a-token-that-must-not-show/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    response = types.SimpleNamespace(status=status, sent=51234, headers=[("ETag", '"x"')])
    request = types.SimpleNamespace(headers=[("HOST", "example.org")])
    took = datetime.timedelta(seconds=1, microseconds=2345)
    atoms = logger.atoms_wrapper_class(logger.atoms(response, request, environ, took))
    return CONF["access_log_format"] % atoms


def test_gunicorn_uses_the_sites_access_logger():
    assert CONF["logger_class"] == "config.logging.AccessLogger"


def test_the_access_line_is_the_one_gunicorns_own_logger_writes():
    for status in ("200 OK", "304 Not Modified", 404):
        assert line(AccessLogger, status) == line(Logger, status)
    assert line(AccessLogger) == (
        '{"time": "[03/Dec/2026:16:00:00 +0000]", "logger": "gunicorn.access", '
        '"method": "GET", "status": "200", "bytes": "51234", "duration_ms": "1002"}'
    )
