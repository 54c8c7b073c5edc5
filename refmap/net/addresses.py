"""Where a request may go: resolving a host within the deadline, and the private ranges.

A map is often someone else's (a pull request, a shared folder), and `verify` prints what a page
says. Loopback, link-local and private addresses are therefore refused unless the user allows
them, and the check is made on the addresses a connection actually uses (after resolution, on
every redirect), so a public name that resolves to 127.0.0.1 is refused too.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from typing import NamedTuple

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Resolved(NamedTuple):
    """The addresses a host name gives, split by whether refmap may connect to them."""

    allowed: list[tuple[int, str]]
    """(address family, address) pairs to connect to, in resolver order."""
    refused: list[str]
    """Private, loopback, link-local or otherwise non-public addresses left out."""


def is_public(address: Address) -> bool:
    """Whether an address is on the public internet: not loopback, link-local, private,
    shared (CGNAT), reserved, documentation, unspecified or multicast."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:  # ::ffff:127.0.0.1 is 127.0.0.1
        address = mapped
    return address.is_global and not address.is_multicast


def literal_address(host: str) -> Address | None:
    """The address a host names literally (127.0.0.1, ::1), or None for a name."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def resolve(host: str, port: int, seconds: float, allow_private: bool) -> Resolved:
    """The host's addresses, resolved within `seconds` (TimeoutError past them; socket.gaierror
    when the name is unknown)."""
    literal = literal_address(host)
    if literal is not None:
        family = socket.AF_INET6 if literal.version == 6 else socket.AF_INET
        infos = [(family, host)]
    else:
        infos = [(family, str(sockaddr[0])) for family, *_, sockaddr
                 in _getaddrinfo_within(host, port, seconds)]
    allowed: list[tuple[int, str]] = []
    refused: list[str] = []
    for family, address in dict.fromkeys(infos):
        parsed = literal_address(address)
        if allow_private or (parsed is not None and is_public(parsed)):
            allowed.append((family, address))
        else:
            refused.append(address)
    return Resolved(allowed, refused)


def _getaddrinfo_within(host: str, port: int, seconds: float) -> list[tuple]:  # type: ignore[type-arg]
    """socket.getaddrinfo, which takes no timeout, on a daemon thread waited for `seconds`."""
    outcome: list[object] = []
    done = threading.Event()

    def work() -> None:
        try:
            outcome.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as error:
            outcome.append(error)
        finally:
            done.set()

    threading.Thread(target=work, name="refmap-resolve", daemon=True).start()
    if not done.wait(seconds):
        raise TimeoutError(f"resolving {host!r} took longer than {seconds:g} s")
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result  # type: ignore[return-value]
