"""A walk over every endpoint of the API as each persona and with no sign-in.

Service A's 2012/13 plan is a draft with a marker word in it (tests/api/conftest.py): in an
action's title, in the commentary of its 2012/13 figures, and in the title of an unpublished
committee pack that shows it. Whoever may not read the draft (service B's officer, a member,
a visitor) never finds the word in any answer, whatever they ask for; its own staff do, so the
walk could fail.
"""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from api.services import create_token
from tests.api.conftest import MARKER
from tests.conftest import PERSONAS

SIGNED_IN = (200, 200, 200, 200, 200)
NOT_SIGNED_IN = 401  # the API's answer; the documentation pages send visitors to sign in

# name, its address's arguments from the ApiWorld, query parameters, statuses in PERSONAS
# order: admin, head (of service A), officer_a, officer_b, member, anonymous.
WALK = [
    ("api:service-list", lambda w: [], {}, (*SIGNED_IN, 401)),
    ("api:directorate-list", lambda w: [], {}, (*SIGNED_IN, 401)),
    ("api:head-of-service-list", lambda w: [], {}, (*SIGNED_IN, 401)),
    ("api:committee-list", lambda w: [], {}, (*SIGNED_IN, 401)),
    ("api:plan-list", lambda w: [], {}, (*SIGNED_IN, 401)),
    ("api:plan-list", lambda w: [], {"year": 2012, "service": "LIC"}, (*SIGNED_IN, 401)),
    ("api:plan-list", lambda w: [], {"status": "draft"}, (*SIGNED_IN, 401)),
    ("api:plan-detail", lambda w: [2012, "LIC"], {}, (200, 200, 200, 404, 404, 401)),
    ("api:plan-detail", lambda w: [2012, "LIC"], {"version": 1}, (200, 200, 200, 404, 404, 401)),
    ("api:plan-detail", lambda w: [2012, "FIN"], {}, (200, 404, 404, 200, 404, 401)),
    ("api:plan-detail", lambda w: [2011, "LIC"], {}, (*SIGNED_IN, 401)),
    ("api:indicator-list", lambda w: [], {}, (*SIGNED_IN, 401)),
    ("api:indicator-list", lambda w: [], {"year": 2012, "as_at": "2012-08"}, (*SIGNED_IN, 401)),
    ("api:indicator-list", lambda w: [], {"year": 2011, "as_at": "2012-03"}, (*SIGNED_IN, 401)),
    (
        "api:indicator-detail",
        lambda w: ["LIC 01"],
        {"year": 2012},
        (200, 200, 200, 404, 404, 401),
    ),
    ("api:indicator-detail", lambda w: ["LIC 01"], {"year": 2011}, (*SIGNED_IN, 401)),
    (
        "api:resources-detail",
        lambda w: [2012, w.world.service_a.head_of_service_id],
        {},
        (200, 404, 404, 404, 404, 401),
    ),
    (
        "api:resources-detail",
        lambda w: [2011, w.world.service_a.head_of_service_id],
        {},
        (*SIGNED_IN, 401),
    ),
    ("api:report-list", lambda w: [], {}, (*SIGNED_IN, 401)),
    ("api:report-list", lambda w: [], {"year": 2012}, (*SIGNED_IN, 401)),
    ("api:schema", lambda w: [], {}, (*SIGNED_IN, 401)),
    ("api:docs", lambda w: [], {}, (*SIGNED_IN, 302)),
    ("api:redoc", lambda w: [], {}, (*SIGNED_IN, 302)),
]
# Who may not read service A's draft.
MAY_NOT_READ_THE_DRAFT = {"officer_b", "member", "anonymous"}
HTML_PAGES = {"api:docs", "api:redoc"}


def api_url_names() -> set[str]:
    (api,) = [
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "api"
    ]
    return {f"api:{pattern.name}" for pattern in api.url_patterns}


def test_the_walk_reaches_every_endpoint():
    assert api_url_names() - {name for name, *_ in WALK} == set()


def _get(client, name, address, params, **headers):
    accept = {} if name in HTML_PAGES else {"HTTP_ACCEPT": "application/json"}
    return client.get(address, params, **accept, **headers)


CASES = [
    pytest.param(name, args, params, persona, expected[index], id=f"{name}-{n}-{persona}")
    for n, (name, args, params, expected) in enumerate(WALK)
    for index, persona in enumerate(PERSONAS)
]


@pytest.mark.parametrize(("name", "args", "params", "persona", "expected"), CASES)
def test_the_walk(client, api_world, name, args, params, persona, expected):
    user = api_world.world.persona(persona)
    if user is not None:
        client.force_login(user)
    response = _get(client, name, reverse(name, args=args(api_world)), params)
    assert response.status_code == expected
    if persona in MAY_NOT_READ_THE_DRAFT:
        assert MARKER not in response.content.decode()


@pytest.mark.parametrize(
    ("name", "args", "params"),
    [
        ("api:plan-detail", [2012, "LIC"], {}),
        ("api:plan-list", [], {"year": 2012}),
        ("api:indicator-detail", ["LIC 01"], {"year": 2012}),
        ("api:indicator-list", [], {"year": 2012, "as_at": "2012-08"}),
    ],
)
def test_the_drafts_own_staff_find_the_marker(client, api_world, name, args, params):
    """The walk above could fail: the marker is there for those who may read the draft."""
    client.force_login(api_world.world.officer_a)
    response = _get(client, name, reverse(name, args=args), params)
    assert MARKER in response.content.decode()


def test_administrators_find_the_unpublished_pack_only_on_the_reports_page(client, api_world):
    """The marker in an unpublished pack's title: the API lists published reports only."""
    client.force_login(api_world.world.admin)
    assert MARKER in client.get(reverse("reports:reports")).content.decode()
    assert (
        MARKER
        not in _get(client, "api:report-list", reverse("api:report-list"), {}).content.decode()
    )


@pytest.mark.parametrize("persona", ["officer_b", "member"])
def test_a_token_reads_what_its_persons_session_reads(client, api_world, persona):
    user = api_world.world.persona(persona)
    _, token = create_token(user=user, name="Power BI", days=5)
    client.force_login(user)
    for name, args, params, _ in WALK:
        if name in HTML_PAGES:
            continue
        address = reverse(name, args=args(api_world))
        by_session = _get(client, name, address, params)
        by_token = _get(
            client.__class__(), name, address, params, HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert (by_token.status_code, by_token.content) == (
            by_session.status_code,
            by_session.content,
        ), address
