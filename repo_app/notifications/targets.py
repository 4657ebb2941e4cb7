"""Where webhooks may go: public internet addresses only, unless an administrator allowed a
network (``PACTUM_WEBHOOK_ALLOWED_NETWORKS``).

Without this rule a webhook is a request forgery tool: an administrator's account (or a
stolen session) could make the server call its own loopback services, the cloud metadata
service at 169.254.169.254 or the office network, and read the outcome in the delivery log.

The host is resolved when the webhook is saved and again at every delivery, and the call
connects to the very address that was checked, so a DNS answer that changes in between
(DNS rebinding) cannot move the call inside. Redirects are not followed. Hosts written as odd
IPv4 numbers (``0x7f000001``, ``2130706433``, ``0177.0.0.1``), which resolvers accept as
addresses, are refused outright.
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_address
from typing import Any
from urllib.parse import urlsplit

from ..core.extensions import settings
from ..core.settings import parse_networks

IPAddress = IPv4Address | IPv6Address

#: Something a resolver would read as a number, not a name: digits, hex and dots only.
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+))*\.?$", re.IGNORECASE)


class TargetRefused(Exception):
    """The URL's host is not a public address (or cannot be resolved); the message says why,
    for the administrator who saves it, never for the delivery log."""


@dataclass(frozen=True)
class Target:
    """A checked webhook URL and the address the call must connect to."""

    url: str
    address: str


def check_target(url: str) -> Target:
    """Resolve the URL's host and check every address it resolves to."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host:
        raise TargetRefused("the address has no host")
    if _NUMERIC_HOST.match(host) and not _is_canonical_ip(host):
        raise TargetRefused(f"{host} is an unusual spelling of an IP address")
    addresses = _resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
    refused = [address for address in addresses if not is_allowed(address)]
    if refused:
        raise TargetRefused(f"{host} resolves to {refused[0]}, which is not a public address")
    return Target(url, str(addresses[0]))


def is_allowed(address: IPAddress) -> bool:
    """Public unicast, or inside a network the administrator allowed."""
    if any(address in network for network in parse_networks(settings().webhook_allowed_networks)):
        return True
    mapped = address.ipv4_mapped if isinstance(address, IPv6Address) else None
    if mapped is not None:
        return is_allowed(mapped)
    return address.is_global and not address.is_multicast


def _is_canonical_ip(host: str) -> bool:
    try:
        return str(ip_address(host)) == host
    except ValueError:
        return False


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise TargetRefused(f"{host} cannot be resolved ({error})") from None
    addresses = list(dict.fromkeys(ip_address(str(info[4][0]).split("%")[0]) for info in infos))
    if not addresses:
        raise TargetRefused(f"{host} cannot be resolved")
    return addresses


def open_pinned(request: urllib.request.Request, target: Target, timeout: float) -> Any:
    """Send ``request`` to ``target.address`` (TLS still checks the certificate against the
    host name), without proxies and without following redirects."""
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}),
        _NoRedirects(),
        _PinnedHTTPHandler(target.address),
        _PinnedHTTPSHandler(target.address),
    )
    return opener.open(request, timeout=timeout)


def _pinned(connection_class: type[http.client.HTTPConnection], address: str) -> Callable[..., Any]:
    def make(host: str, **options: Any) -> http.client.HTTPConnection:
        connection = connection_class(host, **options)

        def connect_to_checked_address(where: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
            return socket.create_connection((address, where[1]), *args, **kwargs)

        connection._create_connection = connect_to_checked_address  # type: ignore[attr-defined]
        return connection

    return make


class _PinnedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_pinned(http.client.HTTPConnection, self.address), req)


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, address: str) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(context=self.tls)
        self.address = address

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_pinned(http.client.HTTPSConnection, self.address), req, context=self.tls)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A 3xx answer is the receiver's answer: following it could lead anywhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None
