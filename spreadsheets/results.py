"""What an import did, in the words the command line and the upload page print."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ImportResult:
    """Rows read, and records created, updated and removed, by kind ("services")."""

    rows: int = 0
    created: Counter = field(default_factory=Counter)
    changed: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)

    @property
    def changed_anything(self) -> bool:
        # Unary plus drops the kinds counted zero times.
        return bool(+self.created or +self.changed or +self.removed)

    def describe(self) -> str:
        if not self.changed_anything:
            return f"{self.rows} rows read; nothing changed."
        parts = [f"{n} {kind} created" for kind, n in sorted((+self.created).items())]
        parts += [f"{n} {kind} updated" for kind, n in sorted((+self.changed).items())]
        parts += [f"{n} {kind} removed" for kind, n in sorted((+self.removed).items())]
        return f"{self.rows} rows read; " + ", ".join(parts) + "."
