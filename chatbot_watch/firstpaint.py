"""Server-rendered first paint: each page URL's headline as HTML inside Streamlit's index.html.

For a page URL and its query string, `view` reads the filters exactly as the app does
(`parse_query` with the data's options, then the page's PAGE_FILTERS) and runs the same query
functions as the page, and `page_html` writes the result into Streamlit's own index.html: a
specific <title>, meta description, canonical URL and link-preview tags in <head>, and in
`#root` the page's title, as-of date, key figures and first rows (record ids linking to their
pages). It is visible before any script runs and readable with JavaScript off; React replaces the
children of `#root` when the app mounts. Every value from the data or the URL goes through
`html.escape`; only http(s) links from the database become links.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import pandas as pd

from chatbot_watch import queries, schema
from chatbot_watch.countries import all_countries
from chatbot_watch.filters import ACTION_FILTERS, PAGE_FILTERS, Filters, parse_query, url_text
from chatbot_watch.wording import date_line, headline_sentences

SITE_NAME = "Chatbot Watch"
FIRST_ROWS = 15
# URL path -> page key (PAGE_FILTERS), title in the navigation.
PAGES = {
    "/": ("overview", "Overview"),
    "/flows": ("flows", "Data flows"),
    "/restrictions": ("restrictions", "Restrictions"),
    "/countries": ("countries", "Countries"),
    "/apps": ("apps", "Apps"),
    "/companies": ("companies", "Companies"),
    "/about": ("about", "About the data"),
    "/search": ("search", "Search"),
    "/record": ("record", "Look up a record"),
}
PAGE_PATHS = {key: path for path, (key, _title) in PAGES.items()}
FILTER_WORDS = {"data_type": "data type", "action_type": "action type", "country_role": "country means"}


@dataclass
class Table:
    """The first rows of one of the page's tables, as text."""

    caption: str
    columns: list[tuple[str, str]]  # (column, heading)
    rows: list[dict[str, str]]
    total: int
    links: dict[str, Callable[[dict[str, str]], str]] = field(default_factory=dict)  # column -> href


@dataclass(frozen=True)
class Ctx:
    """What a page's builder reads: the database, the dataset facts, the filters' options, the URL."""

    con: queries.Con
    meta: Mapping[str, str]
    options: Mapping[str, Mapping[str, str]]
    params: Mapping[str, Sequence[str]]


@dataclass
class View:
    """What the first paint and the link preview of one page URL say."""

    page: str
    title: str  # the <title>
    heading: str
    question: str
    description: str
    canonical: str  # path and normalised query
    as_of: str
    date_line: str
    version: str
    filters: Filters = field(default_factory=Filters)
    applied: str = ""
    notices: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    figures: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    site: str = SITE_NAME  # the site's name (config.yaml's site_title)

    @property
    def image(self) -> str:
        """Path of the link-preview image (the view's main chart)."""
        path, _, query = self.canonical.partition("?")
        name = PAGES[path][0] if path in PAGES else "overview"
        return f"/og/{name}.png" + (f"?{query}" if query else "")


def _text(value: object) -> str:
    if value is None or (not isinstance(value, list | tuple | str) and pd.isna(value)):
        return ""
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _table(
    df: pd.DataFrame,
    caption: str,
    columns: Mapping[str, str],
    keep: Sequence[str] = (),
    **links: Callable[[dict[str, str]], str],
) -> Table:
    """The first FIRST_ROWS rows of `df` as text: `columns` (shown, under their headings) and
    `keep` (not shown; for the links)."""
    cols = [(c, h) for c, h in columns.items() if c in df.columns]
    names = [c for c, _ in cols] + [c for c in keep if c in df.columns]
    rows = [{c: _text(r[c]) for c in names} for r in df.head(FIRST_ROWS).to_dict(orient="records")]
    return Table(caption, cols, rows, len(df), dict(links))


def record_href(record_id: str, kind: str | None = None) -> str:
    """The record page of an id (`/record?id=AF-001`, `/record?id=app:deepseek`); the app links the same."""
    return "/record?" + urlencode({"id": f"{kind}:{record_id}" if kind in ("app", "company") else record_id})


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _names(values: Sequence[str], most: int = 4) -> str:
    names = sorted({v for v in values if v})
    if not names:
        return ""
    if len(names) > most:
        return ", ".join(names[:most]) + f" and {len(names) - most} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _canonical(path: str, f: Filters, extra: Sequence[tuple[str, str]] = ()) -> str:
    q = urlencode([*f.to_query(), *extra])
    return path + (f"?{q}" if q else "")


