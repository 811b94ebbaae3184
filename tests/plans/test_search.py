"""Search of published plans: whole stemmed words, ranked, each hit with a highlighted snippet,
read from the stored full-text index that the database keeps up to date on every write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation.fulltext import search_words
from organisation.models import Service
from plans.browse import search_published
from plans.models import Action, Objective, ServicePlan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world):
    """Service A's published 2012/13 plan; service B's 2012/13 plan stays a draft."""
    ServicePlan.objects.filter(pk=world.plan_a.pk).update(
        status="published", endorsed_by=world.cabinet, endorsed_on="2012-03-08"
    )
    world.plan_a.refresh_from_db()
    return world.plan_a


def texts(text, year):
    return [hit.text for hit in search_published(text, year)]


def test_whole_words_only(published, world):
    factories.ActionFactory(plan=published, title="Review the combined waste contract")
    assert texts("bin", world.year) == []
    assert texts("combined", world.year) == ["Review the combined waste contract"]


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("fly-tipping", "Reduce Fly-tips on the highway"),
        ("licences", "Renew the premises licence register"),
        ("licence", "Inspect licences of taxis"),
        ("Fly tips", "Tackle fly-tipping in lay-bys"),
    ],
)
def test_stemmed_and_hyphenated_words_match(published, world, typed, stored):
    factories.ActionFactory(plan=published, title=stored)
    assert texts(typed, world.year) == [stored]


def test_every_word_must_match(published, world):
    factories.ObjectiveFactory(plan=published, title="Cleaner streets")
    factories.ObjectiveFactory(plan=published, title="Cleaner parks")
    assert texts("cleaner parks", world.year) == ["Cleaner parks"]


@pytest.mark.parametrize(
    "typed",
    ['"', '"waste', "waste*", "* waste", "waste AND", "AND OR NOT", "NEAR(waste", "(waste",
     "waste)", "title:waste", "^waste", "-waste", "waste + -", "'", "\\", "%", "_", "::"],
)  # fmt: skip
def test_query_syntax_is_read_as_plain_words(published, world, client, typed):
    factories.ActionFactory(plan=published, title="Waste collection")
    found = texts(typed, world.year)
    assert found in ([], ["Waste collection"])
    if search_words(typed.lower()) == ["waste"]:
        assert found == ["Waste collection"]
    client.force_login(world.member)
    assert client.get(reverse("portal:search"), {"q": typed}).status_code == 200


def test_plans_are_found_by_their_text_and_their_services_name(published, world):
    ServicePlan.objects.filter(pk=published.pk).update(introduction="We regulate taxis.")
    assert texts("taxi", world.year) == [str(published)]
    assert texts("licensing", world.year) == [str(published)]


def test_best_match_first(published, world):
    factories.ActionFactory(plan=published, title="Recycling: recycling bins and recycling bags")
    factories.ActionFactory(plan=published, title="Report on the garden waste and recycling pilot")
    assert texts("recycling", world.year)[0] == "Recycling: recycling bins and recycling bags"


def test_snippet_marks_the_matching_words(published, world):
    factories.ActionFactory(plan=published, title="Reduce fly-tips in the district")
    [hit] = search_published("fly-tipping", world.year)
    assert "<mark>fly</mark>" in hit.snippet.lower()
    assert "<mark>tips</mark>" in hit.snippet.lower()
    assert "district" in hit.snippet


def test_plan_snippet_is_the_text_around_the_match(published, world):
    ServicePlan.objects.filter(pk=published.pk).update(
        introduction="The service keeps the district safe. " * 20 + "We license taxi drivers.",
        key_achievements="Fewer complaints.",
    )
    [hit] = search_published("taxis", world.year)
    assert "<mark>taxi</mark>" in hit.snippet
    assert len(hit.snippet) < 400


def test_typed_markup_is_escaped_in_title_and_snippet(published, world, client):
    title = 'Stop <script>alert("x")</script> & <b>fly-tipping</b>'
    factories.ActionFactory(plan=published, title=title)
    ServicePlan.objects.filter(pk=published.pk).update(introduction=f"Plan: {title}")
    hits = search_published("fly-tipping", world.year)
    assert len(hits) == 2
    for hit in hits:
        assert "<script>" not in hit.snippet and "<b>" not in hit.snippet
        assert "&lt;/script&gt;" in hit.snippet and "&amp;" in hit.snippet
        assert "<mark>" in hit.snippet
    client.force_login(world.member)
    page = client.get(reverse("portal:search"), {"q": "fly-tipping"}).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(" in page
    assert "<mark>fly</mark>" in page.lower()


def test_only_published_plans_are_searched(published, world, client):
    """A draft, a returned and a superseded version each hold a marker word: never found."""
    superseded = factories.ServicePlanFactory(
        service=world.service_b,
        year=world.year,
        version=2,
        status="superseded",
        endorsed_by=world.cabinet,
        endorsed_on="2012-03-08",
        introduction="Zanzibar superseded introduction",
    )
    ServicePlan.objects.filter(pk=world.plan_b.pk).update(status="returned")
    for plan in (world.plan_b, superseded):
        factories.ObjectiveFactory(plan=plan, title="Zanzibar objective")
        factories.ActionFactory(plan=plan, title="Zanzibar action")
    ServicePlan.objects.filter(pk=world.plan_b.pk).update(introduction="Zanzibar returned")
    factories.ServicePlanFactory(
        service=world.service_a, year=world.next_year, introduction="Zanzibar draft"
    )
    factories.ActionFactory(plan=published, title="Published action")
    assert texts("zanzibar", world.year) == []
    assert texts("zanzibar", None) == []
    client.force_login(world.member)
    page = client.get(reverse("portal:search"), {"q": "Zanzibar", "year": 2012}).content.decode()
    for secret in ("Zanzibar objective", "Zanzibar action", "Zanzibar returned", "Zanzibar draft"):
        assert secret not in page
    assert "superseded introduction" not in page
    assert "Nothing matches" in page


class TestTheIndexFollowsTheText:
    """Every kind of write keeps the stored index right: save(), update(), bulk_create(),
    delete(), raw SQL and renaming the service."""

    def test_save_and_update(self, published, world):
        action = factories.ActionFactory(plan=published, title="Graffiti removal")
        action.title = "Abandoned vehicles"
        action.save()
        assert texts("graffiti", world.year) == []
        Action.objects.filter(pk=action.pk).update(title="Dog fouling patrols")
        assert texts("vehicles", world.year) == []
        assert texts("dog", world.year) == ["Dog fouling patrols"]

    def test_bulk_create_and_delete(self, published, world):
        Objective.objects.bulk_create(
            [Objective(plan=published, title=f"Hedgerow survey {n}") for n in range(3)]
        )
        assert len(texts("hedgerows", world.year)) == 3
        Objective.objects.filter(plan=published).delete()
        assert texts("hedgerows", world.year) == []

    def test_raw_sql(self, published, world):
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE plans_serviceplan SET structure = %s WHERE id = %s",
                ["Three enforcement officers", published.pk],
            )
        assert texts("enforcement", world.year) == [str(published)]

    def test_renaming_the_service(self, published, world):
        Service.objects.filter(pk=world.service_a.pk).update(name="Taxi Licensing")
        published.refresh_from_db()
        assert texts("taxi", world.year) == [str(published)]
        assert "Taxi" in str(published)

    def test_deleting_a_plan(self, published, world):
        plan = factories.ServicePlanFactory(
            service=factories.ServiceFactory(name="Parking"), year=world.year, published=True
        )
        factories.ActionFactory(plan=plan, title="Parking permits online")
        plan.actions.all().delete()
        plan.objectives.all().delete()
        plan.delete()
        assert texts("parking", world.year) == []


def search_page_queries(client, text) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("portal:search"), {"q": text, "year": 2012})
    assert response.status_code == 200
    return len(captured)


def test_search_page_queries_stay_flat_with_more_plans(published, world, client):
    client.force_login(world.member)
    factories.ActionFactory(plan=published, title="Waste collection")
    few = search_page_queries(client, "waste")
    for n in range(5):
        plan = factories.ServicePlanFactory(
            service=factories.ServiceFactory(), year=world.year, published=True
        )
        objective = factories.ObjectiveFactory(plan=plan, title=f"Waste strategy {n}")
        factories.ActionFactory(plan=plan, objective=objective, title=f"Waste round {n}")
        factories.IndicatorFactory(service=plan.service, title=f"Waste recycled {n}")
    assert search_page_queries(client, "waste") == few == 9


def test_search_page_shows_a_snippet_per_result(published, world, client):
    ServicePlan.objects.filter(pk=published.pk).update(introduction="We license taxi drivers.")
    factories.ActionFactory(plan=published, title="Check taxi meters")
    client.force_login(world.member)
    page = client.get(reverse("portal:search"), {"q": "taxis"}).content.decode()
    assert "We license <mark>taxi</mark> drivers." in page
    assert "Check <mark>taxi</mark> meters" in page


def test_indicators_are_found_by_whole_stemmed_words_and_highlighted(published, world, client):
    indicator = factories.IndicatorFactory(
        service=world.service_a, code="LPI LI01", title="Licences <b>issued</b> & combined"
    )
    client.force_login(world.member)

    def page(text):
        return client.get(reverse("portal:search"), {"q": text}).content.decode()

    assert "LPI LI01 <mark>Licences</mark> &lt;b&gt;issued&lt;/b&gt; &amp; combined" in page(
        "licence"
    )
    assert "LPI LI01" not in page("bin")
    assert "LPI LI01" in page("li01")
    indicator.title = "Taxi licences"
    indicator.save()
    assert "LPI LI01" not in page("combined")
    assert "<mark>Taxi</mark> licences" in page("taxis")


def test_search_reads_the_stored_index(published, world):
    """PostgreSQL: each query compares the stored vector, never computing one at query time
    (which index the planner picks depends on the data: bench/bench_search.py --explain shows
    the GIN index at a county's size); SQLite: each looks the words up in the FTS5 index."""
    from plans import browse

    factories.ActionFactory(plan=published, title="Waste collection")
    published_pks = ServicePlan.objects.published().order_by().values("pk").query
    postgresql = connection.vendor == "postgresql"
    search = browse._search_postgresql if postgresql else browse._search_sqlite
    with connection.cursor() as cursor:
        for _, table in browse.SEARCHED:
            sql, params = search(table, ["waste"], published_pks.sql_with_params())
            cursor.execute(("EXPLAIN " if postgresql else "EXPLAIN QUERY PLAN ") + sql, params)
            plan = " ".join(str(column) for row in cursor.fetchall() for column in row)
            if postgresql:
                assert "search_vector @@ '''wast'''::tsquery" in plan
                assert "to_tsvector" not in plan
            else:
                assert f"{table}_search VIRTUAL TABLE INDEX" in plan
