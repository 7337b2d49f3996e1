"""A HAR capture -> the hosts an app talked to, attributed to known companies, as a draft for review.

HAR is what browser developer tools and mitmproxy export: JSON with `log.entries[]`, each with a
`request.url`, a `startedDateTime` and a `response`. The requests are grouped by host. Each host
is attributed through the companies' `domains` in the data folder: a host matches a listed domain
when it is that domain or a subdomain of it (`apmplus.ap-southeast-1.volces.com` is under
`volces.com`, listed by Volcano Engine), the longest listed match winning, and never above the
host's registrable domain (a public suffix such as `co.uk` never matches). The owner is found by
following the company's current parents (links without `until`) to the top.

The registrable domain comes from `tldextract` with its bundled Public Suffix List snapshot only:
`suffix_list_urls=()` and `cache_dir=None`, so it never fetches the list from the network nor
writes a cache; the answer depends only on the pinned package version.

The draft holds no request or response content: not headers, cookies, query strings or bodies
(a capture is full of tokens and personal data); only hosts, methods, counts, dates, response
MIME types and a few example paths without their query strings. It is not valid data on purpose
(placeholder ids, empty data types and sources) and belongs outside `data/`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tldextract
import yaml

from chatbot_watch.datamodel import schema
from chatbot_watch.reading.load import Dataset

MAX_HAR_BYTES = 512 * 1024 * 1024
# The first line of every draft: `--force` replaces only a file that starts with it.
DRAFT_HEADER = "# DRAFT for review: NOT a data file. Do not put it in data/ as it is."
EXAMPLE_PATHS = 3
MAX_PATH_CHARS = 100


def offline_extractor() -> tldextract.TLDExtract:
    """A tldextract instance that only reads the suffix list bundled with the package: no download
    (no suffix-list URLs), no cache file (no cache folder)."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


_EXTRACT = offline_extractor()


class HarError(Exception):
    """The file is not a readable HAR capture; the message says why in one line."""


@dataclass
class Host:
    """Everything the draft says about one host."""

    host: str
    registrable_domain: str | None
    requests: int = 0
    methods: Counter[str] = field(default_factory=Counter)
    paths: list[str] = field(default_factory=list)
    mime_types: Counter[str] = field(default_factory=Counter)
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    first_text: str | None = None
    last_text: str | None = None
    company: str | None = None
    matched_domain: str | None = None
    owner: str | None = None
    chain: tuple[str, ...] = ()
    note: str | None = None


@dataclass
class Capture:
    """A parsed HAR file: hosts in order of first request, and what was skipped."""

    hosts: dict[str, Host]
    entries: int
    skipped: int
    first_day: str | None


def registrable_domain(host: str) -> str | None:
    """`apmplus.ap-southeast-1.volces.com` -> `volces.com`; None for IP addresses and unknown suffixes."""
    ext = _EXTRACT(host)
    if not ext.suffix or not ext.domain:
        return None
    return f"{ext.domain}.{ext.suffix}".lower()


