"""What an import did, in the words the command line and the upload page print."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

# The changes an import lists one by one (the preview shows them); beyond, only counted.
MOST_CHANGES_LISTED = 500


@dataclass(frozen=True)
class Change:
    """One value an import changes: on which record, which field, old and new."""

    kind: str
    record: str
    field: str
    old: str
    new: str


@dataclass
class ImportResult:
    """Rows read, and records created, updated and removed, by kind ("services"), with the
    first MOST_CHANGES_LISTED changed values old → new."""

    rows: int = 0
    created: Counter = field(default_factory=Counter)
    changed: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    changes: list[Change] = field(default_factory=list)

    def note_changes(self, kind: str, record, stale: dict, instance) -> None:
        """Record the values `stale` ({field: new value}) replaces on `instance`."""
        for name, new in stale.items():
            if len(self.changes) >= MOST_CHANGES_LISTED:
                return
            old = getattr(instance, name)
            self.changes.append(Change(kind, str(record), name, _shown(old), _shown(new)))

    @property
    def changed_anything(self) -> bool:
        # Unary plus drops the kinds counted zero times.
        return bool(+self.created or +self.changed or +self.removed)

    def describe(self) -> str:
        read = f"{self.rows} row{'' if self.rows == 1 else 's'} read"
        if not self.changed_anything:
            return f"{read}; nothing changed."
        parts = [f"{n} {kind} created" for kind, n in sorted((+self.created).items())]
        parts += [f"{n} {kind} updated" for kind, n in sorted((+self.changed).items())]
        parts += [f"{n} {kind} removed" for kind, n in sorted((+self.removed).items())]
        return f"{read}; " + ", ".join(parts) + "."


def _shown(value) -> str:
    if value in (None, ""):
        return "(blank)"
    if isinstance(value, Decimal):  # 95, not 95.0000 as stored
        return format(value.normalize(), "f")
    return str(value)
