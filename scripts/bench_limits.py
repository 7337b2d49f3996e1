"""Bounded input: validate hostile and large data files and print wall time and peak memory.

Each case is a copy of the test fixture with one file replaced, validated by `python -m
chatbot_watch validate` in a child process; the peak resident memory is the child's
(`ru_maxrss` from `wait4`). Not a test (timings depend on the machine): the figures go to
docs/benchmarks.md ("Bounded input"). Usage: `.venv/bin/python scripts/bench_limits.py [case ...]`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "data"
MIB = 2**20


SYNTH = Path(tempfile.gettempdir()) / "chatbot-watch-bench-limits-x100"


def _synth() -> Path:
    """The synthetic data at 100 times today's size (`chatbot_watch.tools.synth`), made once."""
    if not SYNTH.is_dir():
        subprocess.run(
            [sys.executable, "-m", "chatbot_watch.tools.synth", "--scale", "100", "--out", str(SYNTH)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    return SYNTH


def _realistic(size: int) -> str:
    """One findings file of the synthetic data's findings, renumbered and repeated, up to `size` bytes."""
    records = "".join(
        p.read_text(encoding="utf-8").split("findings:\n", 1)[1] for p in sorted((_synth() / "findings").glob("*.yaml"))
    )
    items = ("\n" + records).split("\n- id: ")
    out, n, total, copy = ["findings:\n"], 0, 10, 0
    while True:
        copy += 1
        for item in items[1:]:
            n += 1
            body = item.split("\n", 1)[1]
            if copy > 1:  # another auditor: not the same finding twice (rules.check_dataset)
                body = body.replace("\n  auditor: ", f"\n  auditor: Copy {copy} of ", 1)
            text = f"- id: AF-{n:06d}\n{body}\n"
            if total + len(text.encode()) > size:
                return "".join(out)
            out.append(text)
            total += len(text.encode())


CASES: dict[str, tuple[str, Callable[[], str]]] = {
    # name: (file replaced, its text)
    "issue: 12 MB of '- id: a'": ("apps.yaml", lambda: "apps:\n" + "- id: a\n" * 1_500_000),
    "20 MiB of '- id: a'": ("apps.yaml", lambda: "apps:\n" + "- id: a\n" * (20 * MIB // 8 - 1)),
    "1.9 M values, 630k broken records": ("apps.yaml", lambda: "apps:\n" + "- id: a\n" * 630_000),
    "20 MiB flow list [a,a,...]": ("apps.yaml", lambda: "apps: [" + "a," * (10 * MIB - 8) + "]\n"),
    "2 M aliases": ("apps.yaml", lambda: "apps:\n- &a x\n" + "- *a\n" * 1_990_000),
    "2 M tags": ("apps.yaml", lambda: "apps:\n" + "- !x a\n" * 1_990_000),
    "1 record, 990k unknown fields": (
        "apps.yaml",
        lambda: "apps:\n- id: a\n" + "".join(f"  k{i}: x\n" for i in range(990_000)),
    ),
    "nesting 50,000 (100 KB)": ("apps.yaml", lambda: "apps: " + "[" * 50_000 + "]" * 50_000 + "\n"),
    "20 MiB realistic findings": ("findings.yaml", lambda: _realistic(20 * MIB - 4096)),
}


def run(name: str, fname: str, text: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        if "realistic" in name:  # the synthetic folder, its findings in one file: valid data
            shutil.copytree(_synth(), data)
            shutil.rmtree(data / "findings")
        else:
            shutil.copytree(FIXTURE, data)
        (data / fname).write_text(text, encoding="utf-8")
        size = (data / fname).stat().st_size / MIB
        start = time.perf_counter()
        with tempfile.TemporaryFile("w+") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "chatbot_watch", "validate", "--data", str(data)],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
            )
            _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak memory
            wall = time.perf_counter() - start
            out.seek(0)
            lines = out.read().splitlines()
        code = os.waitstatus_to_exitcode(status)
        first = next((line for line in lines if fname in line), lines[-1] if lines else "")
        first = first.replace(str(data) + "/", "")
        return f"| {name} | {size:.1f} | {wall:.1f} | {usage.ru_utime + usage.ru_stime:.1f} | {usage.ru_maxrss / 1024:.0f} | {code} | {len(lines)} | {first[:110]} |"


def main(argv: list[str]) -> int:
    wanted = [c for c in CASES if not argv or any(a in c for a in argv)]
    print("| Case | MiB | Wall s | CPU s | Peak RSS MB | Exit | Lines | First line about the file |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name in wanted:
        fname, make = CASES[name]
        print(run(name, fname, make()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
