"""Exit 0 when the PostgreSQL and Redis servers named by the given URLs accept connections.

Used by `make test` to decide whether the scale-out run can happen.
"""

import socket
import sys
from urllib.parse import urlsplit


def answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=2):
            return True
    except OSError as error:
        print(f"{parts.scheme}://{parts.hostname}:{parts.port} does not answer: {error}")
        return False


if __name__ == "__main__":
    # Ask every server (not just until the first silent one) so the log names them all.
    silent = [url for url in sys.argv[1:] if not answers(url)]
    sys.exit(1 if silent else 0)
