"""Keep private data out of the logs."""

import ipaddress
import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

RESULT_TOKEN = re.compile(r"(/results/)[A-Za-z0-9_-]{16,}")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
# Anything that could be an IPv6 address (hex digits and colons); checked before replacing.
IPV6_CANDIDATE = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")


def _ipv6_or_text(match: re.Match) -> str:
    try:
        ipaddress.IPv6Address(match.group(0))
    except ValueError:
        return match.group(0)
    return "[ip]"


def redact(text: str) -> str:
    text = RESULT_TOKEN.sub(r"\1[token]", text)
    text = IPV4.sub("[ip]", text)
    return IPV6_CANDIDATE.sub(_ipv6_or_text, text)


class RedactPrivateData(logging.Filter):
    """Result tokens and IP addresses out of every message; no request objects attached."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = redact(message), ()
        # Django attaches the request to error records; its repr names the path.
        for attribute in ("request", "server_time"):
            if hasattr(record, attribute):
                delattr(record, attribute)
        if record.exc_info and record.exc_text is None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
            # Formatters would format the traceback again from exc_info, unredacted
            # (a refused Host header, say): they fall back on exc_text without it.
            record.exc_info = None
        return True


class AccessLogger(GunicornLogger):
    """gunicorn's logger, computing only the access line's own fields (config/gunicorn.conf.py
    access_log_format): gunicorn's builds, for every request, a field for each request
    header, response header and WSGI environ variable, tens of microseconds of a cached
    page's whole cost, for a line that uses five of them."""

    def atoms(self, resp, req, environ, request_time):
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        return {
            "t": self.now(),
            "m": environ.get("REQUEST_METHOD"),
            "s": status,
            "B": getattr(resp, "sent", None),
            "M": request_time.seconds * 1000 + request_time.microseconds // 1000,
        }
