"""Every page that takes query parameters (filters, year and month choices, search, the
version to compare with), given random and hostile values: never a server error."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests import factories
from tests.conftest import PERSONAS
from tests.fuzz.hostile import hostile_text
from tests.test_permissions import MATRIX

pytestmark = [
    pytest.mark.django_db,
    # a drawn dictionary of long hostile strings is slow to print, and says so
    pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning"),
]

# The names the site's GET forms and links use, and a few it does not.
PARAMETERS = [
    "year",
    "month",
    "period",
    "as_at",
    "q",
    "against",
    "status",
    "head_of_service",
    "service",
    "committee",
    "priority",
    "page",
    "next",
    "format",
    "version",
]

# (url name, arguments, persona): each GET page of the matrix, as the first persona allowed.
# The public pages (allowed only to the matrix's "public" persona, with the pages turned on)
# are fuzzed in tests/residents.
PAGES = []
for name, method, args, expected in MATRIX:
    if method == "get" and 200 in expected[: len(PERSONAS)]:
        persona = PERSONAS[expected.index(200)]
        if (name, persona) not in {(n, p) for n, _, p in PAGES}:
            PAGES.append((name, args, persona))

query = st.dictionaries(
    st.one_of(st.sampled_from(PARAMETERS), hostile_text.filter(lambda text: "\x00" not in text)),
    st.lists(hostile_text, min_size=1, max_size=2),
    max_size=4,
)


@pytest.mark.parametrize(("name", "args", "persona"), PAGES, ids=[p[0] for p in PAGES])
def test_query_parameters_never_break_a_page(client, world, name, args, persona):
    world.action_a = factories.ActionFactory(plan=world.plan_a)
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    url = reverse(name, args=args(world))

    @given(query)
    def run(parameters):
        response = client.get(url, parameters)
        # 400: a value Django itself refuses (e.g. a NUL byte); 404: a year or version
        # that does not exist; 302: a page that redirects to a valid choice.
        assert response.status_code in (200, 302, 400, 404), (url, parameters)

    run()


# Values that look like numbers to one check and not to the next: "²".isdigit() is true but
# int("²") fails; forty nines overflow a database integer; "٣" is a digit three.
TRICKY = ["²", "9" * 40, "-1", "٣", " 7", "0x10", "1e3", "2012/13", "%", "\x00"]


@pytest.mark.parametrize(("name", "args", "persona"), PAGES, ids=[p[0] for p in PAGES])
def test_tricky_numbers_in_every_parameter(client, world, name, args, persona):
    world.action_a = factories.ActionFactory(plan=world.plan_a)
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    url = reverse(name, args=args(world))
    for value in TRICKY:
        response = client.get(url, dict.fromkeys(PARAMETERS, value))
        assert response.status_code in (200, 302, 400, 404), (url, value)
