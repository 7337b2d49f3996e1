"""The synthetic data generator: its output validates, scales, is deterministic and plainly synthetic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from chatbot_watch.reading.load import load
from chatbot_watch.store.build import build
from chatbot_watch.tools import synth

KINDS = ("companies", "apps", "findings", "actions")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    root = tmp_path_factory.mktemp("synth")
    out = {}
    for scale in (1, 10):
        out[scale] = root / f"x{scale}"
        synth.generate(out[scale], scale=scale, seed=7)
    return out


@pytest.mark.parametrize("scale", [1, 10])
def test_output_validates_with_counts_scaled(generated: dict[int, Path], scale: int) -> None:
    ds, problems = load(generated[scale])
    assert [str(p) for p in problems] == []
    counts = {k: len(v) for k, v in ds.records.items()}
    assert counts == {"data_types": 28, **{k: synth.BASE_COUNTS[k] * scale for k in KINDS}}


def test_x1_is_the_fixed_benchmark_base() -> None:
    # Scale 1 is the dataset's size when the benchmarks were set, fixed so that figures of different
    # rounds compare; it no longer follows the real data (a test that did failed whenever a valid
    # record was added: issue 22).
    assert synth.counts_for(1) == {"companies": 33, "apps": 27, "findings": 57, "actions": 98}
    assert synth.counts_for(100)["actions"] == 9800


def test_big_kinds_are_split_into_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synth, "CHUNK", 200)
    synth.generate(tmp_path / "d", scale=10, seed=1)
    parts = sorted(p.name for p in (tmp_path / "d" / "actions").glob("*.yaml"))
    assert parts == ["0001.yaml", "0002.yaml", "0003.yaml", "0004.yaml", "0005.yaml"]
    assert not (tmp_path / "d" / "actions.yaml").exists()
    ds, problems = load(tmp_path / "d")
    assert not problems
    assert len(ds.records["actions"]) == 980


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    synth.generate(tmp_path / "a", scale=1, seed=3)
    synth.generate(tmp_path / "b", scale=1, seed=3)
    synth.generate(tmp_path / "c", scale=1, seed=4)
    for name in ("companies.yaml", "apps.yaml", "findings.yaml", "actions.yaml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "actions.yaml").read_bytes() != (tmp_path / "c" / "actions.yaml").read_bytes()


def test_records_are_plainly_synthetic(generated: dict[int, Path]) -> None:
    ds, _ = load(generated[1])
    assert "SYNTHETIC" in ds.meta["title"]
    assert all(r.values["name"].startswith("Synthetic ") for k in ("apps", "companies") for r in ds.records[k])
    for kind in KINDS:
        for rec in ds.records[kind]:
            for src in rec.values.get("sources") or []:
                assert src["url"].startswith("https://example.org/synthetic/")
                assert src["publisher"] == "Synthetic source"


def test_shapes_follow_the_real_data(generated: dict[int, Path]) -> None:
    ds, _ = load(generated[10])
    companies = ds.records["companies"]
    owned = [c for c in companies if any(p["until"] is None for p in c.values["parents"])]
    assert 0.1 < len(owned) / len(companies) < 0.35
    by_id = {c.id: c for c in companies}

    def depth(cid: str) -> int:
        parents = [p["company"] for p in by_id[cid].values["parents"] if p["until"] is None]
        return 1 + depth(parents[0]) if parents else 0

    assert max(depth(c.id) for c in companies) >= 3  # ownership chains, not just pairs
    actions = ds.records["actions"]
    assert sum(a.values["jurisdiction"] == "US" for a in actions) / len(actions) > 0.2
    assert any(a.values["subdivision"] for a in actions)
    years = {a.values["announced"][:4] for a in actions if a.values["announced"]}
    assert len(years) >= 8
    for a in actions:
        assert not (a.values["lifted"] and a.values["status"] in ("in_force", "pending"))
    findings = ds.records["findings"]
    assert len({d for f in findings for d in f.values["data_types"]}) == 28
    top_app = max({f.values["app"] for f in findings}, key=lambda a: sum(f.values["app"] == a for f in findings))
    assert sum(f.values["app"] == top_app for f in findings) > 5 * len(findings) / len(ds.records["apps"])


def test_builds_into_a_database(generated: dict[int, Path], tmp_path: Path) -> None:
    res = build(generated[1], tmp_path / "x1.duckdb")
    assert res.counts["actions"] == 98
    assert res.as_of <= dt.date.today().isoformat()


def test_cli_writes_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert synth.main(["--scale", "1", "--out", str(tmp_path / "o"), "--seed", "2"]) == 0
    assert "x1, seed 2" in capsys.readouterr().out
    assert (tmp_path / "o" / "dataset.yaml").is_file()
