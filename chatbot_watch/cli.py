"""Command line: `python -m chatbot_watch validate|build`. Prints problems, never a traceback."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chatbot_watch.config import ConfigError, Settings, load_settings


def _settings() -> Settings:
    return load_settings()


def cmd_validate(args: argparse.Namespace) -> int:
    from chatbot_watch.load import load

    data_dir = Path(args.data) if args.data else _settings().data_dir
    ds, problems = load(data_dir)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) found in {data_dir}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(v)} {k}" for k, v in ds.records.items())
    print(f"{data_dir}: valid ({counts})")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from chatbot_watch.build import BuildError, build

    settings = None if (args.data and args.out) else _settings()
    data_dir = Path(args.data) if args.data else settings.data_dir  # type: ignore[union-attr]
    out = Path(args.out) if args.out else settings.db_path  # type: ignore[union-attr]
    try:
        result = build(data_dir, out)
    except BuildError as exc:
        for p in exc.problems:
            print(p)
        print(f"build refused: {len(exc.problems)} problem(s) in {data_dir}; {out} was left as it was", file=sys.stderr)
        return 1
    counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
    print(f"built {result.path}: {counts}")
    print(f"data version {result.data_version}, as of {result.as_of}, in {result.seconds:.2f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m chatbot_watch", description="Chatbot Watch data tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check every data file; print path:line: field: message per problem")
    p.add_argument("--data", help="data folder (default: config.yaml / CHATBOT_WATCH_DATA_DIR)")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("build", help="validate, then write the DuckDB file atomically")
    p.add_argument("--data", help="data folder (default: config.yaml / CHATBOT_WATCH_DATA_DIR)")
    p.add_argument("--out", help="database file (default: config.yaml / CHATBOT_WATCH_DB)")
    p.set_defaults(func=cmd_build)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"settings error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is: a clear line, never a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
