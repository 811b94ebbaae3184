"""Links to the reports from pages of the apps beneath (plans, performance).

Those pages load this library instead of naming the reports' URLs: what is offered there, and
where it leads, belongs to the reports app."""

from django import template

register = template.Library()


@register.inclusion_tag("reports/links/plan_pdf.html")
def plan_pdf_link(plan) -> dict:
    """The button to download a plan as a PDF (its print preview, for a plan not published)."""
    return {"plan": plan}


@register.inclusion_tag("reports/links/reports_page.html")
def reports_page_link(text: str) -> dict:
    """A paragraph linking to the reports page, in the words of the page that offers it."""
    return {"text": text}


@register.inclusion_tag("reports/links/monitoring_reports.html")
def latest_monitoring_reports(user) -> dict:
    """A member's home: the latest monitoring report of each committee they sit on."""
    from reports.selectors import latest_monitoring_reports as latest

    return {"reports": latest(user, user.committees.all()) if user.is_authenticated else []}


@register.inclusion_tag("reports/links/round_plan_pdfs.html", takes_context=True)
def round_plan_pdfs(context, year) -> dict:
    """The planning round page: how many of the year's published plans have their PDF ready,
    being made or failed, kept up to date on the page by static/js/round-pdf-progress.js, and
    the button that makes them again."""
    from reports.selectors import plan_pdf_counts

    return {"year": year, "counts": plan_pdf_counts(year), "request": context.get("request")}
