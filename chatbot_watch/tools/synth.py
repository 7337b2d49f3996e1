"""Synthetic, schema-valid data folders at a scale factor of the round-two data, for benchmarks.

    python -m chatbot_watch.tools.synth --scale 100 --out build/synth/x100 [--seed 1]

Scale 1 has as many records as the dataset had when the benchmarks were set (33 companies, 27
apps, 57 findings, 98 actions; the real data has grown since, see `validate`, and the scale
stays fixed so that figures of different rounds compare); scale N multiplies every count by N.
The shapes follow the real data: a few apps draw most findings and actions, about one company in
five has an owner (chains of several levels, some with a past owner), findings name one to six
data types and zero to three recipients, actions spread over real countries (a third of them in
the US, many by a state) and years, with consistent statuses and lift dates. The data-type
taxonomy is the real one.

Every record is plainly synthetic and can never pass for a fact: names read "Synthetic App
00042", every source is on https://example.org/synthetic/... and published by "Synthetic
source", and the dataset's title says so. The output is deterministic for a seed and passes
`python -m chatbot_watch validate --data DIR`. Large kinds are split into files of a few
thousand records in `DIR/<kind>/NNNN.yaml`, which the loader reads as one list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pycountry
import yaml

from chatbot_watch import paths
from chatbot_watch.datamodel import schema, vocabularies

BASE_COUNTS: dict[str, int] = {"companies": 33, "apps": 27, "findings": 57, "actions": 98}
CHUNK = 4000  # records per file when a kind is split
MIN_DAY = dt.date(2015, 1, 1)
URL = "https://example.org/synthetic"
PUBLISHER = "Synthetic source"

# Jurisdictions of actions, weighted roughly as in the real data (a third in the US).
JURISDICTIONS: tuple[tuple[str, int], ...] = (
    ("US", 33), ("KR", 13), ("AU", 8), ("IT", 7), ("JP", 6), ("TW", 4), ("BE", 3), ("IE", 3), ("EU", 3),
    ("DE", 2), ("FR", 2), ("NL", 2), ("IN", 2), ("CA", 2), ("BR", 2), ("GB", 1), ("ES", 1), ("CZ", 1),
    ("DK", 1), ("NO", 1), ("PH", 1), ("TR", 1), ("CN", 1), ("RU", 1), ("PY", 1), ("ID", 1), ("VN", 1),
)  # fmt: skip
# Countries that often act through a state or province (share of their actions that do).
SUBDIVISION_SHARE: dict[str, float] = {"US": 0.7, "AU": 0.6, "DE": 0.2, "JP": 0.2, "CA": 0.3, "IN": 0.3, "BR": 0.2}
COMPANY_COUNTRIES: tuple[tuple[str | None, int], ...] = (
    ("US", 11), (None, 11), ("CN", 10), ("FR", 1), ("KR", 1), ("DE", 1), ("GB", 1), ("IL", 1), ("JP", 1),
)  # fmt: skip
PUBLIC_AUDITORS = ("regulator", "government_agency", "legislature", "attorney_general")
# (status, weight); lifted dates go with `lifted` and sometimes `ended`.
STATUSES: tuple[tuple[str, int], ...] = (("in_force", 64), ("ongoing", 17), ("lifted", 8), ("ended", 6), ("pending", 4))


def counts_for(scale: int) -> dict[str, int]:
    """Record counts per kind at a scale factor (data types stay the real taxonomy)."""
    return {k: n * scale for k, n in BASE_COUNTS.items()}


def _weighted(rng: random.Random, pairs: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _valid_scope(action_type: str, scope: str) -> str:
    """The scope the device-ban / network-block rule allows (rules.py), from a random pick: a network
    block is of government networks, and a device ban never is (no extra random draw, so a seed
    gives the same data as before for everything else)."""
    if action_type == "network_block":
        return "government_networks"
    if action_type == "government_device_ban" and scope == "government_networks":
        return "government_devices"
    return scope


def _skewed(rng: random.Random, n: int) -> int:
    """An index in [0, n) where low indexes are much more likely (a few popular apps)."""
    return min(n - 1, int(n * rng.random() ** 2.5))


_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _q(text: str) -> str:
    """A YAML single-quoted scalar (the loader keeps it as text, whatever it looks like)."""
    return "'" + text.replace("'", "''") + "'"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    text = str(value)
    # Ids, codes, vocabulary values and dates stay plain, as in the hand-written files.
    return text if _PLAIN.fullmatch(text) and text.lower() != "null" else _q(text)


def _emit(rec: dict[str, Any]) -> str:
    """One record as a YAML list item: `- key: value`, lists in block style, [] when empty."""
    out: list[str] = []
    first = True
    for key, value in rec.items():
        lead = "- " if first else "  "
        first = False
        if isinstance(value, list):
            if not value:
                out.append(f"{lead}{key}: []")
                continue
            out.append(f"{lead}{key}:")
            for item in value:
                if isinstance(item, dict):
                    sub = True
                    for k2, v2 in item.items():
                        out.append(f"  {'- ' if sub else '  '}{k2}: {_scalar(v2)}")
                        sub = False
                else:
                    out.append(f"  - {_scalar(item)}")
        else:
            out.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(out) + "\n"


class _Dates:
    """Dates between 2015 and as_of, more of them recent, at day, month or year precision."""

    def __init__(self, rng: random.Random, as_of: dt.date) -> None:
        self.rng = rng
        self.as_of = as_of
        self.span = (as_of - MIN_DAY).days

    def day(self) -> dt.date:
        # sqrt skews towards as_of: most records are from the last few years, as in the real data.
        return MIN_DAY + dt.timedelta(days=int(self.span * self.rng.random() ** 0.35))

    def after(self, d: dt.date, max_days: int) -> dt.date:
        return min(self.as_of, d + dt.timedelta(days=self.rng.randint(0, max_days)))

    @staticmethod
    def text(d: dt.date, precision: str) -> str:
        return {"day": d.isoformat(), "month": d.isoformat()[:7], "year": str(d.year)}[precision]


class Generator:
    """Builds the records of one synthetic dataset."""

    def __init__(self, scale: int, seed: int, as_of: dt.date) -> None:
        self.scale = scale
        self.rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not a secret
        self.dates = _Dates(self.rng, as_of)
        self.counts = counts_for(scale)
        self.data_types = [r["id"] for r in _real_data_types()]
        self.company_ids = [f"synthetic-co-{i:05d}" for i in range(1, self.counts["companies"] + 1)]
        self.app_ids = [f"synthetic-app-{i:05d}" for i in range(1, self.counts["apps"] + 1)]
        self.company_domains: dict[str, list[str]] = {}
        self.subdivisions = {
            c: sorted(s.code for s in pycountry.subdivisions.get(country_code=c) if s.parent_code is None)
            for c in SUBDIVISION_SHARE
        }

    def sources(self, kind: str, rid: str, n: int) -> list[dict[str, Any]]:
        out = []
        for i in range(n):
            pub: str | None = None
            acc: str | None = None
            if self.rng.random() < 0.8:
                d = self.dates.day()
                pub = _Dates.text(d, self.rng.choice(("day", "day", "day", "month")))
                if self.rng.random() < 0.2:
                    acc = self.dates.after(d + dt.timedelta(days=31), 200).isoformat()
            out.append(
                {
                    "url": f"{URL}/{kind}/{rid}/{i + 1}",
                    "publisher": PUBLISHER,
                    "published": pub,
                    "accessed": acc,
                    "quote": f"Synthetic quote for benchmarking only, not a real source ({rid}, source {i + 1}).",
                }
            )
        return out

    def companies(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        kinds = list(vocabularies.COMPANY_KINDS)
        owned: list[int] = []
        for i, cid in enumerate(self.company_ids):
            parents: list[dict[str, Any]] = []
            # About one company in five has an owner among the earlier ones: chains, never loops.
            if i > 0 and rng.random() < 0.22:
                # Often the owner has an owner itself: chains of three or four levels, as x-corp ->
                # xai -> spacex in the real data. Owners are earlier companies, so no chain loops.
                recent_owned = [j for j in owned[-20:] if j >= i - 200]
                if recent_owned and rng.random() < 0.4:
                    owner = self.company_ids[rng.choice(recent_owned)]
                else:
                    owner = self.company_ids[rng.randrange(max(0, i - 40), i)]
                owned.append(i)
                since = self.dates.day()
                parents.append(
                    {
                        "company": owner,
                        "since": _Dates.text(since, "month") if rng.random() < 0.6 else None,
                        "until": None,
                        "note": f"Synthetic ownership link of Synthetic Company {i + 1:05d}.",
                    }
                )
                if i > 1 and rng.random() < 0.15:
                    past = self.company_ids[rng.randrange(max(0, i - 40), i)]
                    if past != owner:
                        start = MIN_DAY + dt.timedelta(days=rng.randint(0, 300))
                        parents.append(
                            {
                                "company": past,
                                "since": _Dates.text(start, "year"),
                                "until": _Dates.text(self.dates.after(start + dt.timedelta(days=366), 900), "month"),
                                "note": "Synthetic former owner.",
                            }
                        )
            domains = [f"co{i + 1:05d}-{j}.synthetic.example" for j in range(rng.choice((0, 0, 0, 0, 0, 1, 1, 2)))]
            self.company_domains[cid] = domains
            yield {
                "id": cid,
                "name": f"Synthetic Company {i + 1:05d}",
                "legal_names": [f"Synthetic Company {i + 1:05d} Ltd."] if rng.random() < 0.3 else [],
                "aliases": [f"SynCo {i + 1:05d}"] if rng.random() < 0.2 else [],
                "kinds": rng.sample(kinds, rng.choice((1, 1, 1, 1, 2, 2, 3, 4))),
                "country": _weighted(rng, COMPANY_COUNTRIES),
                "city": f"Synthetic City {rng.randint(1, 500)}" if rng.random() < 0.5 else None,
                "parents": parents,
                "domains": domains,
                "notes": f"Synthetic company for benchmarks ({cid}); not a real company."
                + (" Role: recipient of data in synthetic findings." if rng.random() < 0.5 else ""),
                "sources": self.sources("companies", cid, rng.choice((1, 2, 2, 2, 3, 3, 4, 5))),
            }

    def apps(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        platforms = list(vocabularies.PLATFORMS)
        for i, aid in enumerate(self.app_ids):
            n_src = rng.choice((0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2)) if rng.random() < 0.1 else 0
            yield {
                "id": aid,
                "name": f"Synthetic App {i + 1:05d}",
                "developer": self.company_ids[_skewed(rng, len(self.company_ids))] if rng.random() < 0.75 else None,
                "platforms": rng.sample(platforms, rng.choice((0, 0, 1, 1, 2, 3))),
                "ios_app_id": None,
                "android_package": None,
                "website": f"{URL}/apps/{aid}" if rng.random() < 0.1 else None,
                "aliases": [f"Synthetic App {i + 1:05d} alias {j + 1}" for j in range(rng.choice((0, 0, 0, 1, 2, 3)))],
                "notes": f"Synthetic app for benchmarks ({aid}); not a real app.",
                "sources": self.sources("apps", aid, n_src),
            }

    def findings(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        for i in range(self.counts["findings"]):
            fid = f"AF-{i + 1:06d}"
            kind = rng.choice(list(vocabularies.AUDITOR_KINDS))
            recipients = rng.sample(self.company_ids, rng.choice((0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 3)))
            domains = [d for c in recipients for d in self.company_domains.get(c, [])][:2]
            countries = rng.sample(("US", "CN", "SG", "KR", "DE", "IE"), rng.choice((0, 0, 0, 1, 1, 2)))
            precision = rng.choice(("day", "day", "month", "month", "month", None))
            yield {
                "id": fid,
                "app": self.app_ids[_skewed(rng, len(self.app_ids))],
                "platform": rng.choice((*vocabularies.PLATFORMS, None)),
                "app_version": f"{rng.randint(1, 9)}.{rng.randint(0, 20)}" if rng.random() < 0.2 else None,
                "auditor": f"Synthetic Auditor {rng.randint(1, 40 * self.scale)}",
                "auditor_kind": kind,
                "auditor_country": rng.choice(("KR", "US", "TW", "DE", "IT", "EU"))
                if kind in PUBLIC_AUDITORS
                else None,
                "method": rng.choice(list(vocabularies.METHODS)),
                "audit_date": _Dates.text(self.dates.day(), precision) if precision else None,
                "data_types": rng.sample(self.data_types, rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6))),
                "data_described": [f"synthetic data item {j + 1}" for j in range(rng.choice((0, 1, 2, 3, 3, 4, 6)))],
                "recipients": recipients,
                "recipient_described": f"Synthetic recipients of {fid}" if rng.random() < 0.7 else None,
                "domains": domains,
                "recipient_countries": countries,
                "evidence_status": rng.choice(list(vocabularies.EVIDENCE_STATUS)),
                "status_described": "synthetic status wording",
                "notes": f"Synthetic finding for benchmarks ({fid}); not a real finding." + " Filler text." * 12,
                "sources": self.sources("findings", fid, rng.choice((1, 1, 2, 2, 3, 3, 4))),
            }

    def actions(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        for i in range(self.counts["actions"]):
            aid = f"CA-{i + 1:06d}"
            jur = _weighted(rng, JURISDICTIONS)
            sub = None
            if jur in SUBDIVISION_SHARE and rng.random() < SUBDIVISION_SHARE[jur]:
                sub = rng.choice(self.subdivisions[jur])
            status = _weighted(rng, STATUSES)
            announced_day = self.dates.day()
            effective_day = self.dates.after(announced_day, 30) if rng.random() < 0.05 else None
            lifted = None
            if status == "lifted" or (status == "ended" and rng.random() < 0.2):
                start = max(announced_day, effective_day or announced_day)
                lifted = _Dates.text(self.dates.after(start, 500), rng.choice(("day", "day", "month")))
            ann_precision = rng.choice(("day",) * 7 + ("month", "month", None, None))
            n_apps = rng.choice((1,) * 89 + (2, 2, 2, 3, 4, 5, 5, 5, 0))
            # Like findings, actions concentrate on a few apps (in the real data, most name DeepSeek).
            apps: list[str] = []
            while len(apps) < n_apps:
                app = self.app_ids[_skewed(rng, len(self.app_ids))]
                if app not in apps:
                    apps.append(app)
            n_companies = rng.choice((0,) * 7 + (1, 1, 2)) if apps else rng.choice((1, 2, 5))
            record = {
                "id": aid,
                "jurisdiction": jur,
                "subdivision": sub,
                "authority": f"Synthetic Authority {rng.randint(1, 60)} of {jur}",
                "action_type": (atype := rng.choice(list(vocabularies.ACTION_TYPES))),
                "action_described": "synthetic action wording",
                "scope": _valid_scope(atype, rng.choice(list(vocabularies.SCOPES))),
                "scope_described": "synthetic scope wording" if rng.random() < 0.8 else None,
                "apps": apps,
                "companies": rng.sample(self.company_ids, n_companies),
                "announced": _Dates.text(announced_day, ann_precision) if ann_precision else None,
                "effective": effective_day.isoformat() if effective_day else None,
                "lifted": lifted,
                "status": status,
                "status_described": f"synthetic: {status.replace('_', ' ')}",
                "notes": f"Synthetic action for benchmarks ({aid}); not a real action." + " Filler." * 6,
                "sources": self.sources("actions", aid, rng.choice((1,) * 6 + (2, 2, 2, 3, 5, 6))),
            }
            if lifted is None and status in ("lifted", "ended"):
                # A lifted or ended action needs a lift date or a reason it is unknown (rules.py).
                record["lifted_unknown"] = "synthetic: no end date given"
            yield record


def _real_data_types() -> list[dict[str, Any]]:
    text = (paths.ROOT / "data" / "data_types.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["data_types"]


def real_as_of() -> dt.date:
    """The real dataset's as_of date (synthetic dates stay on or before it)."""
    text = (paths.ROOT / "data" / schema.DATASET_FILE).read_text(encoding="utf-8")
    value = yaml.safe_load(text)["as_of"]
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _write_kind(out: Path, kind: str, records: Iterator[dict[str, Any]], total: int) -> None:
    header = f"# Synthetic benchmark data (chatbot_watch.tools.synth): not real facts.\n{kind}:\n"
    if total <= CHUNK:
        with open(out / f"{kind}.yaml", "w", encoding="utf-8") as fh:
            fh.write(header)
            for rec in records:
                fh.write(_emit(rec))
        return
    folder = out / kind
    folder.mkdir()
    fh = None
    try:
        for n, rec in enumerate(records):
            if n % CHUNK == 0:
                if fh is not None:
                    fh.close()
                fh = open(folder / f"{n // CHUNK + 1:04d}.yaml", "w", encoding="utf-8")  # noqa: SIM115
                fh.write(header)
            fh.write(_emit(rec))
    finally:
        if fh is not None:
            fh.close()


