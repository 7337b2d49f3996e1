"""Command line: `python -m chatbot_watch validate|build|export|diff|import-har|check-sources|corrections|watch|leads`.

Prints problems one line each, never a traceback. Exit codes: 0 ok, 1 problems found, 2 usage or
environment error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from chatbot_watch.config import ConfigError, Settings, load_settings
from chatbot_watch.datamodel import schema, vocabularies


def _settings() -> Settings:
    return load_settings()


def cmd_validate(args: argparse.Namespace) -> int:
    from chatbot_watch.reading.load import load
    from chatbot_watch.reading.rules import warnings

    data_dir = Path(args.data) if args.data else _settings().data_dir
    ds, problems = load(data_dir)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) found in {data_dir}", file=sys.stderr)
        return 1
    # Warnings are legal data worth a look: listed one per line (`path:line: field: warning: ...`),
    # and validate still passes.
    found = warnings(ds)
    for w in found:
        print(w)
    counts = ", ".join(f"{len(v)} {k}" for k, v in ds.records.items())
    print(f"{data_dir}: valid ({counts})" + (f"; {len(found)} warning(s)" if found else ""))
    return 0


def _settings_or_none() -> Settings | None:
    """The settings, or None when they cannot be read (a build with --data and --out needs none)."""
    try:
        return load_settings()
    except ConfigError:
        return None


def cmd_build(args: argparse.Namespace) -> int:
    from chatbot_watch.store.build import BuildError, TargetError, build

    settings = _settings_or_none() if (args.data and args.out) else _settings()
    data_dir = Path(args.data) if args.data else settings.data_dir  # type: ignore[union-attr]
    out = Path(args.out) if args.out else settings.db_path  # type: ignore[union-attr]
    # The app's own database (the settings' db_path, however it is named) gets its feeds written
    # where the app serves them; any other --out gets none unless --feeds says where.
    own = settings is not None and out.resolve() == settings.db_path.resolve()
    feeds = Path(args.feeds) if args.feeds else (settings.feeds_dir if own else None)  # type: ignore[union-attr]
    try:
        result = build(data_dir, out, feeds_dir=feeds, cache=not args.no_cache)
    except TargetError as exc:
        print(f"build refused: {exc}", file=sys.stderr)
        return 2
    except BuildError as exc:
        for p in exc.problems:
            print(p)
        print(f"build refused: {len(exc.problems)} problem(s) in {data_dir}; {out} was left as it was", file=sys.stderr)
        return 1
    counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
    print(f"built {result.path}: {counts}")
    cached = f" ({result.files_cached} read from the cache)" if result.files_cached else ""
    read = f"{result.files_read + result.files_cached} data files{cached}"
    if result.patched is not None:
        n = result.patched
        read += f"; the previous database patched ({n} record{'' if n == 1 else 's'} changed)"
    print(f"data version {result.data_version}, as of {result.as_of}, {read}, in {result.seconds:.2f} s")
    if feeds is not None:
        print(f"Atom feeds of changes written to {feeds}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from chatbot_watch.store.build import BuildError, build
    from chatbot_watch.store.export import ExportError, export

    if args.db:
        db = Path(args.db)
    else:
        settings = _settings()
        db = settings.db_path
        if not db.exists():
            print(f"{db} does not exist yet; building it from {settings.data_dir}", file=sys.stderr)
            try:
                build(settings.data_dir, db)
            except BuildError as exc:
                for p in exc.problems:
                    print(p)
                print(f"export refused: {len(exc.problems)} problem(s) in {settings.data_dir}", file=sys.stderr)
                return 1
    try:
        result = export(db, Path(args.out))
    except ExportError as exc:
        print(f"export error: {exc}", file=sys.stderr)
        return 2
    rows = sum(result.counts.values())
    print(
        f"exported {len(result.counts)} tables ({rows} rows) as CSV, JSON and Parquet to {result.out_dir}: "
        f"data version {result.data_version}, as of {result.as_of}; descriptor {result.out_dir / 'datapackage.json'}"
    )
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from chatbot_watch.store import diff

    try:
        old, new = diff.read_build(Path(args.old)), diff.read_build(Path(args.new))
        changes, notes = diff.compare(old.path, new.path)
    except diff.DiffError as exc:
        print(f"diff error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(diff.as_json(old, new, changes, notes))
    else:
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        for c in changes:
            print(c.text())
        print(
            f"{diff.summary(changes)} from {old.path} (version {old.data_version}, as of {old.as_of}) "
            f"to {new.path} (version {new.data_version}, as of {new.as_of})",
            file=sys.stderr,
        )
    return 1 if (args.exit_code and changes) else 0


def cmd_import_har(args: argparse.Namespace) -> int:
    import datetime as dt
    import difflib

    from chatbot_watch.reading.load import load
    from chatbot_watch.tools import har

    data_dir = Path(args.data) if args.data else _settings().data_dir
    ds, problems = load(data_dir)
    if not ds.records.get(schema.COMPANIES.name):
        print(
            f"import-har: no companies could be read from {data_dir} ({len(problems)} problem(s); run validate)",
            file=sys.stderr,
        )
        return 2
    if problems:
        print(f"warning: {data_dir} has {len(problems)} validation problem(s); run validate", file=sys.stderr)
    apps = ds.by_id(schema.APPS.name)
    if args.app not in apps:
        hint = difflib.get_close_matches(args.app, sorted(apps), n=1)
        print(
            f"import-har: unknown app '{args.app}'"
            + (f" (did you mean '{hint[0]}'?)" if hint else "")
            + f"; app ids are in {data_dir / 'apps.yaml'}",
            file=sys.stderr,
        )
        return 2
    try:
        capture = har.read_har(Path(args.har))
    except har.HarError as exc:
        print(f"import-har: {exc}", file=sys.stderr)
        return 2
    if not capture.hosts:
        print(f"import-har: {args.har}: no http(s) requests in the capture; no draft written", file=sys.stderr)
        return 1
    har.attribute(capture, ds)
    day = capture.first_day or dt.date.today().isoformat()
    out = Path(args.out) if args.out else Path("drafts") / f"{args.app}-{day}.yaml"
    if out.resolve().is_relative_to(data_dir.resolve()):
        print(
            f"import-har: {out} is inside the data folder; drafts are not valid data, write them elsewhere",
            file=sys.stderr,
        )
        return 2
    if os.path.lexists(out) and not (args.force and har.is_draft(out)):
        print(
            f"import-har: {out} exists; choose another --out"
            + (" (--force replaces only a draft import-har wrote)" if args.force else " or add --force"),
            file=sys.stderr,
        )
        return 2
    opts = har.DraftInput(args.app, args.platform, args.auditor, args.auditor_kind, Path(args.har).name)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(har.draft_yaml(capture, ds, opts), encoding="utf-8")
    for line in har.summary_lines(capture, ds):
        print(line)
    attributed = sum(1 for h in capture.hosts.values() if h.company)
    print(
        f"wrote draft {out}: {capture.entries} request(s), {len(capture.hosts)} host(s), {attributed} attributed, "
        f"{len(capture.hosts) - attributed} unattributed"
        + (f"; {capture.skipped} request(s) without an http(s) host skipped" if capture.skipped else "")
    )
    return 0


def cmd_check_sources(args: argparse.Namespace) -> int:
    from chatbot_watch.reading.load import load
    from chatbot_watch.tools import sources_check as sc

    data_dir = Path(args.data) if args.data else _settings().data_dir
    if not data_dir.is_dir():
        print(f"check-sources: {data_dir}: data folder does not exist", file=sys.stderr)
        return 2
    ds, problems = load(data_dir)
    if problems:
        print(f"warning: {data_dir} has {len(problems)} validation problem(s); run validate", file=sys.stderr)
    cites = sc.citations(ds)
    today = dt.date.today()
    issues = sorted(set(sc.check(ds)) | set(sc.record_issues(ds, data_dir, today, args.stale_days)))
    if args.online:
        urls = [c.url for c in cites if c.url and not sc.url_error(c.url)]
        print(f"checking {len(set(urls))} link(s) online ...", file=sys.stderr)
        results = sc.check_links(urls, timeout=args.timeout, workers=args.workers)
        issues = sorted(set(issues) | set(sc.online_issues(cites, results)))
    for issue in issues:
        if issue.severity != "info" or args.verbose:
            print(issue)
    for line in sc.summary(issues, cites, args.verbose):
        print(line)
    for line in sc.sourcing_report(ds, args.verbose):
        print(line)
    return 1 if any(i.severity == "error" for i in issues) else 0


def _data_dir_or_none(args: argparse.Namespace) -> Path | None:
    """--data, else the settings' data folder, else None (the inbox is readable without settings)."""
    if getattr(args, "data", None):
        return Path(args.data)
    settings = _settings_or_none()
    return settings.data_dir if settings else None


