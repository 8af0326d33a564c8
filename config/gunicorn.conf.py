"""gunicorn settings: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be overridden from the environment (HOST, PORT, WEB_CONCURRENCY,
WEB_THREADS) or on the command line.
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Pages are rendered from cached fragments and SQLite reads; the work is CPU-bound, so one
# process per core plus one to cover the moments a worker waits on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1))
# Threads, so that a client that sends slowly (a phone on a bad line, or a client that never
# finishes its body) holds one thread, not a whole worker. Twelve a worker: even if ten such
# connections land on one worker, it goes on answering. config/wsgi.py reads every body
# before Django sees it and gives up on one that stalls for BODY_STALL_SECONDS.
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", 12))
# Connections a worker holds at once: its threads' worth of requests, and as many again
# kept alive between requests. A gthread worker keeps every connection it accepts, and one
# that accepts a burst keeps it while another worker sits idle: in one `make bench` run most
# of wrk's 64 connections sat on one worker and the machine used one core of two (the
# article list at 11% of the ceiling; 30-40% in other runs). A spike through nginx's
# upstream pool is such a burst. Past this cap a new connection waits in the listen queue
# for whichever worker has room. In production nginx (deploy/) holds slow clients, so the
# connections gunicorn sees are few and quick.
worker_connections = 2 * threads
timeout = 30
graceful_timeout = 10
# Load the app once in the master so workers share its memory pages copy-on-write.
preload_app = True
# Recycle workers now and then so a slow leak can never take the site down. Now and then:
# with public pages answered from the page cache a machine serves thousands of requests a
# second, and at 5,000 each worker was replaced every few seconds under load, each new one
# starting with an empty page cache (`make bench`: the article 0.90 ms of CPU a request
# against 0.67 ms without recycling). At 100,000, minutes apart at the busiest.
max_requests = 100_000
max_requests_jitter = 10_000
# Logs to stdout, one JSON object a line like the site's own (the formatting is set up in
# config/settings.py LOGGING, which the preloaded app applies to gunicorn's loggers too).
# The access line leaves out the path and query (result pages carry their token in the
# path) and the client address.
accesslog = "-"
logger_class = "config.logging.AccessLogger"  # the same line, its fields computed alone
errorlog = "-"
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "method": "%(m)s", '
    '"status": "%(s)s", "bytes": "%(B)s", "duration_ms": "%(M)s"}'
)
# Forwarded headers are trusted only from the local proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn 27 opens a control socket at one default path shared by every instance on the
# machine; tests, benchmarks and `make run` may run side by side, so none is opened.
control_socket_disable = True
