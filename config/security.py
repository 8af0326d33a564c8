"""Client addresses, kept only as pseudonyms."""

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address as the server sees it (behind a proxy: the configured header)."""
    header = getattr(settings, "RATELIMIT_IP_META_KEY", "REMOTE_ADDR")
    value = request.META.get(header) or request.META.get("REMOTE_ADDR", "")
    return value.split(",")[0].strip()


def pseudonymous_client_ip(request: HttpRequest) -> str:
    """A keyed hash of the client's address, written as an IPv6 address.

    django-axes records failed admin logins per address in a column typed for IP
    addresses. This value tells repeat attempts from one client apart (the same address
    always gives the same pseudonym) without storing the address itself.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256
    ).digest()
    # fd00::/8 is the unique-local range: never a real public address.
    return str(ipaddress.IPv6Address(b"\xfd" + digest[:15]))