def cmd_publish(args: argparse.Namespace) -> int:
    from chatbot_watch.web import publish as pub

    settings = pub.settings_for(_settings(), Path(args.db) if args.db else None)
    if not settings.db_path.is_file():
        print(f"publish: {settings.db_path}: no database; run build first", file=sys.stderr)
        return 2
    base = args.base_url or os.environ.get("CHATBOT_WATCH_BASE_URL") or ""
    if not base.startswith(("https://", "http://")):
        print("publish: give the live site's address (--base-url or CHATBOT_WATCH_BASE_URL)", file=sys.stderr)
        return 2
    try:
        done = pub.publish(
            settings,
            Path(args.out),
            base,
            args.static_url,
            images=not args.no_images,
            progress=lambda m: print(m, file=sys.stderr),
        )
    except pub.PublishError as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return 2
    print(
        f"published {done.pages} pages, {done.api_files} API files, {done.feeds} feeds and {done.images} "
        f"link-preview images to {done.out} in {done.seconds:.1f} s"
    )
    return 0


def cmd_corrections(args: argparse.Namespace) -> int:
    from chatbot_watch.tools import inbox

    path = Path(args.inbox) if args.inbox else _settings().corrections_db
    try:
        if args.action == "list":
            found = inbox.list_all(path)
            for c in found:
                print(inbox.summary_line(c))
            if found:  # by sender, a summary beside the count (stdout stays one line per correction)
                print("By sending address (a keyed hash; the inbox never stores an address):", file=sys.stderr)
                for line in inbox.by_address(found):
                    print("  " + line, file=sys.stderr)
            where = f"{path}" if path.exists() else f"{path} (no inbox yet: nothing has been sent)"
            print(f"{len(found)} correction(s) in {where}", file=sys.stderr)
            return 0
        if args.action == "show":
            c = inbox.get(path, args.number)
            if c is None:
                print(f"corrections: no correction #{args.number} in {path}", file=sys.stderr)
                return 1
            print(inbox.details(c, _data_dir_or_none(args)))
            return 0
        chosen = inbox.list_all(path)
        if args.numbers:
            missing = sorted(set(args.numbers) - {c.id for c in chosen})
            if missing:
                print(f"corrections: no correction {', '.join(f'#{n}' for n in missing)} in {path}", file=sys.stderr)
                return 1
            chosen = [c for c in chosen if c.id in set(args.numbers)]
        text = inbox.export_yaml(chosen, path, data_dir=_data_dir_or_none(args))
    except inbox.InboxError as exc:
        print(f"corrections: {exc}", file=sys.stderr)
        return 2
    if not args.out:
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    if out.exists() and not args.force:
        print(f"corrections: {out} exists; choose another --out or add --force", file=sys.stderr)
        return 2
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {len(chosen)} draft correction(s) to {out}; nothing was applied to the data")
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    from chatbot_watch.reading.load import load
    from chatbot_watch.tools import leads, watch

    settings = None if (args.data and args.leads) else _settings()
    data_dir = Path(args.data) if args.data else settings.data_dir  # type: ignore[union-attr]
    leads_db = Path(args.leads) if args.leads else settings.leads_db  # type: ignore[union-attr]
    try:
        watchlist = watch.load_feeds(Path(args.feeds) if args.feeds else watch.FEEDS_FILE)
    except watch.WatchError as exc:
        print(f"watch: {exc}", file=sys.stderr)
        return 2
    if not data_dir.is_dir():
        print(f"watch: {data_dir}: data folder does not exist", file=sys.stderr)
        return 2
    ds, problems = load(data_dir)
    if not ds.records.get(schema.APPS.name):
        print(
            f"watch: no apps could be read from {data_dir} ({len(problems)} problem(s); run validate)", file=sys.stderr
        )
        return 2
    if problems:
        print(f"warning: {data_dir} has {len(problems)} validation problem(s); run validate", file=sys.stderr)
    for extra in watchlist.extra_names:
        kind = schema.APPS.name if extra.kind == "app" else schema.COMPANIES.name
        if extra.id not in ds.by_id(kind):
            print(f"warning: extra_names: no {extra.kind} '{extra.id}' in {data_dir}", file=sys.stderr)
    try:
        results = watch.run(watchlist, ds, leads_db, timeout=args.timeout, max_bytes=args.max_bytes, delay=args.delay)
    except leads.LeadsError as exc:
        print(f"watch: {exc}", file=sys.stderr)
        return 2
    for result in results:
        print(_printable(result.line()))
    new = [n for r in results for n in r.new]
    for number in new:
        lead = leads.get(leads_db, number)
        if lead is not None:
            print("  new: " + leads.summary_line(lead))
    failed = sum(1 for r in results if r.error)
    print(
        f"{len(new)} new lead(s) from {len(results)} feed(s)"
        + (f", {failed} not read" if failed else "")
        + f", in {leads_db}; triage them with `python -m chatbot_watch leads list`",
        file=sys.stderr,
    )
    return 1 if failed else 0


