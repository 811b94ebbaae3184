"""Committee report PDFs: the service plan, the committee summary pack, the covering report and
the key performance information booklet.

Each report is a class (base.Report) with a slug, a form for its parameters, a data step (plain
Python objects, from the selectors of plans, performance and budgets), an HTML step (Django
templates under templates/reports/, previewable in a browser) and a PDF step (pdf.py,
WeasyPrint). The web pages, the admin and `manage.py export_report` all go through the registry
in base.py. Long renders run on the task queue (tasks.py, worker.py); what they store is
models.py (covering reports' narrative, generated reports).

The app sits on top of plans, performance and budgets: it reads them; their code imports none of
it. Publishing a plan reaches it through plans.signals.plan_published (receivers.py), and their
pages link to it through its template tags (templatetags/report_links.py).
"""
