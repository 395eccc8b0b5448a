"""The full-text index of SearchDocument, per database (DESIGN.md "Chinese text search").

SQLite: an external-content FTS5 table over the three token columns, kept in step with
search_searchdocument by triggers (the FTS5 documentation's pattern), so every write through
the ORM — update_or_create, delete, bulk delete — updates the index. An update that changes
no token column (the popularity boost) leaves the index alone.

PostgreSQL: a stored generated tsvector column, title A / keywords B / body C, 'simple'
configuration (the tokens are already segmented; no stemming or stop words), with a GIN index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_document_fts USING fts5(
        title_tokens, keyword_tokens, body_tokens,
        content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER search_document_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_document_fts(rowid, title_tokens, keyword_tokens, body_tokens)
        VALUES (new.id, new.title_tokens, new.keyword_tokens, new.body_tokens);
    END""",
    """CREATE TRIGGER search_document_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_document_fts(search_document_fts, rowid, title_tokens, keyword_tokens, body_tokens)
        VALUES ('delete', old.id, old.title_tokens, old.keyword_tokens, old.body_tokens);
    END""",
    """CREATE TRIGGER search_document_fts_update
    AFTER UPDATE OF title_tokens, keyword_tokens, body_tokens ON search_searchdocument BEGIN
        INSERT INTO search_document_fts(search_document_fts, rowid, title_tokens, keyword_tokens, body_tokens)
        VALUES ('delete', old.id, old.title_tokens, old.keyword_tokens, old.body_tokens);
        INSERT INTO search_document_fts(rowid, title_tokens, keyword_tokens, body_tokens)
        VALUES (new.id, new.title_tokens, new.keyword_tokens, new.body_tokens);
    END""",
    "INSERT INTO search_document_fts(search_document_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_fts_update",
    "DROP TRIGGER IF EXISTS search_document_fts_delete",
    "DROP TRIGGER IF EXISTS search_document_fts_insert",
    "DROP TABLE IF EXISTS search_document_fts",
]

POSTGRESQL_FORWARD = [
    """ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_tokens), 'A')
        || setweight(to_tsvector('simple'::regconfig, keyword_tokens), 'B')
        || setweight(to_tsvector('simple'::regconfig, body_tokens), 'C')
    ) STORED""",
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (search_vector)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        ),
    ]
