"""Who is asking (clients.py): the client address behind trusted proxies, the per-address limit
key, and the rate limiter's buckets."""

from __future__ import annotations

import pytest

from chatbot_watch.web.clients import RateLimiter, client_address, limit_key

LOOPBACK = ("127.0.0.1", "::1")


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("198.51.100.4", [], "198.51.100.4"),  # no proxy: the connection
        ("198.51.100.4", ["203.0.113.9"], "198.51.100.4"),  # an untrusted peer cannot name another client
        (None, [], "127.0.0.1"),  # Streamlit reports a local connection as None
        ("127.0.0.1", ["203.0.113.9"], "203.0.113.9"),  # nginx on loopback appended what it saw
        ("127.0.0.1", ["6.6.6.6, 203.0.113.9"], "203.0.113.9"),  # the client's own entry is not believed
        ("127.0.0.1", ["6.6.6.6", "203.0.113.9"], "203.0.113.9"),  # header lines count like commas
        ("::1", ["203.0.113.9, 127.0.0.1"], "203.0.113.9"),  # two proxies on loopback
        ("127.0.0.1", ["junk, 203.0.113.9"], "203.0.113.9"),
        ("127.0.0.1", ["203.0.113.9, junk"], "127.0.0.1"),  # a broken last hop: stay with the proxy
        ("127.0.0.1", ["[2001:db8::1]:443"], "2001:db8::1"),
    ],
)
def test_the_client_address_believes_only_trusted_proxies(peer, forwarded, expected) -> None:  # noqa: ANN001
    assert client_address(peer, forwarded, LOOPBACK) == expected


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
    ],
)
def test_an_ipv6_subscriber_is_one_limit_key(address: str, key: str) -> None:
    assert limit_key(address) == key


def test_the_rate_limiter_allows_a_burst_then_refills() -> None:
    now = [0.0]
    limiter = RateLimiter(per_second=0.5, burst=3, max_keys=2, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # another key has its own bucket
    now[0] = 2.0  # one token back after 2 s
    assert [limiter.allow("a"), limiter.allow("a")] == [True, False]
    limiter.allow("c")  # a third key: the least recently seen ("b") is forgotten, memory stays bounded
    assert len(limiter._buckets) == 2


def test_trusted_proxies_may_be_ranges() -> None:
    # Behind a cluster's ingress, the proxy's address is any of the pod network's.
    pods = ["10.0.0.0/8", "::1"]
    assert client_address("10.42.7.3", ["203.0.113.9"], pods) == "203.0.113.9"
    assert client_address("10.42.7.3", ["203.0.113.9, 10.42.0.1"], pods) == "203.0.113.9"
    assert client_address("198.51.100.4", ["203.0.113.9"], pods) == "198.51.100.4"
