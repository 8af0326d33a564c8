"""Settings for the whole site, in one file.

Everything that differs between a laptop and production comes from the environment,
with defaults that are safe (DEBUG off, SQLite, local-memory cache). `.env.example`
lists every variable; README.md explains the production set-up.
"""

import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    """True only for an explicit "1"/"true"/"yes", so a typo never switches DEBUG on."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def local_secret_key(path: Path = BASE_DIR / ".secret_key") -> str:
    """A key generated once per checkout and kept in a git-ignored file.

    Sessions and CSRF tokens survive restarts on a developer's machine, and no key is
    ever committed. Production sets DJANGO_SECRET_KEY instead.
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


# Behind HTTPS (a TLS proxy that sets X-Forwarded-Proto): secure cookies, HSTS, redirects.
SECURE = env_flag("DJANGO_SECURE")
if SECURE and not os.environ.get("DJANGO_SECRET_KEY"):
    # A key generated per checkout would differ on each server behind a load balancer,
    # and every reader's session would break when her next request went to another one.
    raise ImproperlyConfigured(
        "DJANGO_SECURE=1 is a production set-up: set DJANGO_SECRET_KEY to 50 or more random "
        "characters, the same on every server, e.g. the output of "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret_key()
DEBUG = env_flag("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so `runserver` serves files the way whitenoise does in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",  # apnumber: "the five reasons", counted from the article
    "markdownx",
    "csp",
    "axes",
    # History of every content change (who, when, what) with revert, in admin.
    "simple_history",
    # django_ratelimit is used as a library only: its app's system check flags Django's
    # built-in Redis cache as "not officially supported" (it predates it), although that
    # backend increments atomically as the package needs.
    "advice",
    "quiz",
]

MIDDLEWARE = [
    # Outermost, so their headers reach every response: pages, errors, static files.
    "config.middleware.SecurityHeadersMiddleware",
    # django-csp's, with the site-wide policy built once (config/middleware.py).
    "config.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware: static files get security headers, but skip the
    # session and CSRF work below. https://whitenoise.readthedocs.io/en/stable/django.html
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The address alone chooses the language (never Accept-Language or a cookie). Before
    # everything that may render a page (the 400 below, CSRF's 403, CommonMiddleware's
    # redirects, which resolve addresses under the language prefix).
    "config.languages.LanguageFromAddressMiddleware",
    # Public pages kept whole: a kept page is answered here, before the session, CSRF and
    # every view's work (config/page_cache.py). After the language, which keys it.
    "config.page_cache.PageCacheMiddleware",
    # Before anything reads request.POST: a body Django cannot decode gets a 400 here
    # instead of an exception (a 500) in the CSRF check or a view.
    "config.middleware.RejectUndecodableBodiesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Lets django-simple-history record which editor made a change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers a questionnaire POST over its budget with RATELIMIT_VIEW (a 429 page).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# DATABASE_URL selects PostgreSQL (postgres://user@host:5432/name) when one machine is not
# enough; the default is an embedded SQLite file, no server to start.
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "db.sqlite3"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # With the database down, readers get the error page in seconds, not a hung worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 3
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Several gunicorn workers write answers at once. WAL lets readers carry on while
        # one process writes; IMMEDIATE takes the write lock when a transaction starts,
        # so two writers queue on the busy timeout instead of one failing half-way with
        # "database is locked" when it upgrades a read lock.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # SQLite connections are cheap and not shared between threads: no persistence.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    # Tests use a file too, not Django's shared in-memory database: the browser tests'
    # live server answers from several threads, each with its own connection, as in
    # production.
    # One file per test run, so two runs on one machine never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"pushing-away-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------------------
# REDIS_URL gives every app server one shared cache (rate limits, rendered fragments);
# without it each process keeps its own in local memory, which is right for one machine.
REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "pushing-away"),
            # Fail fast when Redis is down: /healthz says so, pages fall back to the
            # database instead of hanging.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole public pages (config/page_cache.py): in Redis with REDIS_URL, so one publish
# reaches every worker and machine at once; otherwise in each worker's memory.
CACHES["pages"] = (
    {**CACHES["default"], "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + "-pages"}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
)
# Rate limits must count across every worker: in Redis when there is one, otherwise in
# the database (config/cache.py).
CACHES["rate_limits"] = CACHES["default"] if REDIS_URL else {"BACKEND": "config.cache.CounterCache"}

# Sessions live in the database (shared by every worker and server); cached_db reads them
# from the cache first.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # a reader may come back to her answers for 30 days
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# --- Security ---------------------------------------------------------------------------
# Content-Security-Policy (django-csp 4): nothing runs or loads unless it comes from this
# site's own files. No inline script or style anywhere, admin and the Markdown editor
# included (its preview is a same-origin XMLHttpRequest, hence connect-src).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# No page here needs a camera, a location or any other powerful feature.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
        "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock",
        "usb", "xr-spatial-tracking",
    )
}  # fmt: skip
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# Admin logins (django-axes): after 5 failures for one username from one client, that
# pair waits 15 minutes. Attempts are kept in the database (shared by every server); the
# client is recorded as a keyed hash, never as its address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_CLIENT_IP_CALLABLE = "config.security.pseudonymous_client_ip"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False  # its log lines would carry IP addresses

# Questionnaire POSTs per client address (django-ratelimit, counted in the "rate_limits"
# cache: Redis with REDIS_URL, the database, shared by every worker, without it). Behind
# a proxy, name the header carrying the client address, e.g. RATELIMIT_IP_META_KEY=HTTP_X_REAL_IP.
QUIZ_POST_RATE = os.environ.get("QUIZ_POST_RATE", "60/m")
RATELIMIT_VIEW = "quiz.views.rate_limited"
RATELIMIT_USE_CACHE = "rate_limits"
if os.environ.get("RATELIMIT_IP_META_KEY"):
    RATELIMIT_IP_META_KEY = os.environ["RATELIMIT_IP_META_KEY"]

