"""The shipped nginx site (deploy/nginx/pushing-away.conf), run on this machine.

`make observatory`, `make bench` (bench/proxy.py) and tests/stack/test_proxy.py all put
gunicorn behind the very file a server installs. Of that file only the values marked
`# SITE:` change here: ports, the public name, the certificate, gunicorn's port, the
static, media, cache and log folders, all inside one private prefix folder. Each must
still be found word for word, so a change to the shipped file that these replacements
would silently miss fails loudly instead (SiteFileChanged).

nginx runs as `nginx -p PREFIX -c PREFIX/nginx.conf` in the foreground with a minimal
main configuration around the site file: never the system's nginx service.

Like bench/stackserver.py, it imports only the standard library: the bench and the
observatory run by path, the tests import it as `bench.siteproxy`.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE_FILE = ROOT / "deploy" / "nginx" / "pushing-away.conf"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


class SiteFileChanged(RuntimeError):
    """A value this module replaces is no longer in deploy/nginx/pushing-away.conf."""


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def make_certificate(folder: Path, hostname: str = "localhost") -> tuple[Path, Path]:
    """A self-signed certificate for `hostname`, valid two days: (certificate, key)."""
    config = folder / "openssl.cnf"
    config.write_text(
        "[req]\n"
        "distinguished_name = dn\n"
        "x509_extensions = ext\n"
        "prompt = no\n"
        "[dn]\n"
        f"CN = {hostname}\n"
        "[ext]\n"
        f"subjectAltName = DNS:{hostname}\n"
        "basicConstraints = critical, CA:TRUE\n"
        "keyUsage = critical, digitalSignature, keyCertSign\n"
        "extendedKeyUsage = serverAuth\n"
    )
    cert, key = folder / f"{hostname}.crt", folder / f"{hostname}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
         "-config", str(config), "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@dataclass
class Site:
    """Where the shipped site file's deployment values point on this machine."""

    prefix: Path  # nginx's private folder: configuration, logs, cache, temp files
    gunicorn_port: int
    static_root: Path
    media_root: Path
    cert: Path
    key: Path
    http_port: int
    https_port: int
    server_name: str = "localhost"
    address: str = "127.0.0.1"
    # Extra `access_log` lines beside the site's own (the observatory proves with one that
    # the scanner reached this server); their formats go in `log_formats`.
    extra_access_logs: tuple[str, ...] = ()
    log_formats: tuple[str, ...] = ()
    workers: int = 1

    @property
    def access_log(self) -> Path:
        return self.prefix / "access.log"

    @property
    def error_log(self) -> Path:
        return self.prefix / "error.log"


def replace_exactly(text: str, old: str, new: str) -> str:
    if old not in text:
        raise SiteFileChanged(f"{SITE_FILE.relative_to(ROOT)} no longer contains {old!r}")
    return text.replace(old, new)


def site_config(site: Site) -> str:
    """The shipped site file with this machine's values in place of the `# SITE:` ones."""
    text = SITE_FILE.read_text()
    access_log = f"access_log {site.access_log} pushing_away;"
    for extra in site.extra_access_logs:
        access_log += f" {extra};"
    for old, new in [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{site.gunicorn_port};"),
        ("/var/cache/nginx/pushing-away", str(site.prefix / "cache")),
        ("listen 80; ", f"listen {site.address}:{site.http_port}; "),
        ("listen 443 ssl http2; ", f"listen {site.address}:{site.https_port} ssl http2; "),
        # Loopback only here, over IPv4: the test's clients and the scanner use 127.0.0.1.
        ("listen [::]:80; ", "# (no IPv6 here) "),
        ("listen [::]:443 ssl http2; ", "# (no IPv6 here) "),
        ("server_name example.org;", f"server_name {site.server_name};"),
        ("/etc/letsencrypt/live/example.org/fullchain.pem", str(site.cert)),
        ("/etc/letsencrypt/live/example.org/privkey.pem", str(site.key)),
        ("access_log /var/log/nginx/pushing-away.access.log pushing_away;", access_log),
        ("/var/log/nginx/pushing-away.error.log", str(site.error_log)),
        ("/var/www/letsencrypt", str(site.prefix / "acme")),
        ("/srv/pushing-away/staticfiles/", f"{site.static_root}/"),
        ("/var/lib/pushing-away/media/", f"{site.media_root}/"),
    ]:
        text = replace_exactly(text, old, new)
    return text


def main_config(site: Site) -> str:
    """What Debian's /etc/nginx/nginx.conf gives the site file, in the private prefix."""
    prefix = site.prefix
    # Workers run as whoever starts nginx (as root nginx would switch them to `nobody`,
    # who cannot read a private temp folder nor write the cache in it).
    user = pwd.getpwuid(os.geteuid()).pw_name
    formats = "\n".join(f"    {line}" for line in site.log_formats)
    return f"""# Written by bench/siteproxy.py around deploy/nginx/pushing-away.conf.
load_module {BROTLI_MODULE};
user {user};
worker_processes {site.workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
daemon off;

events {{
    worker_connections 1024;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    server_tokens off;
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{formats}
    include {prefix}/pushing-away.conf;
}}
"""


def write_config(site: Site) -> list[str]:
    """The configuration in site.prefix; the command that runs nginx with it."""
    site.prefix.mkdir(parents=True, exist_ok=True)
    (site.prefix / "pushing-away.conf").write_text(site_config(site))
    (site.prefix / "nginx.conf").write_text(main_config(site))
    return [
        nginx_binary(), "-p", str(site.prefix), "-c", str(site.prefix / "nginx.conf"),
        "-e", str(site.error_log),
    ]  # fmt: skip


def missing_tools() -> list[str]:
    """Debian packages this needs that are not installed (`make nginx` installs them)."""
    missing = []
    if not Path(nginx_binary()).exists():
        missing.append("nginx")
    if not BROTLI_MODULE.exists():
        missing.append("libnginx-mod-http-brotli-static")
    if not shutil.which("openssl"):
        missing.append("openssl")
    return missing
