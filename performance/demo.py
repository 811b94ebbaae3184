"""Demo council data for the performance app, loaded by `python manage.py load_demo` after plans."""


def load_demo() -> None:
    """Filled in by the performance issue."""
