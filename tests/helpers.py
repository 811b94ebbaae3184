"""Helpers shared by the test modules: spreadsheet files to import, and a constraint check."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from openpyxl import Workbook


def csv_bytes(header: str, *lines: str) -> bytes:
    """A UTF-8 CSV file: the header line, then each line."""
    return (header + "\n" + "".join(line + "\n" for line in lines)).encode()


def xlsx_bytes(rows: list[list]) -> bytes:
    """An XLSX workbook whose first sheet holds the rows, header first."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def assert_refused(constraint_name: str, build) -> None:
    """The named constraint rejects the unsaved instance, and so does the database."""
    instance = build()
    model = type(instance)
    constraint = next(c for c in model._meta.constraints if c.name == constraint_name)
    with pytest.raises(ValidationError):
        constraint.validate(model, instance)
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()
