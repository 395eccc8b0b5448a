"""Chinese text → index terms, done the same way for documents and for queries.

jieba's search-engine mode (`cut_for_search`) emits a long word and its dictionary sub-words
(营业执照 → 营业 执照 营业执照), so a query for 执照 finds 营业执照. Documents also get every
CJK character as a one-character term: jieba segments a short query without the context the
document had, and may leave a lone character (换身份证 → 换 身份 身份证) that the document's
segmentation had absorbed into a longer word (换领). Common characters score little under
BM25/ts_rank, so they widen what is found without reordering it.

Terms are NFKC-normalised (full-width Ａ１ → a1) and lower-cased, and keep only letters and
digits: punctuation, emoji and query syntax (`"`, `*`, `:`, `(`) never reach the database.
jieba loads its dictionary lazily on first use (≈0.8 s) and quietly.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator

import jieba

jieba.setLogLevel(logging.WARNING)

# A query is cut to this many terms: enough for any real question, bounded work for the index.
MAX_QUERY_TERMS = 32

# Words of 政务服务 that jieba's general dictionary splits (一件事 → 一件 / 事).
DOMAIN_WORDS = ("一件事", "一网通办", "好差评", "一次办", "跨省通办", "免提交", "容缺受理", "网上办")

# Words that carry no subject in a question typed into a search box (我要开一家饭店). Dropped from
# queries only, and only when something else is left.
QUERY_STOP_WORDS = frozenset(
    "我 我要 我想 想 要 想要 需要 怎么 怎么办 怎样 如何 哪里 在哪 在哪里 哪儿 去 的 了 吗 呢 啊 和 与 及 一个 一家 什么 办 办理 申请".split()  # noqa: SIM905
)


def _ready() -> None:
    if not jieba.dt.initialized:
        jieba.initialize()
    for word in DOMAIN_WORDS:
        if jieba.get_FREQ(word) is None:
            jieba.add_word(word)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def is_cjk(character: str) -> bool:
    code = ord(character)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3134F


def words(text: str) -> Iterator[str]:
    """jieba's search-engine segmentation, letters and digits only."""
    _ready()
    for token in jieba.cut_for_search(normalise(text)):
        cleaned = "".join(character for character in token if character.isalnum())
        if cleaned:
            yield cleaned


def index_terms(*texts: str) -> str:
    """The space-separated terms stored for a document field: its words, then its CJK characters."""
    text = " ".join(t for t in texts if t)
    characters = [c for c in normalise(text) if is_cjk(c)]
    return " ".join([*words(text), *characters])


def query_terms(query: str) -> tuple[str, ...]:
    """The distinct terms of a query, stop words dropped unless nothing else is left."""
    terms = list(dict.fromkeys(words(query)))
    meaningful = [term for term in terms if term not in QUERY_STOP_WORDS]
    return tuple((meaningful or terms)[:MAX_QUERY_TERMS])


def query_characters(terms: Iterable[str]) -> tuple[str, ...]:
    """The CJK characters of the terms: the last resort when no term matches as a word (办证)."""
    return tuple(dict.fromkeys(c for term in terms for c in term if is_cjk(c)))[:MAX_QUERY_TERMS]


def highlight(text: str, terms: Iterable[str], *, width: int = 60) -> tuple[tuple[str, bool], ...]:
    """A window of `text` around the first term found, as (fragment, is_match) pairs; plain
    text — the template escapes it and marks the matches."""
    ordered = sorted({t for t in terms if t}, key=len, reverse=True)
    if not text:
        return ()
    if not ordered:
        return ((_cut(text, 0, width), False),)
    pattern = re.compile("|".join(re.escape(t) for t in ordered), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - width // 4) if first else 0
    window = _cut(text, start, width)
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in pattern.finditer(window):
        _append(parts, window[position : match.start()], False)
        _append(parts, match.group(0), True)
        position = match.end()
    _append(parts, window[position:], False)
    return tuple(parts)


def _append(parts: list[tuple[str, bool]], fragment: str, marked: bool) -> None:
    """Adjacent matches (开 + 饭店) become one marked fragment."""
    if not fragment:
        return
    if parts and parts[-1][1] == marked:
        parts[-1] = (parts[-1][0] + fragment, marked)
    else:
        parts.append((fragment, marked))


def _cut(text: str, start: int, width: int) -> str:
    window = text[start : start + width]
    return ("…" if start > 0 else "") + window + ("…" if start + width < len(text) else "")
