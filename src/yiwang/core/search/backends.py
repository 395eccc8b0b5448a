"""The two databases' full-text queries, behind one signature: `count(...)` and `page(...)`.

Both rank by score = (coverage + relevance) × boost, best first, ties by document id
(services.py explains the formula). The coverage part is the same SQL on both databases; the
relevance part is each database's own (FTS5 BM25, ts_rank). User text never reaches the SQL:
the terms are letters and digits only (segment.words) and go in as parameters — quoted FTS5
strings on SQLite, `plainto_tsquery` arguments on PostgreSQL, ' term ' for the coverage.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

# Column weights: a title match outranks a keyword match outranks a body match.
TITLE_WEIGHT, KEYWORD_WEIGHT, BODY_WEIGHT = 10.0, 4.0, 1.0
_COLUMNS = (("title_tokens", TITLE_WEIGHT), ("keyword_tokens", KEYWORD_WEIGHT), ("body_tokens", BODY_WEIGHT))


@dataclass(frozen=True)
class Match:
    terms: tuple[str, ...]
    every: bool  # True: all terms (AND); False: any term (OR)
    kinds: tuple[str, ...]
    tags: tuple[str, ...] = ()


def _like(tag: str) -> str:
    escaped = tag.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%,{escaped},%"


def _filters(match: Match, kind_sql: str) -> tuple[str, list]:
    sql = [kind_sql]
    params: list = []
    for tag in match.tags:
        sql.append("d.tags LIKE %s ESCAPE '\\'")
        params.append(_like(tag))
    return " AND ".join(sql), params


def _coverage(match: Match, find: str) -> tuple[str, list]:
    """Σ over title, keywords, body of weight × the share of the query's terms the column holds.
    BM25 alone gives nothing to a term found in more than half the documents (its IDF is
    clamped to ~0), and 营业执照 is among the materials of half a catalogue: the coverage keeps
    a name match above a keyword match above a body match whatever the term's frequency."""
    parts, params = [], []
    share = 1.0 / len(match.terms)
    for column, weight in _COLUMNS:
        found = " + ".join(
            [f"CASE WHEN {find}(' ' || d.{column} || ' ', %s) > 0 THEN 1 ELSE 0 END"] * len(match.terms)
        )
        parts.append(f"{weight * share!r} * ({found})")
        params += [f" {term} " for term in match.terms]
    return "(" + " + ".join(parts) + ")", params


# --- SQLite FTS5 -------------------------------------------------------------------------------
def _fts5_expression(match: Match) -> str:
    quoted = ['"' + term.replace('"', '""') + '"' for term in match.terms]
    return (" AND " if match.every else " OR ").join(quoted)


def _sqlite_where(match: Match) -> tuple[str, list]:
    kinds = ", ".join(["%s"] * len(match.kinds))
    filters, params = _filters(match, f"d.kind IN ({kinds})")
    return (
        f"search_document_fts MATCH %s AND {filters}",
        [_fts5_expression(match), *match.kinds, *params],
    )


_SQLITE_FROM = "search_document_fts JOIN search_searchdocument d ON d.id = search_document_fts.rowid"
_SQLITE_BM25 = f"-bm25(search_document_fts, {TITLE_WEIGHT}, {KEYWORD_WEIGHT}, {BODY_WEIGHT})"


def _sqlite_count(match: Match) -> int:
    where, params = _sqlite_where(match)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {_SQLITE_FROM} WHERE {where}", params)  # noqa: S608
        return cursor.fetchone()[0]


def _sqlite_page(match: Match, limit: int, offset: int) -> list[tuple]:
    coverage, coverage_params = _coverage(match, "instr")
    where, params = _sqlite_where(match)
    sql = (
        f"SELECT d.kind, d.object_id, ({coverage} + {_SQLITE_BM25}) * d.boost AS score, "  # noqa: S608
        f"d.display_text FROM {_SQLITE_FROM} WHERE {where} ORDER BY score DESC, d.id LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*coverage_params, *params, limit, offset])
        return cursor.fetchall()


def _sqlite_rebuild() -> None:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_document_fts(search_document_fts) VALUES ('rebuild')")


# --- PostgreSQL tsvector ---------------------------------------------------------------------
# ts_rank's weights are {D, C, B, A}; body is C, keywords B, title A (migration 0002). ts_rank
# is at most 1: × 10 puts it on the scale of the coverage, as BM25 is.
_PG_WEIGHTS = f"'{{0.1, {BODY_WEIGHT / TITLE_WEIGHT}, {KEYWORD_WEIGHT / TITLE_WEIGHT}, 1.0}}'::float4[]"
_PG_RANK = f"10 * ts_rank({_PG_WEIGHTS}, d.search_vector, q.query)"


def _pg_query(match: Match) -> str:
    one = "plainto_tsquery('simple'::regconfig, %s)"
    return (" && " if match.every else " || ").join([one] * len(match.terms))


def _pg_from_where(match: Match) -> tuple[str, list]:
    filters, params = _filters(match, "d.kind = ANY(%s)")
    return (
        f"search_searchdocument d, (SELECT {_pg_query(match)}) AS q(query) "
        f"WHERE d.search_vector @@ q.query AND {filters}",
        [*match.terms, list(match.kinds), *params],
    )


def _pg_count(match: Match) -> int:
    from_where, params = _pg_from_where(match)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {from_where}", params)  # noqa: S608
        return cursor.fetchone()[0]


def _pg_page(match: Match, limit: int, offset: int) -> list[tuple]:
    coverage, coverage_params = _coverage(match, "strpos")
    from_where, params = _pg_from_where(match)
    sql = (
        f"SELECT d.kind, d.object_id, ({coverage} + {_PG_RANK}) * d.boost AS score, "  # noqa: S608
        f"d.display_text FROM {from_where} ORDER BY score DESC, d.id LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*coverage_params, *params, limit, offset])
        return cursor.fetchall()


def _pg_rebuild() -> None:
    """The generated column is always current: nothing to rebuild."""


_BACKENDS = {
    "sqlite": (_sqlite_count, _sqlite_page, _sqlite_rebuild),
    "postgresql": (_pg_count, _pg_page, _pg_rebuild),
}


def _backend():
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        raise NotImplementedError(f"全文检索不支持数据库 {connection.vendor}（仅 SQLite、PostgreSQL）")


def count(match: Match) -> int:
    return _backend()[0](match)


def page(match: Match, *, limit: int, offset: int) -> list[tuple]:
    return _backend()[1](match, limit, offset)


def rebuild() -> None:
    _backend()[2]()
