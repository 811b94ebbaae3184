import pytest


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Production serves hashed static files after collectstatic; tests render without it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
