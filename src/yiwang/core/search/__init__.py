"""全文检索: Chinese full-text search over anything a package chooses to index.

DESIGN.md ("Chinese text search"): text is segmented with jieba, the segmented text is stored
in `SearchDocument`, and the database indexes it — an FTS5 table on SQLite, a `tsvector`
('simple' configuration, weights A/B/C) with a GIN index on PostgreSQL. Callers never see
which: they use `yiwang.core.search.services` (`index`, `remove`, `search`, `popularity_set`,
`rebuild`) and `yiwang.core.search.segment.highlight` for snippets.
"""
