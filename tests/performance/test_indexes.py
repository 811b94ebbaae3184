"""The figures table's indexes serve the queries they are named after: the database plans each
query through its index, so the page stays as quick with five years of figures as with one."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisation.models import FinancialYear
from performance import selectors
from tests import factories

pytestmark = pytest.mark.django_db


def query_plan(sql: str) -> str:
    """How the database would run the query, with a full read of a table made the last resort
    (a handful of test rows would otherwise be read whole whatever indexes there are)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(row) for row in cursor.fetchall())


def test_latest_reported_month_reads_the_latest_month_from_its_index():
    year = FinancialYear.objects.create(start_year=2012)
    indicator = factories.IndicatorFactory(frequency="monthly")
    for month in (4, 5, 6):
        factories.ActualFactory(indicator=indicator, period_end=datetime.date(2012, month, 28))
    with CaptureQueriesContext(connection) as captured:
        latest = selectors.latest_reported_month(year, today=datetime.date(2012, 12, 1))
    assert latest.month == 6
    # The query as it was sent, parameters in place.
    assert "performance_actual_by_period" in query_plan(captured.captured_queries[-1]["sql"])
