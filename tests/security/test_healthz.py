"""The health check for the reverse proxy and monitoring: public, plain, no database."""

from django.urls import reverse


def test_answers_ok_without_touching_the_database(client):
    # No db fixture: pytest-django would fail the test on any query.
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_head_works_and_writes_are_refused(client):
    assert client.head(reverse("healthz")).status_code == 200
    assert client.post(reverse("healthz")).status_code == 405
