import pytest


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Production serves hashed static files after collectstatic; tests render without it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="module")
def demo_council(django_db_setup, django_db_blocker):
    """The demo council, loaded once per test module and rolled back after it."""
    import io

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
