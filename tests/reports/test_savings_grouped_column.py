"""The committee summary's savings plan (Part 2c) groups the past years the council's own savings
use, on the web form as with export_report: a saving recorded for 2020/21 to 2022/23 is in the
grouped column of the 2024/25 summary and in its TOTAL, not in a footnote. The form's grouped
years still override it."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests import factories
from tests.reports.conftest import squeeze

pytestmark = pytest.mark.django_db

COMMITTEE = "Services Select Committee"
FOOTNOTE = "Not in the table because their years cut across its columns"


@pytest.fixture
def council(db):
    """Direct Services, reviewed by the committee, and the years 2016/17 to 2027/28."""
    years = {start: factories.FinancialYearFactory(start_year=start) for start in range(2016, 2028)}
    head = factories.HeadOfServiceFactory(name="Environmental & Operational Services")
    direct = factories.ServiceFactory(name="Direct Services", head_of_service=head)
    committee = factories.CommitteeFactory(name=COMMITTEE)
    factories.CommitteeReviewFactory(service=direct, committee=committee)
    return {"years": years, "direct": direct, "committee": committee}


@pytest.fixture
def span_saving(council):
    """Savings recorded for 2020/21 to 2022/23 as one figure, and a plan for 2023/24."""
    years, direct = council["years"], council["direct"]
    factories.SavingFactory(
        service=direct, first_year=years[2020], last_year=years[2022], amount=300
    )
    factories.SavingFactory(service=direct, first_year=years[2023], amount=50)
    factories.SavingFactory(service=direct, first_year=years[2024], amount=20)
    return council


def savings_part(html: str) -> str:
    """Part 2c's table and its footnote if it has one, as text: from the table's header row."""
    text = squeeze(re.sub(r"<[^>]+>", " ", html))
    return text.split("Savings plan (£000) ", 1)[1].split("Part 3a", 1)[0]


def by_the_web_form(client, committee, **choices) -> str:
    """The report's HTML through the administrator's form (its preview of the content)."""
    client.force_login(factories.UserFactory(is_superuser=True))
    response = client.get(
        reverse("reports:report-preview", args=["committee-summary"]),
        {"committee": committee.pk, "year": "2024", "as_at": "2024-08", **choices},
    )
    assert response.status_code == 200
    return response.content.decode()


def by_the_command(tmp_path, *options) -> str:
    output = tmp_path / "summary.html"
    call_command(
        "export_report",
        "committee-summary",
        "--committee",
        COMMITTEE,
        "--year",
        "2024",
        "--as-at",
        "2024-08",
        *options,
        "--html",
        "--output",
        str(output),
    )
    return output.read_text()


def test_the_web_form_groups_the_councils_span_and_counts_it_in_the_total(client, span_saving):
    part = savings_part(by_the_web_form(client, span_saving["committee"]))
    assert part.startswith("Service 2020 - 23 2023/24 2024/25 2025/26 2026/27")
    assert "Direct Services 300 50 20 - -" in part
    assert "TOTAL 300 50 20 - -" in part
    assert FOOTNOTE not in part


def test_the_command_groups_the_councils_span_and_counts_it_in_the_total(tmp_path, span_saving):
    part = savings_part(by_the_command(tmp_path))
    assert part.startswith("Service 2020 - 23 2023/24 2024/25 2025/26 2026/27")
    assert "TOTAL 300 50 20 - -" in part
    assert FOOTNOTE not in part


def test_the_web_forms_grouped_years_override_the_councils(client, span_saving):
    html = by_the_web_form(
        client,
        span_saving["committee"],
        savings_grouped_from="2021",
        savings_grouped_to="2022",
        savings_grouped_label="Before 2023",
    )
    part = savings_part(html)
    assert part.startswith("Service Before 2023 2023/24")
    # The span no longer fits a column: the footnote says so and the TOTAL leaves it out.
    assert "TOTAL - 50 20 - -" in part
    assert f"{FOOTNOTE}: Direct Services 2020/21 to 2022/23 300 (£000)." in part


def test_the_commands_grouped_years_override_the_councils(tmp_path, span_saving):
    part = savings_part(
        by_the_command(tmp_path, "--savings-grouped-from", "2019", "--savings-grouped-to", "2022")
    )
    assert part.startswith("Service 2019 - 23 2023/24")
    assert "TOTAL 300 50 20 - -" in part


def test_one_year_given_takes_the_other_from_the_councils_savings(tmp_path, span_saving):
    part = savings_part(by_the_command(tmp_path, "--savings-grouped-from", "2018"))
    assert part.startswith("Service 2018 - 23 2023/24")


def test_a_council_without_earlier_savings_groups_the_two_years_before_the_gap(
    client, tmp_path, council
):
    factories.SavingFactory(service=council["direct"], first_year=council["years"][2024])
    for html in (by_the_web_form(client, council["committee"]), by_the_command(tmp_path)):
        part = savings_part(html)
        assert part.startswith("Service 2020 - 22 2023/24 2024/25 2025/26 2026/27")
        assert "TOTAL - - 25 - -" in part
