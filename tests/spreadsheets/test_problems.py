"""The problems collector every import uses, and the layer spreadsheets/ sits in."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from spreadsheets import cells
from spreadsheets.problems import Problems
from spreadsheets.reader import ImportRejected, RowError


def test_read_gives_the_value_or_records_the_problem():
    problems = Problems()
    assert problems.read(2, "year", cells.financial_year, "2012-13") == 2012
    assert problems.read(3, "year", cells.financial_year, "2012") is None
    assert problems.errors == [
        RowError(3, "year", "'2012' is not a financial year; write it like 2012/13.")
    ]
    assert len(problems) == 1


def test_check_length():
    problems = Problems()
    assert problems.check_length(2, "title", "x" * 5, 5)
    assert not problems.check_length(3, "title", "x" * 6, 5)
    assert problems.errors == [RowError(3, "title", "longer than 5 characters.")]


def test_every_problem_is_raised_at_once_in_row_order():
    problems = Problems()
    problems.add(4, "value", "later.")
    problems.add(2, "code", "earlier.")
    with pytest.raises(ImportRejected) as refusal:
        problems.raise_if_any(2, "figures")
    assert str(refusal.value) == "Row 2, column code: earlier.\nRow 4, column value: later."


def test_a_header_without_rows_is_refused():
    with pytest.raises(ImportRejected) as refusal:
        Problems().raise_if_any(0, "figures")
    assert refusal.value.errors == [RowError(2, "", "the file has a header but no figures.")]
    Problems().raise_if_any(1, "figures")  # rows and no problems: nothing to say


def test_spreadsheets_imports_none_of_the_project_apps():
    """spreadsheets/ sits underneath every app (organisation included): it may import the
    standard library, Django, openpyxl and itself, nothing else of the project."""
    apps = {path.parent.name for path in Path(settings.BASE_DIR).glob("*/apps.py")}
    apps |= {"serviceplans", "tests"}
    for path in (Path(settings.BASE_DIR) / "spreadsheets").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in apps, f"{path.name} imports {name}"