def _applied(f: Filters, options: Mapping[str, Mapping[str, str]]) -> str:
    parts = []
    for name in f.active():
        value = getattr(f, name)
        values = value if isinstance(value, tuple) else (value.isoformat() if hasattr(value, "isoformat") else value,)
        shown = ", ".join(str(options.get(name, {}).get(v, v)) for v in values)
        parts.append(f"{FILTER_WORDS.get(name, name)}: {shown}")
    return "; ".join(parts)


def view(
    con: queries.Con,
    meta: Mapping[str, str],
    options: Mapping[str, Mapping[str, str]],
    path: str,
    params: Mapping,
    aliases: Mapping[str, Mapping[str, str]] | None = None,
    site: str = SITE_NAME,
) -> View:
    """The view of page `path` for query parameters `params` (name -> all values), as the app shows
    it: values matched by id, name or alias (`aliases`, queries.filter_aliases) as the sidebar does."""
    page, page_title = PAGES[path]
    result = parse_query(params, options, aliases)
    f = result.filters.only(PAGE_FILTERS[page])
    as_of, version = meta.get("as_of", ""), meta.get("data_version", "")
    applied = _applied(f, options)
    base = View(
        page=page,
        title=f"{page_title}: {applied} - {site}" if applied else f"{page_title} - {site}",
        heading=page_title,
        question="",
        description="",
        canonical=_canonical(path, f),
        as_of=as_of,
        date_line=date_line(meta),
        version=version,
        filters=f,
        applied=applied,
        notices=result.notices,
        site=site,
    )
    return _BUILDERS[page](Ctx(con, meta, options, params), base)


def _overview(c: Ctx, v: View) -> View:
    a = queries.answers(c.con, v.filters)
    v.sentences = headline_sentences(a, v.as_of)
    v.heading = v.site
    v.question = "Which AI chatbot apps send which user data to which companies, and where they are restricted."
    if not v.applied:
        v.title = f"{v.site}: which chatbot apps send user data where, and where they are restricted"
    v.description = " ".join(v.sentences[:2])
    v.figures = [
        ("Restrictions in force", str(a["restrictions_in_force"])),
        ("Jurisdictions restricting", str(a["countries_in_force"])),
        ("Apps with recorded findings", str(a["finding_apps"])),
        ("Findings confirmed", f"{a['confirmed']} of {a['findings']}"),
    ]
    recent = queries.recent(c.con, v.filters, 10)
    v.tables = [
        _table(
            recent,
            "Most recent events",
            {"date": "Date", "kind": "Event", "record_id": "Record", "what": "What", "apps": "Apps",
             "status": "Status / evidence"},
            record_id=lambda r: record_href(r["record_id"]),
        )
    ]  # fmt: skip
    return v


FLOW_COLUMNS = {
    "finding_id": "Finding",
    "app_name": "App",
    "company_name": "Recipient",
    "data_type_label": "Data type",
    "evidence_label": "Evidence",
    "audit_date": "Date",
}
RESTRICTION_COLUMNS = {
    "action_id": "Action",
    "country_name": "Country",
    "authority": "Authority",
    "action_type_label": "Type",
    "status_label": "Status",
    "announced": "Announced",
    "app_name": "App",
}


def _flow_table(rows: pd.DataFrame, caption: str) -> Table:
    return _table(rows, caption, FLOW_COLUMNS, finding_id=lambda r: record_href(r["finding_id"]))


def _restriction_table(rows: pd.DataFrame, caption: str) -> Table:
    return _table(rows, caption, RESTRICTION_COLUMNS, action_id=lambda r: record_href(r["action_id"]))


def _flows(c: Ctx, v: View) -> View:
    v.question = "Which app sends which kinds of user data to which company, and how sure is it?"
    h = queries.headline(c.con, v.filters)
    rows = queries.flows(c.con, v.filters)
    v.figures = [
        ("Findings", str(h["findings"])),
        ("Apps", str(h["apps"])),
        ("Recipient companies", str(h["recipients"])),
        ("Findings confirmed", str(h["confirmed"])),
    ]
    v.description = (
        f"{_n(h['findings'], 'finding')} about {_n(h['apps'], 'app')} name "
        f"{_n(h['recipients'], 'recipient company', 'recipient companies')}, "
        f"{h['confirmed']} confirmed, as of {v.as_of}."
    )
    v.tables = [_flow_table(rows, f"All matching flows ({rows['finding_id'].nunique()} findings, {len(rows)} rows)")]
    return v


