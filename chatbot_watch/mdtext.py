"""Text from a URL, a file or the data made inert for markdown (the app's pages, the export's README)."""

from __future__ import annotations

import re

_MD_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Markdown renderers also turn bare "https://x", "www.x" and "a@b.x" into links (GFM autolink
# literals), after escapes are undone: a WORD JOINER (U+2060, invisible, no width) after ":" before
# "/", between "www" and ".", and after "@" keeps those from forming.
WORD_JOINER = "\u2060"
_AUTOLINK_SEAMS = re.compile(r"(?<=@)|(?<=:)(?=/)|(?i:(?<=www))(?=\.)")


def md(text: object) -> str:
    """`text` as markdown that renders as exactly that text: every ASCII punctuation mark is
    backslash-escaped (CommonMark lets any of them be), so no link, image, emphasis, HTML,
    `:material/...:` icon or `:red[...]` directive can form; no autolink can form from a bare URL,
    `www.` host or e-mail address; line breaks (CR, LF, U+2028, ...) become spaces."""
    raw = _AUTOLINK_SEAMS.sub(WORD_JOINER, " ".join(str(text).split()))
    return "".join("\\" + ch if ch in _MD_PUNCTUATION else ch for ch in raw)
