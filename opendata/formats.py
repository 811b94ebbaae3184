"""The files of a dataset: CSV, JSON, its CSVW metadata (the data dictionary, W3C "CSV on the
Web") and the JSON Schema of the JSON.

Reproducible: the same data gives the same bytes. Nothing in a file says when it was made;
the date of the data is its month and the time of the data's last change.
"""

import datetime
import json
from decimal import ROUND_HALF_UP, Decimal

from opendata import licence
from opendata.datasets import Dataset, Extract, Value, extract
from organisation.models import FinancialYear
from performance.periods import Period
from spreadsheets.writer import Number, write_csv

# What each file is, by the end of its name: /open-data/2012/2012-10/performance.csv
SUFFIXES = {
    "csv": ".csv",
    "json": ".json",
    "csvw": ".csv-metadata.json",
    "schema": ".schema.json",
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "csvw": "application/csvm+json",
    "schema": "application/schema+json",
}

# CSVW datatypes as JSON Schema types.
JSON_TYPES = {
    "string": {"type": "string"},
    "decimal": {"type": "number"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "gYearMonth": {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"},
}


def file_name(dataset: Dataset, kind: str) -> str:
    return dataset.slug + SUFFIXES[kind]


def dataset_file(
    dataset: Dataset, kind: str, *, year: FinancialYear, as_at: Period, publisher: str
) -> tuple[bytes, datetime.datetime | None]:
    """One file of a dataset (kind: csv, json, csvw or schema) and the time of the data's last
    change (None for the schema, which is the same whatever the data)."""
    if kind == "schema":
        return json_schema(dataset), None
    data = extract(dataset, year=year, as_at=as_at)
    if kind == "csv":
        return csv_bytes(data), data.last_change
    if kind == "json":
        return json_bytes(data, publisher=publisher), data.last_change
    if kind == "csvw":
        return csvw_metadata(data, publisher=publisher), data.last_change
    raise ValueError(f"{kind!r} is not one of {', '.join(SUFFIXES)}.")


def csv_bytes(extract: Extract) -> bytes:
    """UTF-8 with a byte order mark (Excel reads "£" right), a header of the column names,
    yes/no for booleans, figures at the indicator's decimal places; text a spreadsheet could
    take for a formula is neutralised (spreadsheets.writer)."""
    names = extract.dataset.column_names
    return write_csv(names, ([row[name] for name in names] for row in extract.rows))


def json_bytes(extract: Extract, *, publisher: str) -> bytes:
    """The rows as JSON objects keyed by column name, under what they are and their licence."""
    dataset = extract.dataset
    document = {
        "dataset": dataset.slug,
        "title": dataset.title,
        "description": dataset.description,
        "publisher": publisher,
        "licence": {"name": licence.NAME, "url": licence.URL, "attribution": licence.STATEMENT},
        "financial_year": extract.year.label,
        "as_at": extract.as_at.name,
        "last_modified": _moment(extract.last_change),
        "schema": file_name(dataset, "schema"),
        "rows": [
            {name: _json_value(row[name]) for name in dataset.column_names} for row in extract.rows
        ],
    }
    return _dumped(document)


def csvw_metadata(extract: Extract, *, publisher: str) -> bytes:
    """The data dictionary of the CSV as CSVW metadata (https://www.w3.org/TR/tabular-metadata/):
    each column's title (its CSV header), datatype and description, and the licence."""
    dataset = extract.dataset
    metadata = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": file_name(dataset, "csv"),
        "dc:title": f"{dataset.title}, {extract.year.label}, as at {extract.as_at.month_label}",
        "dc:description": dataset.description,
        "dc:publisher": publisher,
        "dc:license": {"@id": licence.URL},
        "dc:rights": licence.STATEMENT,
        "dc:coverage": extract.as_at.name,
        "dc:modified": _moment(extract.last_change),
        "dialect": {"encoding": "utf-8", "header": True, "headerRowCount": 1},
        "tableSchema": {
            "columns": [
                {
                    "name": column.name,
                    "titles": column.name,
                    "datatype": _csvw_datatype(column.datatype),
                    "required": column.required,
                    "dc:description": column.description,
                }
                for column in dataset.columns
            ],
            "primaryKey": list(dataset.primary_key),
        },
    }
    if metadata["dc:modified"] is None:
        del metadata["dc:modified"]
    return _dumped(metadata)


def json_schema(dataset: Dataset) -> bytes:
    """The JSON Schema (draft 2020-12) of the dataset's JSON file."""
    properties = {}
    for column in dataset.columns:
        kind = dict(JSON_TYPES[column.datatype])
        if not column.required:
            kind["type"] = [kind["type"], "null"]
        properties[column.name] = {**kind, "description": column.description}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": dataset.title,
        "description": dataset.description,
        "type": "object",
        "required": ["dataset", "licence", "financial_year", "as_at", "rows"],
        "properties": {
            "dataset": {"const": dataset.slug},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "publisher": {"type": "string"},
            "licence": {
                "type": "object",
                "required": ["name", "url"],
                "properties": {
                    "name": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                    "attribution": {"type": "string"},
                },
            },
            "financial_year": {"type": "string", "pattern": "^[0-9]{4}/[0-9]{2}$"},
            "as_at": JSON_TYPES["gYearMonth"],
            "last_modified": {"type": ["string", "null"], "format": "date-time"},
            "schema": {"type": "string"},
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": list(dataset.column_names),
                    "additionalProperties": False,
                    "properties": properties,
                },
            },
        },
    }
    return _dumped(schema)


def _csvw_datatype(datatype: str) -> str | dict:
    if datatype == "boolean":
        return {"base": "boolean", "format": "yes|no"}
    return datatype


def _json_value(value: Value):
    if isinstance(value, Number):
        return _json_number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _json_number(number: Number) -> int | float:
    """At the figure's decimal places, as the CSV writes it; whole numbers as integers."""
    value = Decimal(number.value)
    if number.places is not None:
        value = value.quantize(Decimal(1).scaleb(-number.places), rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _moment(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _dumped(document) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