def _restrictions(c: Ctx, v: View) -> View:
    v.question = "Where are chatbot apps restricted, by whom, since when, and is it still in force?"
    h = queries.headline(c.con, v.filters)
    rows = queries.restrictions(c.con, v.filters)
    v.figures = [
        ("Government actions", str(h["actions"])),
        ("In force", str(h["in_force"])),
        ("Jurisdictions", str(h["jurisdictions"])),
    ]
    apps = _names(list(rows["app_name"].dropna()))
    v.description = (
        f"{_n(h['actions'], 'government action')}, {h['in_force']} in force, "
        f"in {_n(h['jurisdictions'], 'jurisdiction')}"
        + (f", concerning {apps}" if apps else "")
        + f", as of {v.as_of}."
    )
    v.tables = [
        _restriction_table(rows, f"All matching actions ({rows['action_id'].nunique()} actions, {len(rows)} rows)")
    ]
    return v


def _countries(c: Ctx, v: View) -> View:
    names = all_countries()
    if not v.filters.country:
        v.question = "Pick a country to see what is restricted there, what its regulators found, and where data goes."
        counts = queries.map_counts(c.con, v.filters.only(ACTION_FILTERS))
        v.description = (
            f"{_n(len(counts), 'jurisdiction')} with recorded government actions on chatbot apps, as of {v.as_of}."
        )
        v.tables = [
            _table(
                counts,
                "Jurisdictions with recorded actions",
                {"country_name": "Country", "actions": "Actions", "in_force": "In force",
                 "category": "What is in force", "apps": "Apps"},
                keep=("country_code",),
                country_name=lambda r: "/countries?" + urlencode({"country": r["country_code"]}),
            )
        ]  # fmt: skip
        return v
    code = v.filters.country[0]
    name = names.get(code, code)
    here = replace(v.filters, country=(code,))
    v.heading = name
    v.title = f"{name}: restrictions of chatbot apps - {v.site}"
    v.question = f"What is restricted in {name}, by whom and since when; what its regulators found."
    v.canonical = _canonical("/countries", here)
    rows = queries.restrictions(c.con, here)
    actions = rows["action_id"].nunique()
    in_force = rows.loc[rows["status_class"] == "in_force", "action_id"].nunique()
    apps = _names(list(rows["app_name"].dropna()))
    v.figures = [("Actions recorded", str(actions)), ("In force", str(in_force))]
    v.description = (
        f"{_n(actions, 'government action')}, {in_force} in force"
        + (f", concerning {apps}" if apps else "")
        + f", as of {v.as_of}."
    )
    v.tables = [_restriction_table(rows, "Restrictions")]
    found = queries.regulator_findings(c.con, code, here)
    if not found.empty:
        v.tables.append(
            _table(
                found,
                f"What {name}'s regulators and agencies found",
                {"finding_id": "Finding", "app_name": "App", "recipients": "Recipients named",
                 "evidence_label": "Evidence", "auditor": "Examined by", "audit_date": "Date"},
                finding_id=lambda r: record_href(r["finding_id"]),
            )
        )  # fmt: skip
    return v


