import pytest

# A real SMTP server for tests of mail: the smtp_server and smtp_mail fixtures.
from tests.mailserver import smtp_mail, smtp_server  # noqa: F401

# A real OpenID Connect provider for tests of single sign-on (tests/oidc_provider.py).
from tests.oidc_provider import oidc_provider, single_sign_on, token_proxy  # noqa: F401

# The real Redis for tests of the shared cache: the redis_cache fixture.
from tests.shared_cache import redis_cache  # noqa: F401


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs a third of a second a user; tests create many users."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        # still checks the demo accounts, hashed before this fixture applies
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def no_reminder_thread(settings):
    """Tests run the reminder job themselves, on the day they choose."""
    settings.REMINDERS_IN_PROCESS = False


@pytest.fixture(autouse=True)
def empty_cache():
    """Pages cached by one test must not be served to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# The council's name in tests that load no demo: an install whose environment names it.
TEST_COUNCIL_NAME = "Riverside Borough Council"


@pytest.fixture(autouse=True)
def council_settings_cached(request, empty_cache, settings):
    """Pages read the council's settings from the cache (organisation.council). Each test
    starts with them read already — from the database when the test has one (the demo's row,
    or none), else as "no row" — so a page costs the same queries the first time as after.
    Until a test saves a row, the environment's values apply: `settings` overrides work."""
    from django.core.cache import cache

    from organisation import council

    settings.COUNCIL_NAME = TEST_COUNCIL_NAME
    if request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
        "demo_council",
    } & set(request.fixturenames):
        blocker = request.getfixturevalue("django_db_blocker")
        request.getfixturevalue("django_db_setup")
        with blocker.unblock():
            council.council_settings()
    else:
        cache.set(council.CACHE_KEY, council.NO_ROW, council.CACHE_SECONDS)


@pytest.fixture(autouse=True)
def media_outside_the_checkout(settings, tmp_path):
    """Uploads and rendered reports go to the test's own folder, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"


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


class World:
    """Two services under two heads of service, and one person of each persona.

    officer_a edits service A; officer_b edits service B; head leads service A's portfolio.
    plan_a and plan_b are 2012/13 drafts; published_a is service A's published 2011/12 plan.
    """

    def __init__(self):
        from django.contrib.auth.models import Group

        from organisation import access
        from tests import factories

        self.year = factories.FinancialYearFactory(start_year=2012, is_current=True)
        self.last_year = factories.FinancialYearFactory(start_year=2011)
        self.next_year = factories.FinancialYearFactory(start_year=2013)
        groups = {name: Group.objects.get_or_create(name=name)[0] for name in access.ROLE_GROUPS}

        def person(username, group):
            user = factories.UserFactory(username=username)
            user.groups.add(groups[group])
            return user

        self.admin = person("admin", access.ADMINISTRATORS)
        self.head = person("head", access.HEADS_OF_SERVICE)
        self.officer_a = person("officer_a", access.OFFICERS)
        self.officer_b = person("officer_b", access.OFFICERS)
        self.member = person("member", access.MEMBERS)
        self.service_a = factories.ServiceFactory(
            name="Licensing", head_of_service=factories.HeadOfServiceFactory(user=self.head)
        )
        self.service_b = factories.ServiceFactory(name="Finance")
        self.service_a.editors.add(self.officer_a)
        self.service_b.editors.add(self.officer_b)
        self.cabinet = factories.CommitteeFactory(name="Cabinet", kind="cabinet")
        self.plan_a = factories.ServicePlanFactory(service=self.service_a, year=self.year)
        self.plan_b = factories.ServicePlanFactory(service=self.service_b, year=self.year)
        self.published_a = factories.ServicePlanFactory(
            service=self.service_a, year=self.last_year, published=True
        )

    def persona(self, name):
        """The persona's user; None for anonymous and for public (anonymous, public pages on)."""
        return None if name in ("anonymous", "public") else getattr(self, name)


PERSONAS = ("admin", "head", "officer_a", "officer_b", "member", "anonymous")


@pytest.fixture
def world(db):
    return World()
