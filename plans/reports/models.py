"""The reports' models live in plans.models (CoveringReport, GeneratedReport). These proxies
put them in the admin under "Reports", beside the rest of the reports code, rather than among
the plans' own models."""

from plans import models


class CoveringReport(models.CoveringReport):
    class Meta:
        proxy = True
        app_label = "plan_reports"
        verbose_name = "covering report"


class GeneratedReport(models.GeneratedReport):
    class Meta:
        proxy = True
        app_label = "plan_reports"
        verbose_name = "generated report"