def _apps(c: Ctx, v: View) -> View:
    if not v.filters.app:
        v.question = "Pick an app for its report card: who receives its users' data, and where it is restricted."
        listed = pd.DataFrame({"app_id": list(c.options["app"]), "name": list(c.options["app"].values())})
        v.description = f"Report cards of {_n(len(listed), 'AI chatbot app')}, as of {v.as_of}."
        link = lambda r: "/apps?" + urlencode({"app": r["app_id"]})  # noqa: E731
        v.tables = [_table(listed, "Apps", {"name": "App"}, keep=("app_id",), name=link)]
        return v
    app_id = v.filters.app[0]
    info = queries.app_info(c.con, app_id) or {"name": app_id}
    here = replace(v.filters, app=(app_id,))
    v.heading = str(info["name"])
    v.title = f"{info['name']}: who receives its users' data, where it is restricted - {v.site}"
    v.question = "Report card: who receives its users' data, what data, how sure, and where it is restricted."
    v.canonical = _canonical("/apps", here)
    flows = queries.flows(c.con, here.without("country", "country_role"))
    rows = queries.restrictions(c.con, here)
    findings = flows["finding_id"].nunique()
    recipients = _names(list(flows["company_name"].dropna()), most=3)
    actions = rows["action_id"].nunique()
    in_force = rows.loc[rows["status_class"] == "in_force", "action_id"].nunique()
    v.figures = [
        ("Developer", _text(info.get("developer_name")) or "not recorded"),
        ("Findings", str(findings)),
        ("Government actions", str(actions)),
        ("In force", str(in_force)),
    ]
    v.description = (
        f"{_n(findings, 'finding')}"
        + (f" name {recipients} as receiving its users' data" if recipients else "")
        + f"; {_n(actions, 'government action')}, {in_force} in force, as of {v.as_of}."
    )
    v.tables = [
        _flow_table(flows, "Who receives its users' data"),
        _restriction_table(rows, "Where it is restricted"),
    ]
    return v


def _companies(c: Ctx, v: View) -> View:
    v.question = "Which companies receive chatbot users' data, who owns them, and which apps send them what?"
    rows = queries.companies(c.con, v.filters)
    v.figures = [("Recipient companies", str(len(rows)))]
    v.description = (
        f"{_n(len(rows), 'company', 'companies')} named as receiving chatbot users' data"
        + (f", {_names(list(rows['company_name']), most=3)} among them" if len(rows) else "")
        + f", as of {v.as_of}."
    )
    v.tables = [
        _table(
            rows,
            "Recipient companies",
            {"company_name": "Company", "country_name": "Based in", "ownership_chain": "Ownership chain",
             "apps": "Apps sending data", "evidence_label": "Weakest evidence", "findings": "Findings"},
            keep=("company_id",),
            company_name=lambda r: record_href(r["company_id"], "company"),
        )
    ]  # fmt: skip
    return v


def _about(c: Ctx, v: View) -> View:
    v.question = "Where the data comes from, what the categories mean, and how to correct it."
    v.description = c.meta.get("description", "")
    v.figures = [
        ("Data as of", v.as_of),
        ("Data version", v.version),
        ("Licence", c.meta.get("licence", "")),
        ("Findings", c.meta.get("count_findings", "")),
        ("Government actions", c.meta.get("count_actions", "")),
    ]
    return v


TRANSLATION_HEADING = "Translation by Chatbot Watch"


def source_kind_label(kind: object) -> str:
    """A source's kind as a reader reads it ("not yet reviewed" when unclassified)."""
    return schema.label("SOURCE_KINDS", kind) if isinstance(kind, str) else "not yet reviewed"


def _record(c: Ctx, v: View) -> View:
    raw = url_text((list(c.params.get("id", ())) or [""])[0])[:80]
    matches = queries.resolve_record(c.con, raw) if raw.strip() else []
    if len(matches) != 1:
        v.heading = "Record"
        v.question = "Every field of one record, its sources with their full quotes, and its history."
        v.description = f"Look up a finding (AF-…), a government action (CA-…), an app or a company of {v.site}."
        if len(matches) > 1:
            v.notices.append(f"'{raw}' names several records: " + ", ".join(f"{k}:{i}" for k, i in matches) + ".")
            v.canonical = "/record?" + urlencode({"id": raw})
        return v
    kind, record_id = matches[0]
    rec = queries.record(c.con, kind, record_id)
    assert rec is not None
    v.heading = rec["title"]
    v.title = f"{rec['title']} - {v.site}"
    v.question = "Every field of this record as the data file holds it, its sources and its history."
    v.canonical = record_href(record_id, kind)
    sources = rec["sources"]
    v.description = f"{rec['title']}. {_n(len(sources), 'public source')}, as of {v.as_of}."
    fields = pd.DataFrame(rec["fields"], columns=["field", "value"])
    v.tables = [
        Table(
            "Fields",
            [("field", "Field"), ("value", "Value")],
            [{"field": a, "value": b} for a, b in rec["fields"]],
            len(fields),
        ),
        _table(
            sources.assign(
                kind=[source_kind_label(k) for k in sources["kind"]],
                translation=[t if isinstance(t, str) else "" for t in sources["translation"]],
            ),
            f"Sources ({len(sources)})",
            {
                "publisher": "Publisher",
                "kind": "Kind",
                "published": "Published",
                "url": "Address",
                "quote": "Quote, as printed",
                "language": "Language",
                "translation": TRANSLATION_HEADING,
            },
            url=lambda r: r["url"],
        ),
    ]  # fmt: skip  (every field: a record has a few dozen at most)
    docs = rec["documents"]
    if kind in ("finding", "action"):
        v.tables.insert(
            1,
            _table(
                docs,
                f"Primary documents ({len(docs)})",
                {"issuer": "Issued by", "title": "Title", "date": "Date", "access": "Copy read", "url": "Address"},
                url=lambda r: r["url"] or "",
            ),
        )
    return v