def _printable(text: str) -> str:
    """Text from a feed (a feed's error message may quote it) safe to print on a terminal."""
    from chatbot_watch.tools.inbox import printable

    return printable(text)


def cmd_leads(args: argparse.Namespace) -> int:
    from chatbot_watch.tools import leads

    settings = None if (args.leads and (args.data or args.action != "draft")) else _settings()
    path = Path(args.leads) if args.leads else settings.leads_db  # type: ignore[union-attr]
    try:
        if args.action == "list":
            found = leads.list_leads(path, include_dismissed=args.all)
            for lead in found:
                print(leads.summary_line(lead))
            what = "lead(s)" if args.all else "open lead(s)"
            where = f"{path}" if path.exists() else f"{path} (no leads yet: run `python -m chatbot_watch watch`)"
            print(f"{len(found)} {what} in {where}, newest first", file=sys.stderr)
            return 0
        lead = leads.get(path, args.number)
        if lead is None:
            print(f"leads: no lead #{args.number} in {path}", file=sys.stderr)
            return 1
        if args.action == "show":
            print(leads.details(lead))
            return 0
        if args.action == "dismiss":
            leads.dismiss(path, lead.id, args.why or "")
            print(f"dismissed lead #{lead.id}" + (f": {_printable(args.why)}" if args.why else ""))
            return 0
    except leads.Invalid as exc:
        print(f"leads: {exc}", file=sys.stderr)
        return 2
    except leads.LeadsError as exc:
        print(f"leads: {exc}", file=sys.stderr)
        return 2
    data_dir = Path(args.data) if args.data else settings.data_dir  # type: ignore[union-attr]
    if not data_dir.is_dir():
        print(f"leads: {data_dir}: data folder does not exist", file=sys.stderr)
        return 2
    action_id = leads.next_action_id(data_dir)
    out = Path(args.out) if args.out else Path("drafts") / f"{action_id}-lead-{lead.id}.yaml"
    if out.resolve().is_relative_to(data_dir.resolve()):
        print(
            f"leads: {out} is inside the data folder; a draft is not valid data until it is filled in, "
            "write it elsewhere and move it once validate accepts it",
            file=sys.stderr,
        )
        return 2
    if os.path.lexists(out) and not (args.force and leads.is_draft(out)):
        print(
            f"leads: {out} exists; choose another --out"
            + (" (--force replaces only a draft `leads draft` wrote)" if args.force else " or add --force"),
            file=sys.stderr,
        )
        return 2
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(leads.draft_yaml(lead, action_id), encoding="utf-8")
    print(
        f"wrote draft {out}: action {action_id} from lead #{lead.id}; fill in every FILL IN from the page, "
        f"move the record into {data_dir / 'actions'}/ and run validate"
    )
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
    p.add_argument(
        "--feeds",
        help="folder for the Atom feeds of changes (default: feeds_dir of config.yaml "
        "when building the configured database; none with --out)",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="read every data file, and keep no cache (default: each file's records are kept in "
        ".<database name>.cache/ beside the database, so a rebuild reads only the files that changed)",
    )
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("export", help="write the dataset as CSV, JSON and Parquet with a Frictionless datapackage.json")
    p.add_argument("--out", required=True, help="folder to write (new, empty, or an earlier export)")
    p.add_argument("--db", help="database to export (default: config.yaml / CHATBOT_WATCH_DB; built if missing)")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("diff", help="records added, removed and changed (field by field) between two builds")
    p.add_argument("old", help="the older database file")
    p.add_argument("new", help="the newer database file")
    p.add_argument("--json", action="store_true", help="print the changes as JSON")
    p.add_argument("--exit-code", action="store_true", help="exit 1 when there are differences (like git diff)")
    p.set_defaults(func=cmd_diff)
    p = sub.add_parser("import-har", help="attribute a HAR capture's hosts to companies; write a draft findings file")
    p.add_argument("har", help="the HAR file (browser dev tools or mitmproxy export)")
    p.add_argument("--app", required=True, help="id of the app captured (from apps.yaml)")
    p.add_argument("--platform", required=True, choices=list(vocabularies.PLATFORMS), help="platform captured")
    p.add_argument("--auditor", help="who made the capture, as the report will name them")
    p.add_argument("--auditor-kind", choices=list(vocabularies.AUDITOR_KINDS), help="kind of auditor")
    p.add_argument("--out", help="draft file to write (default: drafts/<app>-<date>.yaml; never inside data/)")
    p.add_argument("--force", action="store_true", help="overwrite an existing draft file")
    p.add_argument("--data", help="data folder (default: config.yaml / CHATBOT_WATCH_DATA_DIR)")
    p.set_defaults(func=cmd_import_har)
    p = sub.add_parser("check-sources", help="offline checks of every cited source; --online also tries the links")
    p.add_argument("--data", help="data folder (default: config.yaml / CHATBOT_WATCH_DATA_DIR)")
    p.add_argument("--verbose", action="store_true", help="list the notes too, not only their counts")
    p.add_argument("--online", action="store_true", help="also request every link (needs the internet; not for CI)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per link with --online (default 10)")
    p.add_argument("--workers", type=int, default=4, help="links checked at once with --online (default 4)")
    p.add_argument(
        "--stale-days",
        type=int,
        default=180,
        help="an ongoing or pending action whose newest source is older than this is listed (default 180)",
    )
    p.set_defaults(func=cmd_check_sources)
    p = sub.add_parser("publish", help="write the static edition: every sitemap page as plain HTML, API files, feeds")
    p.add_argument("--out", required=True, help="an empty folder, or one publish wrote before (replaced whole)")
    p.add_argument("--db", help="database to publish (default: config.yaml / CHATBOT_WATCH_DB)")
    p.add_argument("--base-url", help="the live site's address, for canonical links (default: CHATBOT_WATCH_BASE_URL)")
    p.add_argument("--static-url", help="where the static edition will be served (default: the live site's address)")
    p.add_argument("--no-images", action="store_true", help="write no link-preview images (pages name the live ones)")
    p.set_defaults(func=cmd_publish)
    p = sub.add_parser("corrections", help="readers' corrections sent from the record pages: list, show, export")
    p.set_defaults(func=cmd_corrections)
    csub = p.add_subparsers(dest="action", required=True)
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--inbox", help="the inbox file (default: config.yaml / CHATBOT_WATCH_CORRECTIONS_DB)")
    where.add_argument("--data", help="data folder whose file holds each record (default: config.yaml)")
    csub.add_parser("list", parents=[where], help="one line per correction, oldest first")
    c = csub.add_parser("show", parents=[where], help="every field of one correction")
    c.add_argument("number", type=int, help="the correction's number")
    c = csub.add_parser("export", parents=[where], help="draft YAML patches to check and apply by hand (never applied)")
    c.add_argument("numbers", type=int, nargs="*", help="the corrections to export (default: all)")
    c.add_argument("--out", help="file to write (default: print)")
    c.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    p = sub.add_parser("watch", help="read the news feeds of watch/feeds.yaml; file items naming an app and an action")
    p.add_argument("--feeds", help="the feeds file (default: watch/feeds.yaml)")
    p.add_argument("--data", help="data folder (default: config.yaml / CHATBOT_WATCH_DATA_DIR)")
    p.add_argument("--leads", help="the leads file (default: leads_db of config.yaml)")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds to download one feed (default 20)")
    p.add_argument("--max-bytes", type=int, default=5 * 2**20, help="largest feed read, in bytes (default 5 MiB)")
    p.add_argument("--delay", type=float, default=1.0, help="seconds between two feeds (default 1)")
    p.set_defaults(func=cmd_watch)
    p = sub.add_parser("leads", help="the leads `watch` filed: list, show, dismiss, draft an action record")
    p.set_defaults(func=cmd_leads)
    lsub = p.add_subparsers(dest="action", required=True)
    lwhere = argparse.ArgumentParser(add_help=False)
    lwhere.add_argument("--leads", help="the leads file (default: leads_db of config.yaml)")
    lwhere.add_argument("--data", help="data folder, for draft's next free id (default: config.yaml)")
    c = lsub.add_parser("list", parents=[lwhere], help="one line per open lead, newest first")
    c.add_argument("--all", action="store_true", help="dismissed leads too")
    c = lsub.add_parser("show", parents=[lwhere], help="every field of one lead")
    c.add_argument("number", type=int, help="the lead's number")
    c = lsub.add_parser("dismiss", parents=[lwhere], help="mark a lead dismissed (kept, so it is not filed again)")
    c.add_argument("number", type=int, help="the lead's number")
    c.add_argument("--why", help="why it is dismissed (kept with the lead)")
    c = lsub.add_parser("draft", parents=[lwhere], help="write an action record skeleton with the lead as its source")
    c.add_argument("number", type=int, help="the lead's number")
    c.add_argument("--out", help="draft file (default: drafts/<CA id>-lead-<number>.yaml; never inside data/)")
    c.add_argument("--force", action="store_true", help="overwrite a draft `leads draft` wrote")
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
