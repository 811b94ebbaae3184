"""Turning the council's public pages on (and its choices of what they show) in tests."""

from organisation.council import forget_cached_settings, settings_for_editing


def turn_on_public_pages(*, provisional: bool = False, names: bool = False) -> None:
    row = settings_for_editing()
    row.public_pages = True
    row.public_shows_provisional = provisional
    row.public_shows_names = names
    row.save()
    forget_cached_settings()
