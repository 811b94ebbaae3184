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
