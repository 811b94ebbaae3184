"""Collecting the problems of an import file before deciding, so the officer sees them all.

Every import checks every row of its file first and either refuses the whole file, listing
every problem by row and column, or writes it all:

    problems = Problems()
    for number, cells in table.rows:
        year = problems.read(number, "year", financial_year, cells["year"])
        problems.check_length(number, "title", cells["title"], 300)
        ...
    problems.raise_if_any(len(table.rows), "targets")
"""

from collections.abc import Callable
from typing import TypeVar

from spreadsheets.reader import ImportRejected, RowError

T = TypeVar("T")


class Problems:
    """Every problem found in a file: RowError(row, column, message)."""

    def __init__(self):
        self.errors: list[RowError] = []

    def __len__(self) -> int:
        return len(self.errors)

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def read(self, row: int, column: str, parse: Callable[[str], T], text: str) -> T | None:
        """parse(text), or None after recording its ValueError as the cell's problem."""
        try:
            return parse(text)
        except ValueError as error:
            self.add(row, column, str(error))
            return None

    def check_length(self, row: int, column: str, text: str, limit: int) -> bool:
        """Whether the text fits in `limit` characters; records the problem when it does not."""
        if len(text) > limit:
            self.add(row, column, f"longer than {limit} characters.")
            return False
        return True

    def raise_if_any(self, rows: int, what: str) -> None:
        """Refuse the file (ImportRejected with every problem) when there is any problem, or
        when it has a header but no rows (`rows` read): "the file has a header but no {what}"."""
        if self.errors:
            raise ImportRejected(self.errors)
        if not rows:
            raise ImportRejected([RowError(2, "", f"the file has a header but no {what}.")])