# Nobody needs to post more than a few kilobytes to this site except editors' Markdown.
DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
# Readers' forms post a handful of fields; the admin's questionnaire page posts one row of
# fields per question, verdict, rule and support line: 388 for the seed's questionnaire,
# 11 more with each helpline added. At 400 the third new helpline made that page a 400.
# Django's default, 1000, leaves room for many more.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


# --- Language and time ------------------------------------------------------------------
def site_languages(codes: list[str]) -> list[tuple[str, str]]:
    """(code, the language's name in itself) for each code Django knows. The switcher shows
    these names, so a reader finds her language whatever the page's language is."""
    unknown = [code for code in codes if code not in LANG_INFO]
    if unknown or not codes:
        raise ImproperlyConfigured(f"SITE_LANGUAGES: unknown or no language codes {unknown}")
    names = {code: LANG_INFO[code]["name_local"] for code in codes}
    return [(code, names[code][:1].upper() + names[code][1:]) for code in codes]


# The one list of languages readers can read the site in; the first is the default, at
# today's addresses, and each other lives under /<code>/. A third language needs only its
# code here (or in SITE_LANGUAGES), its translation catalog, and editors' translations:
# no migration, every language's copies share one JSON column per row
# (advice/translation.py; README, "Translations").
LANGUAGES = site_languages(env_list("SITE_LANGUAGES", "en,es"))
LANGUAGE_CODE = LANGUAGES[0][0]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
# The interface's catalogs (locale/<language>/LC_MESSAGES/django.po); README, "Languages".
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names let browsers keep CSS for a year; gzip and brotli copies are made once
    # at collectstatic instead of on every request.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# --- Site -------------------------------------------------------------------------------
# The address used in canonical links, Open Graph tags and the sitemap when the site sits
# behind a proxy that rewrites Host. Empty: take it from the request.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Pushing Away")
# Anonymous questionnaire sessions older than this are deleted by `delete_old_sessions`.
QUIZ_SESSION_RETENTION_DAYS = int(os.environ.get("QUIZ_SESSION_RETENTION_DAYS", 90))
# Where "Exit this page" leads: a neutral site that gives nothing away on a shared screen.
QUIZ_EXIT_URL = os.environ.get("QUIZ_EXIT_URL", "https://www.bbc.co.uk/weather")
# How long work done for unchanged content stays in the cache: the article's rendered
# Markdown, rendered result pages and the questionnaire's rules. Each is keyed by the
# version or change stamp of what it was made from, so a stale copy is never served; this
# only bounds how long an unused entry takes up memory.
CONTENT_CACHE_SECONDS = int(os.environ.get("CONTENT_CACHE_SECONDS", 60 * 60 * 24))
# Public pages (articles, their list, the sitemap, robots.txt) kept whole by each worker,
# or in Redis (config/page_cache.py): at most this many seconds, or until the next
# scheduled version goes live. 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 10))
# Without Redis, a publish tells every worker of the machine through this file (a new
# "generation" of pages); with Redis the generation lives there and this is unused.
PAGE_GENERATION_FILE = (
    None
    if REDIS_URL
    else (os.environ.get("PAGE_GENERATION_FILE") or f"{SQLITE_PATH}.page-generation")
)
# How long browsers' and proxies' shared caches may keep a public page (s-maxage): a
# publish reaches every reader within SHARED_CACHE_SECONDS (PAGE_CACHE_SECONDS more for
# workers on another machine when there is no Redis).
SHARED_CACHE_SECONDS = int(os.environ.get("SHARED_CACHE_SECONDS", 10))

# --- Review before publishing (advice/review.py) -----------------------------------------
# Off: only safety-critical changes (support resources, safety-critical answers, the safety
# text, verdicts, walk-away signs and their rules) need a second editor's approval before
# they are published. On: every change does.
REVIEW_ALL_CONTENT = env_flag("REVIEW_ALL_CONTENT")

# --- E-mail: editors waiting on a review are told -----------------------------------------
# Without EMAIL_HOST, mails are written to the console (the process's output) rather than
# sent, so nothing leaves a laptop by accident.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "editors@localhost")

# --- Markdown (django-markdownx) --------------------------------------------------------
# The editor's live preview goes through the same sanitiser as the public page.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "advice.markdown.render_markdown"
MARKDOWNX_MARKDOWN_EXTENSIONS = ["markdown.extensions.extra", "markdown.extensions.sane_lists"]
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/markdownx/upload/"
MARKDOWNX_MEDIA_PATH = "article-images/"
# Only raster images that Pillow recognises; every upload is decoded and re-encoded.
MARKDOWNX_UPLOAD_CONTENT_TYPES = ("image/png", "image/jpeg", "image/webp")
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
MARKDOWNX_SKIP_RESIZE = ()
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 1600), "quality": 85}

# --- Logging ----------------------------------------------------------------------------
# One JSON object a line on stdout, which gunicorn passes on and log shippers read as
# is. A filter strips what must never be logged: result tokens, IP addresses, and the
# request object Django attaches to error records (its repr carries the path).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "config.logging.RedactPrivateData"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        # gunicorn's access line is already a JSON object (config/gunicorn.conf.py).
        "as_is": {"format": "%(message)s"},
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact"]},
        "access": {"class": "logging.StreamHandler", "formatter": "as_is"},
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        # Request lines would carry result tokens in their paths; gunicorn logs access.
        "django.server": {"level": "WARNING"},
    },
}
