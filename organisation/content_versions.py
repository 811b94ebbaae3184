"""Versions of what readers are shown, kept in the shared cache (settings.CACHES["default"]).

A page part made once for every reader (the published plan's body, portal.views.reading) is
kept under a key holding these versions. Every write that changes what such a part shows calls
one of the *_changed functions below from its service, so the next reader's key is new and the
part is made again — in every web worker at once when the cache is shared (Redis).

Four kinds of version:
- one per service: its figures and their sign-off, its progress updates, its plans' status;
- one for the whole council: what many services' pages show at once (the structure, council
  settings, imported indicators, targets and budgets, anything changed in the Django admin);
- one for the figures of the whole council: the latest month with a figure (the "as at" of
  every plan page) moves with any service's figure, so it is kept by itself and read again
  after any figure is written, without making every plan's body again;
- one for anything at all: a page showing the whole council as one part (the residents'
  pages, each kept whole: residents.pages) is made again after any write.

A version is a random token, not a counter: when the cache drops a token, the next reader draws
a new one rather than starting again from a number a stale page may still be kept under.
"""

import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

COUNCIL_KEY = "content-version:council"
FIGURES_KEY = "content-version:figures"
ANY_KEY = "content-version:any"


def service_key(service_id: int) -> str:
    return f"content-version:service:{service_id}"


def service_content_changed(service_ids: Iterable[int]) -> None:
    """What the services' plan pages show has changed (a progress update, a sign-off, a plan
    published or superseded)."""
    _changed([service_key(service_id) for service_id in set(service_ids)])


def figures_changed(service_ids: Iterable[int]) -> None:
    """Figures of these services were entered, changed or deleted."""
    _changed([FIGURES_KEY, *(service_key(service_id) for service_id in set(service_ids))])


def council_content_changed() -> None:
    """Something many services' pages show has changed: every page part is made again."""
    _changed([COUNCIL_KEY, FIGURES_KEY])


def service_version(service_id: int) -> str:
    """The version of what a service's plan pages show: the council's and the service's."""
    return versions(service_id)[0]


def versions(service_id: int, *, along_with: Iterable[str] = ()) -> tuple[str, str, dict]:
    """The service's version (as service_version), the version of the council's figures as a
    whole and whatever the cache keeps under the keys along_with (a dict of those found), in
    one round trip to the cache: the plan page asks for all of them on every request."""
    keys = [COUNCIL_KEY, service_key(service_id), FIGURES_KEY]
    along_with = list(along_with)
    found = cache.get_many([*keys, *along_with])
    kept = {key: found.pop(key) for key in along_with if key in found}
    tokens = _tokens(keys, found)
    service = f"{tokens[COUNCIL_KEY]}.{tokens[service_key(service_id)]}"
    return service, tokens[FIGURES_KEY], kept


def versions_of(service_ids: Iterable[int]) -> dict[int, str]:
    """Each service's version (as service_version), in one round trip to the cache: for a page
    made of parts that each show several services (the performance overview's heads of
    service)."""
    ids = list(dict.fromkeys(service_ids))
    tokens = _tokens([COUNCIL_KEY, *(service_key(service_id) for service_id in ids)])
    return {
        service_id: f"{tokens[COUNCIL_KEY]}.{tokens[service_key(service_id)]}" for service_id in ids
    }


def any_content_version() -> str:
    """Changes after any write that changes what readers are shown, wherever it is."""
    return _tokens([ANY_KEY])[ANY_KEY]


def figures_version() -> str:
    """The version of the council's figures as a whole (see versions)."""
    return _tokens([FIGURES_KEY])[FIGURES_KEY]


def _tokens(keys: list[str], found: dict | None = None) -> dict[str, str]:
    found = cache.get_many(keys) if found is None else found
    for key in keys:
        if key not in found:
            # Another process may draw one at the same moment: the first one kept wins.
            token = secrets.token_hex(8)
            cache.add(key, token, timeout=None)
            found[key] = cache.get(key) or token
    return found


def _changed(keys: list[str]) -> None:
    keys = [*keys, ANY_KEY]
    # Now, and again when the transaction commits: a reader between the two reads the rows as
    # they were and may keep a page under the first new token; the second one leaves it behind.
    # (Outside a transaction on_commit runs at once: two new tokens, no harm.)
    _draw(keys)
    transaction.on_commit(lambda: _draw(keys))


def _draw(keys: list[str]) -> None:
    cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=None)
