"""The stored full-text index that search (plans.browse.search_published) reads: each plan
(its service's name, then its introduction, key achievements and structure), each objective's
title and each action's title.

The database keeps it up to date itself, so that every route that writes the text (the editor,
imports, the admin, commands, the API, roll-forward, bulk updates and raw SQL) keeps it right:

- SQLite: one FTS5 table per kind with the Porter stemmer (`plans_serviceplan_search`,
  `plans_objective_search`, `plans_action_search`, rowid = the row's id), filled by triggers on
  insert, update and delete, and on renaming a service.
- PostgreSQL: a stored `search_vector` tsvector (English) with a GIN index named after the
  search. Objectives and actions compute it as a generated column; a plan's also needs its
  service's name, which a generated column cannot read, so a trigger computes it, and another
  recomputes it when a service is renamed.

Django's SQLite schema editor rebuilds a table for most column changes, which drops the
table's triggers: a later migration that alters plans_serviceplan, plans_objective, plans_action
or plans_service on SQLite must create this migration's triggers again (the search
tests fail if it does not).
"""

from django.db import migrations

SQLITE_FORWARD = [
    # Plans: the service's name and the body, in two columns so that the name weighs more.
    """CREATE VIRTUAL TABLE plans_serviceplan_search
        USING fts5(service_name, body, tokenize='porter unicode61')""",
    """CREATE TRIGGER plans_serviceplan_search_insert AFTER INSERT ON plans_serviceplan BEGIN
        INSERT INTO plans_serviceplan_search (rowid, service_name, body)
        SELECT new.id, service.name,
               new.introduction || char(10) || new.key_achievements || char(10) || new.structure
        FROM plans_service service WHERE service.id = new.service_id;
    END""",
    """CREATE TRIGGER plans_serviceplan_search_update
        AFTER UPDATE OF service_id, introduction, key_achievements, structure
        ON plans_serviceplan BEGIN
        UPDATE plans_serviceplan_search SET
            service_name = (SELECT name FROM plans_service WHERE id = new.service_id),
            body = new.introduction || char(10) || new.key_achievements || char(10)
                   || new.structure
        WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER plans_serviceplan_search_delete AFTER DELETE ON plans_serviceplan BEGIN
        DELETE FROM plans_serviceplan_search WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER plans_serviceplan_search_service_renamed
        AFTER UPDATE OF name ON plans_service BEGIN
        UPDATE plans_serviceplan_search SET service_name = new.name
        WHERE rowid IN (SELECT id FROM plans_serviceplan WHERE service_id = new.id);
    END""",
    """INSERT INTO plans_serviceplan_search (rowid, service_name, body)
        SELECT plan.id, service.name,
               plan.introduction || char(10) || plan.key_achievements || char(10)
               || plan.structure
        FROM plans_serviceplan plan JOIN plans_service service
             ON service.id = plan.service_id""",
]
for part in ("objective", "action"):
    SQLITE_FORWARD += [
        f"""CREATE VIRTUAL TABLE plans_{part}_search
            USING fts5(title, tokenize='porter unicode61')""",
        f"""CREATE TRIGGER plans_{part}_search_insert AFTER INSERT ON plans_{part} BEGIN
            INSERT INTO plans_{part}_search (rowid, title) VALUES (new.id, new.title);
        END""",
        f"""CREATE TRIGGER plans_{part}_search_update AFTER UPDATE OF title ON plans_{part} BEGIN
            UPDATE plans_{part}_search SET title = new.title WHERE rowid = new.id;
        END""",
        f"""CREATE TRIGGER plans_{part}_search_delete AFTER DELETE ON plans_{part} BEGIN
            DELETE FROM plans_{part}_search WHERE rowid = old.id;
        END""",
        f"INSERT INTO plans_{part}_search (rowid, title) SELECT id, title FROM plans_{part}",
    ]

SQLITE_BACKWARD = [
    "DROP TRIGGER plans_serviceplan_search_service_renamed",
    *(
        f"DROP TRIGGER plans_{part}_search_{event}"
        for part in ("serviceplan", "objective", "action")
        for event in ("insert", "update", "delete")
    ),
    *(f"DROP TABLE plans_{part}_search" for part in ("serviceplan", "objective", "action")),
]

POSTGRESQL_FORWARD = [
    # A plan's vector: its service's name weighs most (A), its text next (B).
    """CREATE FUNCTION plans_serviceplan_search_vector(
            service_name text, introduction text, key_achievements text, structure text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
            SELECT setweight(to_tsvector('english', coalesce(service_name, '')), 'A')
                || setweight(to_tsvector('english',
                       concat_ws(' ', introduction, key_achievements, structure)), 'B')
        $$""",
    "ALTER TABLE plans_serviceplan ADD COLUMN search_vector tsvector",
    """CREATE FUNCTION plans_serviceplan_search_vector_trigger() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN
            NEW.search_vector := plans_serviceplan_search_vector(
                (SELECT name FROM plans_service WHERE id = NEW.service_id),
                NEW.introduction, NEW.key_achievements, NEW.structure);
            RETURN NEW;
        END $$""",
    """CREATE TRIGGER plans_serviceplan_search_vector
        BEFORE INSERT OR UPDATE OF service_id, introduction, key_achievements, structure
        ON plans_serviceplan
        FOR EACH ROW EXECUTE FUNCTION plans_serviceplan_search_vector_trigger()""",
    """CREATE FUNCTION plans_serviceplan_search_service_renamed() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN
            UPDATE plans_serviceplan SET search_vector = plans_serviceplan_search_vector(
                NEW.name, introduction, key_achievements, structure)
            WHERE service_id = NEW.id;
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER plans_serviceplan_search_service_renamed
        AFTER UPDATE OF name ON plans_service
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
        EXECUTE FUNCTION plans_serviceplan_search_service_renamed()""",
    """UPDATE plans_serviceplan plan SET search_vector = plans_serviceplan_search_vector(
            service.name, plan.introduction, plan.key_achievements, plan.structure)
        FROM plans_service service WHERE service.id = plan.service_id""",
    """CREATE INDEX plans_serviceplan_search_published_gin
        ON plans_serviceplan USING gin (search_vector)""",
]
for part in ("objective", "action"):
    POSTGRESQL_FORWARD += [
        f"""ALTER TABLE plans_{part} ADD COLUMN search_vector tsvector
            GENERATED ALWAYS AS (setweight(to_tsvector('english', title), 'A')) STORED""",
        f"""CREATE INDEX plans_{part}_search_published_gin
            ON plans_{part} USING gin (search_vector)""",
    ]

POSTGRESQL_BACKWARD = [
    "DROP TRIGGER plans_serviceplan_search_service_renamed ON plans_service",
    "DROP FUNCTION plans_serviceplan_search_service_renamed()",
    "DROP TRIGGER plans_serviceplan_search_vector ON plans_serviceplan",
    "DROP FUNCTION plans_serviceplan_search_vector_trigger()",
    *(
        f"ALTER TABLE plans_{part} DROP COLUMN search_vector"  # its index goes with it
        for part in ("serviceplan", "objective", "action")
    ),
    "DROP FUNCTION plans_serviceplan_search_vector(text, text, text, text)",
]

STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
}


def run(direction: int):
    def operation(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in STATEMENTS[vendor][direction]:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0009_progress_commentary_internal"),
        ("organisation", "0007_council_public_pages_settings"),
    ]

    operations = [migrations.RunPython(run(0), run(1))]
