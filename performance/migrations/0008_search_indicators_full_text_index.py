"""The stored full-text index that the indicators' search (performance.selectors.
search_indicators) reads: each indicator's code and title.

The database keeps it up to date itself, so that every route that writes an indicator (the
import, the admin, the editor's proposals when a plan is published, bulk updates) keeps it
right: on SQLite an FTS5 table with the Porter stemmer (rowid = the indicator's id) filled by
triggers; on PostgreSQL a generated tsvector column with a GIN index named after the search.

Django's SQLite schema editor rebuilds a table for most column changes, which drops the
table's triggers: a later migration that alters performance_indicator on SQLite must create
this migration's triggers again (the search tests fail if it does not).
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE performance_indicator_search
        USING fts5(code, title, tokenize='porter unicode61')""",
    """CREATE TRIGGER performance_indicator_search_insert AFTER INSERT ON performance_indicator
    BEGIN
        INSERT INTO performance_indicator_search (rowid, code, title)
        VALUES (new.id, new.code, new.title);
    END""",
    """CREATE TRIGGER performance_indicator_search_update
        AFTER UPDATE OF code, title ON performance_indicator BEGIN
        UPDATE performance_indicator_search SET code = new.code, title = new.title
        WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER performance_indicator_search_delete AFTER DELETE ON performance_indicator
    BEGIN
        DELETE FROM performance_indicator_search WHERE rowid = old.id;
    END""",
    """INSERT INTO performance_indicator_search (rowid, code, title)
        SELECT id, code, title FROM performance_indicator""",
]
SQLITE_BACKWARD = [
    *(f"DROP TRIGGER performance_indicator_search_{e}" for e in ("insert", "update", "delete")),
    "DROP TABLE performance_indicator_search",
]
POSTGRESQL_FORWARD = [
    # The code weighs more (A) than the title (B).
    """ALTER TABLE performance_indicator ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (setweight(to_tsvector('english', code), 'A')
                             || setweight(to_tsvector('english', title), 'B')) STORED""",
    """CREATE INDEX performance_indicator_search_indicators_gin
        ON performance_indicator USING gin (search_vector)""",
]
POSTGRESQL_BACKWARD = ["ALTER TABLE performance_indicator DROP COLUMN search_vector"]

STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
}


def run(direction: int):
    def operation(apps, schema_editor):
        for statement in STATEMENTS[schema_editor.connection.vendor][direction]:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("performance", "0007_actual_by_period_index")]

    operations = [migrations.RunPython(run(0), run(1))]
