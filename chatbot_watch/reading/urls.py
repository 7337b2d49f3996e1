"""Links as a browser reads them (the WHATWG URL standard), so the host shown is the host visited.

Python's `urlsplit` and a browser disagree on hostile spellings: a browser reads `\\` as `/`
(`https://evil.example\\www.reuters.com/` visits evil.example), decodes `%2e` and maps fullwidth
letters and `。` in a host, reads `0x7f.1` as the IPv4 address 127.0.0.1, and shows
`www.gооgle.com` (Cyrillic о) though it visits `www.xn--ggle-55da.com`. So a source link must be
written the one way every reader agrees on: lowercase `http://` or `https://`, a host name in its
canonical form (lowercase, UTS 46), no user name, no IP address, no backslash, no space.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import idna

SCHEMES = ("https://", "http://")
# A plain lowercase ASCII host with a dot and nothing odd after it: passes every check below
# (the fast path for the thousands of ordinary links in the data).
_PLAIN = re.compile(
    r"^https?://(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z](?:[a-z0-9-]*[a-z0-9])?(?:[/?#][!-\[\]-~]*)?\Z"
)
# The authority ends at the first of these (a browser also ends it at "\", refused here anyway).
_AUTHORITY_END = re.compile(r"[/?#]")
# WHATWG "ends in a number": the last label is decimal, or 0x-hex, so the host is read as IPv4.
_NUMERIC_LABEL = re.compile(r"^(?:[0-9]+|0[xX][0-9a-fA-F]*)\Z")
_PORT = re.compile(r"^[0-9]{1,5}\Z")


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a link on the page (a message), or None when every browser reads it as written."""
    if _PLAIN.match(url):
        return None
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url):
        return "URL must not contain spaces, line breaks or invisible characters"
    if "\\" in url:
        return "URL must not contain a backslash (a browser reads it as '/', and visits another host)"
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        written = url.split(":", 1)[0] if ":" in url else "none"
        return f"link scheme '{written}' is not allowed; only http:// and https:// links"
    if scheme not in ("http", "https"):
        return "write the scheme in lowercase (http:// or https://)"
    authority = _AUTHORITY_END.split(rest, maxsplit=1)[0]
    if "@" in authority:
        return "URL must not contain a user name or password (before '@')"
    if authority.startswith("["):
        return "URL host must be a name, not an IP address"
    host, colon, port = authority.rpartition(":") if ":" in authority else (authority, "", "")
    if colon and not (_PORT.match(port) and 0 < int(port) < 65536):
        return f"URL has an invalid port '{port}'"
    if "%" in host:
        return "URL host must not be percent-encoded"
    labels = host.split(".")
    if len(labels) < 2 or "" in labels:
        return "URL has no valid host (a name with a dot, no empty part)"
    if _NUMERIC_LABEL.match(labels[-1]):
        return "URL host must be a name, not an IP address or a number"
    ascii_host = browser_host(host)
    if ascii_host is None:
        return f"URL host '{host}' is not a valid host name"
    canonical = _unicode_host(ascii_host)
    if host not in (canonical, ascii_host):
        return f"write the host as a browser reads it: '{canonical}'"
    return None


@lru_cache(maxsize=4096)
def browser_host(host: str) -> str | None:
    """The ASCII host a browser resolves for `host` (UTS 46, as WHATWG does), or None if invalid."""
    try:
        return idna.encode(host, uts46=True, transitional=False, std3_rules=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def _unicode_host(ascii_host: str) -> str:
    try:
        return idna.decode(ascii_host)
    except (idna.IDNAError, UnicodeError, ValueError):
        return ascii_host


def _script(ch: str) -> str | None:
    """The script of a letter, from its Unicode name (LATIN, CYRILLIC, GREEK...); None for others."""
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def mixed_script(host: str) -> bool:
    """True when one label of `host` mixes letters of several scripts (a look-alike host such as
    `gооgle` with Cyrillic о), the case browsers show in punycode."""
    return any(len({s for s in map(_script, label) if s}) > 1 for label in host.split("."))


@lru_cache(maxsize=4096)
def shown_url(url: str) -> str:
    """`url` with its host as the browser will show and resolve it: a host that mixes scripts is
    written in its ASCII (punycode) form, so the link text names the site actually visited.
    Other URLs come back unchanged."""
    if not url.startswith(SCHEMES) or url.isascii():
        return url
    scheme, _, rest = url.partition("://")
    authority = _AUTHORITY_END.split(rest, maxsplit=1)[0]
    host = authority.rsplit(":", 1)[0] if ":" in authority else authority
    if not mixed_script(host):
        return url
    ascii_host = browser_host(host)
    if ascii_host is None:
        return url
    return f"{scheme}://{ascii_host}{rest[len(host) :]}"