def _time(text: Any) -> dt.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        t = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def read_har(path: Path) -> Capture:
    """Parse a HAR file and group its http(s) requests by host. Raises HarError."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise HarError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    if size > MAX_HAR_BYTES:
        raise HarError(f"{path}: file is larger than {MAX_HAR_BYTES // 2**20} MiB")
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise HarError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise HarError(f"{path}: not a HAR file (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise HarError(f"{path}:{exc.lineno}: not a HAR file (invalid JSON: {exc.msg})") from None
    except RecursionError:
        raise HarError(f"{path}: not a HAR file (JSON nested too deeply)") from None
    log = doc.get("log") if isinstance(doc, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        raise HarError(f"{path}: not a HAR file (no log.entries list)")
    hosts: dict[str, Host] = {}
    skipped = 0
    for entry in entries:
        request = entry.get("request") if isinstance(entry, dict) else None
        url = request.get("url") if isinstance(request, dict) else None
        if not isinstance(url, str):
            skipped += 1
            continue
        try:
            parts = urlsplit(url)
            name = parts.hostname
        except ValueError:
            skipped += 1
            continue
        if parts.scheme not in ("http", "https", "ws", "wss") or not name:
            skipped += 1  # data:, blob:, chrome-extension: ... carry no host
            continue
        name = name.rstrip(".")
        h = hosts.get(name)
        if h is None:
            h = hosts[name] = Host(name, registrable_domain(name))
        h.requests += 1
        method = request.get("method")
        h.methods[method.upper() if isinstance(method, str) and method else "?"] += 1
        p = (parts.path or "/")[:MAX_PATH_CHARS]
        if p not in h.paths and len(h.paths) < EXAMPLE_PATHS:
            h.paths.append(p)
        response = entry.get("response")
        content = response.get("content") if isinstance(response, dict) else None
        mime = content.get("mimeType") if isinstance(content, dict) else None
        if isinstance(mime, str) and mime.strip():
            h.mime_types[mime.split(";")[0].strip().lower()] += 1
        started = entry.get("startedDateTime")
        t = _time(started)
        if t is not None:
            if h.first is None or t < h.first:
                h.first, h.first_text = t, started
            if h.last is None or t > h.last:
                h.last, h.last_text = t, started
    firsts = [h for h in hosts.values() if h.first is not None]
    first_day = None
    if firsts:
        earliest = min(firsts, key=lambda h: h.first)  # type: ignore[arg-type, return-value]
        first_day = earliest.first_text[:10] if earliest.first_text else None
    return Capture(hosts, len(entries), skipped, first_day)


# ---------------------------------------------------------------------------
# Attribution
# ---------------------------------------------------------------------------


def domain_index(ds: Dataset) -> dict[str, list[str]]:
    """Listed domain -> the ids of the companies that list it."""
    index: dict[str, list[str]] = {}
    for rec in ds.records.get(schema.COMPANIES.name, []):
        for d in rec.values.get("domains") or []:
            if isinstance(d, str):
                index.setdefault(d.lower(), []).append(rec.id)
    return index


def ownership_chain(ds: Dataset, company: str) -> tuple[str, ...]:
    """The company and its current parents up to the top (stops on loops and unknown ids)."""
    companies = ds.by_id(schema.COMPANIES.name)
    chain = [company]
    while True:
        rec = companies.get(chain[-1])
        parents = rec.values.get("parents") if rec else None
        nxt = next(
            (p.get("company") for p in parents or [] if isinstance(p, dict) and p.get("until") is None),
            None,
        )
        if not isinstance(nxt, str) or nxt in chain or nxt not in companies:
            return tuple(chain)
        chain.append(nxt)


def attribute(capture: Capture, ds: Dataset) -> None:
    """Fill in each host's company, matched domain, owner and chain where a listed domain covers it."""
    index = domain_index(ds)
    for h in capture.hosts.values():
        if h.registrable_domain is None:
            continue
        labels = h.host.split(".")
        floor = len(h.registrable_domain.split("."))
        for n in range(len(labels), floor - 1, -1):  # longest candidate first, down to the registrable domain
            candidate = ".".join(labels[-n:])
            owners = index.get(candidate)
            if not owners:
                continue
            if len(owners) > 1:
                h.note = f"{candidate} is listed by several companies: {', '.join(owners)}"
                break
            h.company, h.matched_domain = owners[0], candidate
            h.chain = ownership_chain(ds, owners[0])
            h.owner = h.chain[-1]
            break


# ---------------------------------------------------------------------------
# The draft file
# ---------------------------------------------------------------------------


def _scalar(value: Any) -> str:
    """One YAML scalar, quoted only when YAML would misread it (as the data files are written)."""
    if value is None:
        return "null"
    if isinstance(value, bool | int):
        return str(value).lower() if isinstance(value, bool) else str(value)
    text = yaml.safe_dump(str(value), allow_unicode=True, width=10_000, default_flow_style=True).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


def _list(items: list[Any]) -> str:
    """A one-line YAML list; items are quoted as a flow list needs (commas, brackets)."""
    return yaml.safe_dump(list(items), allow_unicode=True, width=10_000, default_flow_style=True).strip()


def _name(ds: Dataset, company: str) -> str:
    rec = ds.by_id(schema.COMPANIES.name).get(company)
    return str(rec.values.get("name")) if rec else company


@dataclass(frozen=True)
class DraftInput:
    """What the maintainer said on the command line."""

    app: str
    platform: str
    auditor: str | None = None
    auditor_kind: str | None = None
    har_name: str = "capture.har"