SEARCH_LINKS = {
    "app": lambda i: "/apps?" + urlencode({"app": i}),
    "company": lambda i: "/companies?" + urlencode({"company": i}),
    "country": lambda i: "/countries?" + urlencode({"country": i}),
    "finding": record_href,
    "action": record_href,
}


def _search(c: Ctx, v: View) -> View:
    q = " ".join(url_text((list(c.params.get("q", ())) or [""])[0]).split())[:80]
    v.question = "Find an app, a company, a country or a record by name, alias or id."
    v.description = f"Search {v.site}'s apps, companies, countries and records by name, alias or id."
    if not q:
        return v
    v.canonical = "/search?" + urlencode({"q": q})
    v.title = f"Search: {q} - {v.site}"
    found = queries.search(c.con, q)
    found = found.assign(what=[k.capitalize() for k in found["kind"]])
    v.tables = [
        _table(
            found,
            f"{_n(len(found), 'result')} for “{q}”",
            {"what": "Kind", "label": "Name", "matched": "Matched"},
            keep=("kind", "id"),
            label=lambda r: SEARCH_LINKS[r["kind"]](r["id"]),
        )
    ]
    return v


_BUILDERS: dict[str, Callable[[Ctx, View], View]] = {
    "overview": _overview,
    "flows": _flows,
    "restrictions": _restrictions,
    "countries": _countries,
    "apps": _apps,
    "companies": _companies,
    "about": _about,
    "search": _search,
    "record": _record,
}


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

e = html.escape

STYLE = """<style>
.cw-fp{font-family:"Source Sans",system-ui,-apple-system,"Segoe UI",sans-serif;color:#111111;max-width:1100px;
margin:0 auto;padding:2.5rem 1.5rem 4rem;line-height:1.5}
.cw-fp a{color:#0072B2}.cw-fp nav a{margin-right:1rem}
.cw-fp h1{font-size:2.4rem;margin:.6rem 0 .2rem}.cw-fp h2{font-size:1.4rem;margin:1.6rem 0 .4rem}
.cw-fp .cw-q{color:#444}.cw-fp .cw-note{color:#444;font-size:.95rem}
.cw-fp dl{display:flex;flex-wrap:wrap;gap:1.5rem;margin:1rem 0}.cw-fp dl div{min-width:10rem}
.cw-fp dt{font-size:.9rem;color:#444}.cw-fp dd{margin:0;font-size:2rem}
.cw-fp table{border-collapse:collapse;width:100%;font-size:.9rem;display:block;overflow-x:auto}
.cw-fp th,.cw-fp td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.cw-fp td:first-child{white-space:nowrap}
.cw-fp .cw-warn{background:#fff4e5;padding:.4rem .6rem;border-radius:.3rem}
</style>"""


def _safe_href(href: str) -> str | None:
    if href.startswith("/") and not href.startswith("//"):
        return href
    if re.match(r"https?://", href):
        return href
    return None


def _cell(table: Table, row: dict[str, str], col: str) -> str:
    text = e(row.get(col, ""))
    if col in table.links and row.get(col):
        href = _safe_href(table.links[col](row))
        if href:
            return f'<a href="{e(href)}">{text}</a>'
    return text


LOADING_NOTE = "The interactive page (charts, filters, downloads) is loading."


