"""The table the rate limits count in (settings.CACHES["rate_limits"], a database cache), made
by `migrate` so that no deployment step can forget `createcachetable`."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_table(apps, schema_editor):
    call_command(
        "createcachetable",
        settings.RATE_LIMIT_CACHE_TABLE,
        database=schema_editor.connection.alias,
        verbosity=0,
    )


def drop_table(apps, schema_editor):
    schema_editor.execute(
        f"DROP TABLE IF EXISTS {schema_editor.quote_name(settings.RATE_LIMIT_CACHE_TABLE)}"
    )


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