def draft_yaml(capture: Capture, ds: Dataset, opts: DraftInput, today: dt.date | None = None) -> str:
    """The text of the draft findings file (see the module docstring)."""
    today = today or dt.date.today()
    apps = ds.by_id(schema.APPS.name)
    developer = apps[opts.app].values.get("developer") if opts.app in apps else None
    dev_owner = ownership_chain(ds, developer)[-1] if isinstance(developer, str) else None
    by_company: dict[str, list[Host]] = {}
    for h in capture.hosts.values():
        if h.company:
            by_company.setdefault(h.company, []).append(h)
    unattributed = [h for h in capture.hosts.values() if not h.company]
    out = [
        DRAFT_HEADER,
        f"# Written by `python -m chatbot_watch import-har` on {today.isoformat()} from {opts.har_name}:",
        f"# {capture.entries} request(s) to {len(capture.hosts)} host(s); "
        f"{len(by_company)} attributed compan{'y' if len(by_company) == 1 else 'ies'}, "
        f"{len(unattributed)} unattributed host(s).",
        "# Hosts are matched to companies' `domains` in companies.yaml; a match says only that the",
        "# request went to a domain a source ties to that company. Before copying a finding into",
        "# data/findings.yaml: give it the next free id (AF-..., never a retired one), fill in",
        "# data_types from what the requests carried, add the published report as a source, and",
        "# review every field (see data/README.md, findings.yaml). Then run validate.",
        "findings:",
    ]
    for n, (company, hosts) in enumerate(by_company.items(), 1):
        chain = hosts[0].chain
        chain_text = " → ".join(_name(ds, c) for c in chain)
        first_party = company == developer or (dev_owner is not None and chain[-1] == dev_owner)
        host_names = sorted(h.host for h in hosts)
        requests = sum(h.requests for h in hosts)
        notes = (
            f"Draft from a HAR capture ({opts.har_name}): {requests} request(s) to {', '.join(host_names)}; "
            f"matched through {', '.join(sorted({h.matched_domain or '' for h in hosts}))} "
            f"listed for {_name(ds, company)} (ownership: {chain_text})."
        )
        if first_party:
            notes += " First party: the app's own developer or its group."
        out += [
            f"- id: AF-DRAFT-{n}  # placeholder: assign the next free AF- id",
            f"  app: {_scalar(opts.app)}",
            f"  platform: {_scalar(opts.platform)}",
            "  app_version: null",
            f"  auditor: {_scalar(opts.auditor)}" + ("" if opts.auditor else "  # fill in: who made the capture"),
            f"  auditor_kind: {_scalar(opts.auditor_kind)}" + ("" if opts.auditor_kind else "  # fill in"),
            "  auditor_country: null",
            "  method: network_traffic",
            f"  audit_date: {_scalar(capture.first_day)}  # day of the capture's first request",
            "  data_types: []  # fill in: what data the requests carried",
            "  data_described: []",
            f"  recipients: [{company}]  # {chain_text}",
            "  recipient_described: null",
            f"  domains: {_list(host_names)}",
            "  recipient_countries: []",
            "  evidence_status: observed_by_auditor",
            "  status_described: null",
            f"  notes: {_scalar(notes)}",
            "  sources: []  # add the published report (url, publisher, published, accessed, quote)",
        ]
    if not by_company:
        out[-1] = "findings: []  # no host matched a company's listed domains"
    out += ["", "# Hosts no company's listed domains cover. Add a domain to a company only with a source."]
    if unattributed:
        out.append("unattributed_hosts:")
        for h in unattributed:
            out += [
                f"- host: {_scalar(h.host)}",
                f"  registrable_domain: {_scalar(h.registrable_domain)}",
                f"  requests: {h.requests}",
            ]
            if h.note:
                out.append(f"  note: {_scalar(h.note)}")
    else:
        out.append("unattributed_hosts: []")
    out += ["", "# Every host, in order of first request (paths without query strings)."]
    out.append("hosts:")
    for h in capture.hosts.values():
        out += [
            f"- host: {_scalar(h.host)}",
            f"  registrable_domain: {_scalar(h.registrable_domain)}",
            f"  company: {_scalar(h.company)}",
            f"  owner: {_scalar(h.owner)}",
            f"  requests: {h.requests}",
            f"  methods: {_list(sorted(h.methods))}",
            f"  first: {_scalar(h.first_text)}",
            f"  last: {_scalar(h.last_text)}",
            f"  mime_types: {_list(sorted(h.mime_types))}",
            f"  example_paths: {_list(h.paths)}",
        ]
    return "\n".join(out) + "\n"


def starts_with(path: Path, header: str) -> bool:
    """Whether `path` is a regular file (not a link) that starts with `header`: a draft one of the
    maintainer tools wrote, which `--force` may replace (never a file written by hand)."""
    if path.is_symlink() or not path.is_file():
        return False
    try:
        with open(path, "rb") as fh:
            return fh.read(len(header.encode())) == header.encode()
    except OSError:
        return False


def is_draft(path: Path) -> bool:
    """Whether `path` is a regular file (not a link) that import-har wrote: it starts with DRAFT_HEADER."""
    return starts_with(path, DRAFT_HEADER)


def summary_lines(capture: Capture, ds: Dataset) -> list[str]:
    """What the command prints: attributed hosts, then the others."""
    lines = []
    for h in capture.hosts.values():
        if h.company:
            lines.append(
                f"attributed: {h.host} -> {_name(ds, h.company)} ({h.company}) -> owner {_name(ds, h.owner or '')} "
                f"[{h.requests} request(s)]"
            )
    for h in capture.hosts.values():
        if not h.company:
            why = f"; {h.note}" if h.note else ""
            lines.append(
                f"unattributed: {h.host} (registrable domain {h.registrable_domain or 'none'}) "
                f"[{h.requests} request(s)]{why}"
            )
    return lines
