"""Sign-ins, failed sign-ins, sign-outs, lock-outs and refused requests are logged."""

import json
import logging

import pytest
from django.urls import reverse

from security.logformat import JsonFormatter

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def events(caplog) -> list[tuple[str, dict]]:
    return [
        (record.event, record.facts)
        for record in caplog.records
        if record.name == "serviceplans.security"
    ]


def refusals(caplog) -> list[tuple[str, dict]]:
    return [(event, facts) for event, facts in events(caplog) if event == "access_refused"]


@pytest.fixture
def log(caplog):
    caplog.set_level(logging.INFO, logger="serviceplans.security")
    return caplog


def test_sign_in_and_sign_out_are_logged(client, world, log):
    client.post(reverse("login"), {"username": "member", "password": PASSWORD})
    client.post(reverse("logout"))
    assert events(log) == [
        ("sign_in", {"username": "member", "ip": "127.0.0.1"}),
        ("sign_out", {"username": "member", "ip": "127.0.0.1"}),
    ]


def test_a_failed_sign_in_is_logged_without_the_password(client, world, log):
    client.post(reverse("login"), {"username": "member", "password": "guess-123"})
    assert events(log) == [("sign_in_failed", {"username": "member", "ip": "127.0.0.1"})]
    assert "guess-123" not in log.text
    assert log.records[-1].levelno == logging.WARNING


def test_a_typed_line_break_cannot_forge_a_log_line(client, world, log):
    client.post(reverse("login"), {"username": "x\nINFO sign_in username='admin'", "password": "p"})
    line = next(r.getMessage() for r in log.records if r.name == "serviceplans.security")
    assert "\n" not in line and "\\n" in line


def test_behind_the_proxy_the_address_is_the_one_the_proxy_added(client, world, log, settings):
    settings.BEHIND_PROXY = True
    client.post(
        reverse("login"),
        {"username": "member", "password": "wrong"},
        headers={"x-forwarded-for": "6.6.6.6, 10.0.0.7"},
    )
    assert events(log)[0][1]["ip"] == "10.0.0.7"  # not the 6.6.6.6 the visitor claimed


def test_without_the_proxy_setting_forwarded_addresses_are_ignored(client, world, log):
    client.post(
        reverse("login"),
        {"username": "member", "password": "wrong"},
        headers={"x-forwarded-for": "10.0.0.7"},
    )
    assert events(log)[0][1]["ip"] == "127.0.0.1"


def test_permission_denied_is_logged_with_the_user(client, world, log):
    client.force_login(world.member)
    assert client.get(reverse("plans:planning-round")).status_code == 403
    assert refusals(log) == [
        (
            "access_refused",
            {
                "status": 403,
                "username": "member",
                "method": "GET",
                "path": "/round/",
                "ip": "127.0.0.1",
            },
        )
    ]


def test_another_services_plan_is_a_logged_404(client, world, log):
    client.force_login(world.officer_b)
    url = reverse("portal:plan-workspace", args=[world.plan_a.pk])
    assert client.get(url).status_code == 404
    ((event, facts),) = refusals(log)
    assert event == "access_refused"
    assert facts["status"] == 404 and facts["username"] == "officer_b" and facts["path"] == url


def test_allowed_requests_are_not_logged_as_refused(client, world, log):
    client.force_login(world.officer_a)
    assert client.get(reverse("portal:plan-workspace", args=[world.plan_a.pk])).status_code == 200
    assert refusals(log) == []


def test_json_lines_carry_the_facts_as_fields():
    logger = logging.getLogger("serviceplans.security")
    record = logger.makeRecord(
        logger.name,
        logging.WARNING,
        __file__,
        1,
        "sign_in_failed username='a\"b'",
        (),
        None,
        extra={"event": "sign_in_failed", "facts": {"username": 'a"b', "ip": "10.0.0.7"}},
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["event"] == "sign_in_failed"
    assert entry["username"] == 'a"b' and entry["ip"] == "10.0.0.7"
    assert entry["level"] == "WARNING" and entry["logger"] == "serviceplans.security"
