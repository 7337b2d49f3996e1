"""Who is asking: a request's client address, the key a per-address limit counts it under, and a
small in-memory rate limiter.

The address is the connection's own peer, unless that peer is a trusted proxy (config.yaml's
`trusted_proxies`, loopback by default, as uvicorn's `--forwarded-allow-ips`): then it is the
right-most X-Forwarded-For entry that is not itself a trusted proxy (entries may be ranges, such
as a cluster's pod network). Each proxy appends the address
it saw, so entries further left are whatever the client wrote and are never believed. No
Streamlit import: the app (the corrections form) and the web layer (link-preview images) share it.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

LOOPBACK = "127.0.0.1"


def _address(text: str) -> str | None:
    """`text` as a normalised IP address (brackets and an IPv4 port dropped), or None."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def networks(trusted: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Trusted proxies as networks: an address, or a range such as 10.0.0.0/8 (a cluster's pods)."""
    out = []
    for t in trusted:
        try:
            out.append(ipaddress.ip_network(t.strip().strip("[]"), strict=False))
        except ValueError:
            continue
    return out


def _trusted(address: str, nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip.version == n.version and ip in n for n in nets)


def client_address(peer: str | None, forwarded_for: Iterable[str], trusted: Iterable[str]) -> str:
    """The client's address: `peer` (the connection's; None or "" is loopback, as Streamlit's
    `st.context.ip_address` reports a local connection), or when `peer` is a trusted proxy
    (`trusted`: addresses or ranges) the right-most entry of the X-Forwarded-For header lines
    `forwarded_for` that is not a trusted proxy. An entry that is not an address ends the walk
    (what was reached so far is kept)."""
    nets = networks(trusted)
    given = peer if isinstance(peer, str) and peer else LOOPBACK  # (a test harness may give a stand-in)
    address = _address(given) or given
    if not _trusted(address, nets):
        return address
    hops = [h for line in forwarded_for for h in line.split(",") if h.strip()]
    for hop in reversed(hops):
        found = _address(hop)
        if found is None:
            break
        address = found
        if not _trusted(found, nets):
            break
    return address


def limit_key(address: str) -> str:
    """What a per-address limit counts: the IPv4 address, or the /64 network of an IPv6 address
    (one subscriber's line usually gets a whole /64, so counting single IPv6 addresses would let
    one client pass as thousands)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class RateLimiter:
    """Token buckets per key: `burst` at once, refilled at `per_second`; at most `max_keys` keys are
    remembered (the least recently seen forgotten first, so memory stays bounded)."""

    def __init__(
        self, per_second: float, burst: int, max_keys: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_second, self.burst, self.max_keys, self.clock = per_second, burst, max_keys, clock
        self._lock = threading.Lock()
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)

    def allow(self, key: str) -> bool:
        """Whether `key` may go ahead now (and if so, one token is spent)."""
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.per_second)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return allowed
