"""Let Django's test runner empty a *test* database: it flushes between transactional tests
(live-server browser tests, concurrency tests) with one TRUNCATE of every table, which the
BEFORE TRUNCATE trigger of 0002 refused, failing every such test on PostgreSQL.

TRUNCATE stays refused in every database whose name does not start with `test_` (Django's
test-database prefix); UPDATE and DELETE stay refused everywhere. The trigger guards against
accidents, not attackers (who can drop it): the hash chain is what catches them.
"""

from django.db import migrations

TRUNCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_record_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_database() LIKE 'test\\_%' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit records are append-only';
END; $$ LANGUAGE plpgsql
"""

FORWARD = [
    TRUNCATE_FUNCTION,
    "DROP TRIGGER IF EXISTS audit_record_no_truncate ON audit_auditrecord",
    """CREATE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_auditrecord
       FOR EACH STATEMENT EXECUTE FUNCTION audit_record_no_truncate()""",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_record_no_truncate ON audit_auditrecord",
    """CREATE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_auditrecord
       FOR EACH STATEMENT EXECUTE FUNCTION audit_record_append_only()""",
    "DROP FUNCTION IF EXISTS audit_record_no_truncate()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)  # the LIKE pattern has a literal %

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
