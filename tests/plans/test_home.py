import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_home_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_page_has_a_labelled_form(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'for="id_username"' in response.content
    assert b"Skip to main content" in response.content


def test_signed_in_user_sees_the_current_year(client):
    factories.FinancialYearFactory(start_year=2012, is_current=True)
    client.force_login(factories.UserFactory())
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert "Service plans 2012/13" in response.content.decode()


def test_at_a_new_year_a_member_is_told_nothing_is_published_yet_and_where_last_years_is(
    client,
):
    last = factories.FinancialYearFactory(start_year=2011)
    factories.FinancialYearFactory(start_year=2012, is_current=True)
    factories.ServicePlanFactory(year=last, published=True)
    client.force_login(factories.UserFactory())
    page = client.get(reverse("portal:home")).content.decode()
    assert "No plan for 2012/13 is published yet" in page
    assert "?year=2011" in page and "Read the 2011/12 plans" in page
