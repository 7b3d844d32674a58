"""Where a webhook may be sent, and sending it there: http(s) only, never to this host or its networks.

A URL the service posts to on an organisation's behalf must not become a way into the operator's own
network (server-side request forgery): its host is resolved, and every address it resolves to must be a
public one. Loopback, private, shared (carrier-grade NAT), link-local, multicast, reserved and unspecified
ranges are refused, IPv4 and IPv6 alike, including IPv4 carried inside IPv6 (mapped, 6to4, Teredo, NAT64)
and the numeric spellings of IPv4 that resolvers accept (2130706433, 0x7f000001, 0177.0.0.1, 127.1).
The operator may allow them all (`BLINDMATCH_WEBHOOKS_ALLOW_PRIVATE=true`: a receiver on the same host).

The check runs when a webhook is registered and again before every attempt (a name may resolve elsewhere
by then), and the attempt connects to the very address that was checked (the name is not resolved a second
time by the HTTP client, which would let a rebinding name slip past the check). Redirects are not followed.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

import httpx

from matching.errors import InvalidInput

SCHEMES = ("http", "https")
URL_MAX = 2048
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# The special-purpose ranges (IANA's registries), written out: `is_global` alone changed between patch
# releases of Python (192.0.0.0/24 among others), and what is refused must not depend on the interpreter.
_SPECIAL = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
        "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        # ::/96 holds ::1 and ::, and the deprecated IPv4-compatible form (::127.0.0.1); ::ffff:0:0:0/96 is
        # SIIT's IPv4-translated form (::ffff:0:127.0.0.1). Neither is a receiver on the public internet,
        # and a translator on the path would carry either to the IPv4 address inside.
        "::/96", "::ffff:0:0:0/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "fc00::/7", "fe80::/10",
        "fec0::/10", "ff00::/8",
    )
)
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UrlRefused(Exception):
    """The URL is not one the service posts to; the message says why, without repeating the URL."""


def address_refused(address: IPAddress) -> bool:
    """Whether an address is outside the public internet (see the module's docstring)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = [address.ipv4_mapped, address.sixtofour, address.teredo[1] if address.teredo else None]
        if address in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if any(inner is not None and address_refused(inner) for inner in embedded):
            return True
    special = any(address in network for network in _SPECIAL if network.version == address.version)
    return special or address.is_multicast or not address.is_global


def _numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a numeric host spells in any form inet_aton reads (decimal, hex, octal, short)."""
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


@dataclass(frozen=True, slots=True)
class Target:
    url: httpx.URL
    addresses: tuple[IPAddress, ...]  # to connect to, in the resolver's order


def parse(url: str) -> httpx.URL:
    """The URL, if it is an absolute http(s) URL with a host and no user name or password."""
    if len(url) > URL_MAX:
        raise UrlRefused(f"The URL is longer than {URL_MAX} characters.")
    try:
        parsed = httpx.URL(url)
        # `.host` decodes an xn-- label, which fails on punycode naming no valid name (UnicodeError).
        host = parsed.host
    except (httpx.InvalidURL, ValueError, TypeError):
        raise UrlRefused("This is not a URL the service can read: send an absolute https:// URL.") from None
    if parsed.scheme not in SCHEMES:
        raise UrlRefused("Webhooks are sent over http or https only: send an https:// URL.")
    if not host:
        raise UrlRefused("The URL names no host: send an absolute https:// URL.")
    if parsed.userinfo:
        raise UrlRefused("Put no user name or password in the URL: the signature proves who sends.")
    return parsed


def resolve(url: httpx.URL, *, allow_private: bool) -> Target:
    """The URL with the addresses it may be sent to; UrlRefused when it resolves to none, or to any refused one."""
    host = url.host
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = _numeric_ipv4(host)
    if literal is not None:
        found: list[IPAddress] = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise UrlRefused("The URL's host name does not resolve: check it, or try again later.") from None
        # An IPv6 answer may carry a zone ("fe80::1%eth0"): the address is what counts.
        found = list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos))
    if not found:
        raise UrlRefused("The URL's host name does not resolve: check it, or try again later.")
    if not allow_private and any(address_refused(address) for address in found):
        # Every address: a name answering one public and one private address would reach the private one
        # on some attempts.
        raise UrlRefused(
            "The URL points to a loopback, private, link-local or reserved address; webhooks go to public "
            "addresses (an operator can allow private ones with BLINDMATCH_WEBHOOKS_ALLOW_PRIVATE=true)."
        )
    return Target(url=url, addresses=tuple(found))


def check_url(url: str, *, allow_private: bool) -> str:
    """A URL to register, or InvalidInput on `url` saying why not. With private addresses allowed, the host
    need not resolve yet (a receiver started later on this host); otherwise it is resolved and checked."""
    try:
        parsed = parse(url)
        if not allow_private:
            resolve(parsed, allow_private=False)
    except UrlRefused as refused:
        raise InvalidInput(str(refused), code="url_not_allowed", field="url") from None
    return str(parsed)


def post(target: Target, *, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST the body to the checked address (the next one when one refuses the connection); the status code.

    The name stays in the Host header and, over https, in the TLS server name, so certificates are checked
    against it as usual.
    """
    url = target.url
    headers = {**headers, "Host": url.netloc.decode("ascii"), "Content-Type": "application/json"}
    extensions = {}
    if url.scheme == "https" and _is_name(url.host):
        extensions["sni_hostname"] = url.host
    last_error: Exception | None = None
    # trust_env off: a proxy from the environment would resolve the name itself, past the check.
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for address in target.addresses:
            try:
                # Streamed and closed unread: the status is all that counts, and a receiver's body could be huge.
                with client.stream("POST", url.copy_with(host=str(address)), content=body, headers=headers,
                                   extensions=extensions) as response:
                    return response.status_code
            except httpx.ConnectError as error:
                last_error = error
    assert last_error is not None
    raise last_error


def _is_name(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return _numeric_ipv4(host) is None
    return False
