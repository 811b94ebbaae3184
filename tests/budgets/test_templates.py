"""The partials every screen and report includes to show budgets tables, risks and resources."""

import html as html_module
import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from budgets import selectors
from tests import factories

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return html_module.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


@pytest.fixture
def housing(council):
    years, services, line = council["years"], council["services"], council["line"]
    factories.BudgetFactory(
        service=services["Communications"], year=years[2011], net_budget=Decimal("145")
    )
    factories.BudgetFactory(
        service=services["Communications"], year=years[2012], net_budget=Decimal("-1711")
    )
    factories.BudgetFactory(
        service=None,
        reporting_line=line,
        year=years[2012],
        net_budget=Decimal("699"),
        is_forecast=True,
    )
    return council


def test_a_table_has_its_caption_with_the_unit_headers_dashes_and_total(housing):
    table = selectors.budget_table(
        head_of_service=housing["heads"]["housing"], year=housing["years"][2012]
    )
    html = render_to_string(
        "budgets/_figure_table.html", {"table": table, "caption_prefix": "Part 2b: Resources – "}
    )
    assert "<caption>Part 2b: Resources – 2012/13 Budget (£000)</caption>" in html
    assert '<th scope="col" class="text-end">Budget 2010/11</th>' in html
    assert '<th scope="row">Private &amp; Social Housing</th>' in html
    # An empty cell shows a dash and says "no figure" (visually hidden text: a plain span's
    # aria-label is not read out).
    assert '<span aria-hidden="true">-</span><span class="visually-hidden">no figure</span>' in html
    assert "aria-label" not in html.split("<table", 1)[1]
    rendered = text(html)
    assert "Communications - no figure 145 -1,711" in rendered
    assert "Housing Policy - no figure - no figure - no figure" in rendered
    assert "Private & Social Housing - no figure - no figure 699 f (forecast)" in rendered
    assert "TOTAL - no figure 145 -1,012 f (includes forecasts)" in rendered


def test_the_total_can_be_left_out_and_pages_are_numbered(housing):
    table = selectors.budget_table(
        head_of_service=housing["heads"]["housing"], year=housing["years"][2012]
    )
    html = render_to_string("budgets/_figure_table.html", {"table": table, "hide_total": True})
    assert "TOTAL" not in html
    first, _ = table.pages(rows_per_page=2)
    html = render_to_string("budgets/_figure_table.html", {"table": first})
    assert "(page 1 of 2)</caption>" in html


def test_savings_cutting_across_columns_are_mentioned(council):
    years = council["years"]
    factories.SavingFactory(
        service=council["services"]["Communications"],
        first_year=years[2009],
        last_year=years[2011],
        amount=Decimal("70"),
    )
    table = selectors.savings_plan_table(
        head_of_service=council["heads"]["housing"], year=years[2012], grouped_years=(2008, 2009)
    )
    rendered = text(render_to_string("budgets/_figure_table.html", {"table": table}))
    assert "Communications 2009/10 to 2011/12 70 (£000)" in rendered


def test_budget_risks_or_the_councils_sentence(council):
    year, head = council["years"][2012], council["heads"]["housing"]
    none = selectors.budget_risks(head_of_service=head, year=year)
    assert text(render_to_string("budgets/_budget_risks.html", {"budget_risks": none})) == (
        "There are currently no significant budget risks in Housing & Communications."
    )
    factories.BudgetRiskFactory(
        head_of_service=head, year=year, title="Housing - Homeless", text="B&B over budget."
    )
    some = selectors.budget_risks(head_of_service=head, year=year)
    assert text(render_to_string("budgets/_budget_risks.html", {"budget_risks": some})) == (
        "Housing - Homeless B&B over budget."
    )


def test_service_resources_say_when_the_budget_is_the_reporting_lines(housing):
    years = housing["years"]
    private = housing["services"]["Private Housing"]
    factories.StaffingFactory(service=private, year=years[2012], fte=Decimal("5.80"))
    factories.SavingFactory(
        service=None,
        reporting_line=housing["line"],
        first_year=years[2012],
        amount=Decimal("38"),
        description="Restructure",
    )
    resources = selectors.service_resources(service=private, year=years[2012])
    rendered = text(render_to_string("budgets/_service_resources.html", {"resources": resources}))
    assert (
        "Net budget 2012/13 (£000) 699 (forecast) for Private & Social Housing, "
        "which this service is part of"
    ) in rendered
    assert "Gross expenditure" not in rendered
    assert "Staff (full-time equivalents) 5.8" in rendered
    assert "38: Restructure, Private & Social Housing – agreed" in rendered


def test_service_resources_with_nothing_recorded(council):
    resources = selectors.service_resources(
        service=council["services"]["Housing Policy"], year=council["years"][2012]
    )
    rendered = text(render_to_string("budgets/_service_resources.html", {"resources": resources}))
    assert rendered == (
        "Net budget 2012/13 (£000) - Staff (full-time equivalents) - Savings 2012/13 (£000) -"
    )