def body_html(v: View, closing: str | None = None) -> str:
    """The view as semantic HTML for `#root` (escaped). `closing` (HTML, ours) replaces the last
    sentence, which says the interactive page is loading (the static edition links to it instead)."""
    nav = " ".join(f'<a href="{e(path)}">{e(title)}</a>' for path, (_k, title) in PAGES.items())
    out = [
        '<main class="cw-fp" id="cw-first-paint">',
        f'<header><p><strong>{e(v.site)}</strong></p><nav aria-label="Pages">{nav}</nav></header>',
        f"<h1>{e(v.heading)}</h1>",
        f'<p class="cw-q">{e(v.question)} <strong>{e(v.date_line)}.</strong></p>',
    ]
    if v.applied:
        out.append(f'<p class="cw-note">Filters applied here: {e(v.applied)}.</p>')
    for n in v.notices:
        out.append(f'<p class="cw-warn" role="status">{e(n)}</p>')
    if v.sentences:
        out.append("<ul>" + "".join(f"<li>{e(s)}</li>" for s in v.sentences) + "</ul>")
    if v.figures:
        out.append("<dl>" + "".join(f"<div><dt>{e(k)}</dt><dd>{e(val)}</dd></div>" for k, val in v.figures) + "</dl>")
    for t in v.tables:
        out.append(f"<section><h2>{e(t.caption)}</h2>")
        if not t.rows:
            out.append('<p class="cw-note">Nothing matches these filters.</p></section>')
            continue
        head = "".join(f'<th scope="col">{e(h)}</th>' for _c, h in t.columns)
        body = "".join("<tr>" + "".join(f"<td>{_cell(t, r, c)}</td>" for c, _h in t.columns) + "</tr>" for r in t.rows)
        out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        if t.total > len(t.rows):
            out.append(f'<p class="cw-note">The first {len(t.rows)} of {t.total} rows; the app lists them all.</p>')
        out.append("</section>")
    out.append(
        f'<p class="cw-note">Data version {e(v.version)}. The same rows as JSON and CSV: '
        f'<a href="/api/v1/openapi.json">the HTTP API</a>. {closing or e(LOADING_NOTE)}</p></main>'
    )
    return "".join(out)


def head_html(v: View, base_url: str, image_url: str | None = None) -> str:
    """<title>, description, canonical and link-preview tags (Open Graph, Twitter card); the image
    is the live site's unless `image_url` names another copy (the static edition's)."""
    url = base_url + v.canonical
    image = image_url or base_url + v.image
    alt = f"Chart: {v.heading}, data as of {v.as_of}"
    tags = [
        f"<title>{e(v.title)}</title>",
        f'<meta name="description" content="{e(v.description)}" />',
        f'<link rel="canonical" href="{e(url)}" />',
        '<meta property="og:type" content="website" />',
        f'<meta property="og:site_name" content="{e(v.site)}" />',
        f'<meta property="og:title" content="{e(v.title.removesuffix(" - " + v.site))}" />',
        f'<meta property="og:description" content="{e(v.description)}" />',
        f'<meta property="og:url" content="{e(url)}" />',
        f'<meta property="og:image" content="{e(image)}" />',
        '<meta property="og:image:type" content="image/png" />',
        f'<meta property="og:image:alt" content="{e(alt)}" />',
        '<meta name="twitter:card" content="summary_large_image" />',
        f'<meta name="twitter:title" content="{e(v.title.removesuffix(" - " + v.site))}" />',
        f'<meta name="twitter:description" content="{e(v.description)}" />',
        f'<meta name="twitter:image" content="{e(image)}" />',
        STYLE,
    ]
    return "\n    ".join(tags)


_TITLE = re.compile(r"<title>.*?</title>", re.S)
_NOSCRIPT = re.compile(r"<noscript>.*?</noscript>", re.S)
ROOT_DIV = '<div id="root"></div>'


def page_html(index_html: str, v: View, base_url: str) -> str:
    """Streamlit's index.html with the view in <head> and in `#root`."""
    assert ROOT_DIV in index_html, "Streamlit's index.html no longer has an empty #root"
    out = _TITLE.sub(lambda _m: head_html(v, base_url), index_html, count=1)
    note = (
        "<noscript><p>JavaScript is off: this is the page's content as the server wrote it. The interactive "
        "charts, filters and downloads need JavaScript; the data is also at /api/v1/.</p></noscript>"
    )
    out = _NOSCRIPT.sub(lambda _m: note, out, count=1)
    return out.replace(ROOT_DIV, f'<div id="root">{body_html(v)}</div>', 1)
