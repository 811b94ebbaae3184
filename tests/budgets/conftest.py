import pytest

from tests import factories


@pytest.fixture
def council(db):
    """A small council: two heads of service, a reporting line over two housing services, and
    the financial years 2008/09 to 2014/15."""
    housing = factories.HeadOfServiceFactory(name="Housing & Communications")
    it = factories.HeadOfServiceFactory(name="IT & Facilities Management")
    services = {
        name: factories.ServiceFactory(name=name, head_of_service=head)
        for name, head in [
            ("Communications", housing),
            ("Housing Policy", housing),
            ("Private Housing", housing),
            ("Social Housing", housing),
            ("IT Services", it),
            ("Facilities Management", it),
        ]
    }
    line = factories.ReportingLineFactory(
        name="Private & Social Housing",
        head_of_service=housing,
        services=[services["Private Housing"], services["Social Housing"]],
    )
    years = {start: factories.FinancialYearFactory(start_year=start) for start in range(2008, 2015)}
    return {
        "heads": {"housing": housing, "it": it},
        "services": services,
        "line": line,
        "years": years,
    }
