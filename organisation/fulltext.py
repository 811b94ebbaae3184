"""What every full-text search of the product shares (plans, indicators): the user's text read
as plain words, and the highlighted snippet made safe.

The database marks the matching words with two private-use characters (never typed in the
text); they become <mark> only after the text is escaped, so nothing the user typed is ever
read as markup."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MARK_START, MARK_END = "\ue000", "\ue001"
MOST_WORDS = 20
# Escapes, in SQL, what can start markup in an element's content (& first, then < and >).
# PostgreSQL's ts_headline needs the text escaped before it reads it: its parser drops what
# looks like a tag ("<script>") from what it returns, whereas an entity ("&lt;") comes back as
# it went in.
ESCAPED_IN_SQL = "replace(replace(replace({}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


def search_words(text: str) -> list[str]:
    """The letters-and-digits words of `text`: quotes, operators, brackets and hyphens are
    separators, so no input is ever read as query syntax."""
    return re.findall(r"[^\W_]+", text)[:MOST_WORDS]


def fts5_match(words: list[str]) -> str:
    """SQLite FTS5: each word a quoted string, all of them required (an implicit AND)."""
    return " ".join(f'"{word}"' for word in words)


def headline_options(*, whole: bool) -> str:
    """PostgreSQL ts_headline's options: the whole text, or a passage around the match."""
    length = "HighlightAll=true" if whole else "MaxWords=30, MinWords=12"
    return f"StartSel={MARK_START}, StopSel={MARK_END}, {length}"


def highlighted(snippet: str, *, escaped: bool = False) -> SafeString:
    """The snippet with our marks as <mark>: the text is escaped first (unless the database
    has escaped it), and only then do the marks go in."""
    text = snippet if escaped else escape(snippet)
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))