def generate(out: Path, scale: int = 1, seed: int = 1, as_of: dt.date | None = None) -> dict[str, int]:
    """Write a synthetic data folder at `out` (replaced if it exists); return the record counts."""
    if scale < 1:
        raise ValueError("scale must be 1 or more")
    as_of = as_of or real_as_of()
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    gen = Generator(scale, seed, as_of)
    (out / schema.DATASET_FILE).write_text(
        "# Synthetic benchmark data (chatbot_watch.tools.synth): every record is made up.\n"
        f"title: {_q(f'Chatbot Watch SYNTHETIC benchmark data (x{scale}, seed {seed}): not real facts')}\n"
        f"as_of: {as_of.isoformat()}\n"
        "licence: CC0-1.0\n"
        "licence_url: https://creativecommons.org/publicdomain/zero/1.0/\n"
        "publisher: chatbot_watch.tools.synth (synthetic)\n"
        "description: Synthetic records generated for benchmarks. Nothing in it is a fact.\n",
        encoding="utf-8",
    )
    shutil.copyfile(paths.ROOT / "data" / "data_types.yaml", out / "data_types.yaml")
    # Companies first: apps and findings refer to them (and to their domains).
    _write_kind(out, "companies", gen.companies(), gen.counts["companies"])
    _write_kind(out, "apps", gen.apps(), gen.counts["apps"])
    _write_kind(out, "findings", gen.findings(), gen.counts["findings"])
    _write_kind(out, "actions", gen.actions(), gen.counts["actions"])
    return {"data_types": len(gen.data_types), **gen.counts}


def main(argv: list[str] | None = None) -> int:
    """Command line: write one synthetic data folder."""
    ap = argparse.ArgumentParser(prog="python -m chatbot_watch.tools.synth", description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=int, default=1, help="scale factor of today's record counts (1, 10, 100, 1000)")
    ap.add_argument("--out", type=Path, required=True, help="data folder to write (replaced if it exists)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (same seed, same files)")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    counts = generate(args.out, args.scale, args.seed)
    took = time.perf_counter() - start
    print(f"wrote {args.out} (x{args.scale}, seed {args.seed}) in {took:.1f} s: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
