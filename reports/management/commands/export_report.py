"""python manage.py export_report REPORT [--OPTION VALUE ...] --output FILE

Renders a report in this process (no queue) with the same classes as the web pages:

    export_report committee-summary --committee "Services Select Committee" --year 2012 \\
        --as-at 2012-08 --output summary.pdf
    export_report kpi-booklet --year 2012 --as-at 2012-08 --output booklet.pdf
    export_report service-plan --plan 12 --output plan.pdf
    export_report covering-report --covering-report 1 --output cabinet.pdf
    export_report monitoring-report --point 3 --committee "Services Select Committee" \\
        --output half-year.pdf                       # or --head-of-service "Finance & HR"
    export_report committee-summary ... --html --output summary.html   # the HTML step only

Each report's options are its form's fields (dashes for underscores); --help lists them. A
committee, head of service, plan or monitoring point is given by its id, or a committee or head
of service by its name.
"""

import contextlib
import logging
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from organisation.models import Committee, HeadOfService
from reports.base import ReportParametersInvalid, all_reports, get_report

# Options given by name rather than id, and the model that resolves them.
BY_NAME = {"committee": Committee, "head_of_service": HeadOfService}


class Command(BaseCommand):
    help = (
        "Render a report (service plan, committee summary, covering report, KPI booklet, "
        "monitoring report)."
    )

    def add_arguments(self, parser):
        slugs = [report.slug for report in all_reports()]
        parser.add_argument("report", choices=slugs)
        parser.add_argument("--output", required=True, help="File to write; - for stdout.")
        parser.add_argument("--html", action="store_true", help="Write the HTML, not the PDF.")
        names = set()
        for report in all_reports():
            for name, field in report.form_class.base_fields.items():
                if name in names:
                    continue
                names.add(name)
                parser.add_argument(
                    f"--{name.replace('_', '-')}",
                    dest=name,
                    help=f"{field.label or name.replace('_', ' ')}: {field.help_text}".strip(),
                )

    def handle(self, *args, verbosity, **options):
        if verbosity < 2:
            return self.export(**options)
        with self.engine_steps_printed():
            return self.export(**options)

    def export(self, *, report, output, html, **options):
        report_class = get_report(report)
        data = {}
        for name in report_class.form_class.base_fields:
            value = options.get(name)
            if value is None:
                continue
            if name in BY_NAME and not str(value).isdigit():
                found = BY_NAME[name].objects.filter(name=value).first()
                if found is None:
                    raise CommandError(f"--{name.replace('_', '-')}: no {value!r}.")
                value = found.pk
            data[name] = str(value)
        try:
            instance = report_class.from_form_data(data)
        except ReportParametersInvalid as invalid:
            raise CommandError(
                "; ".join(
                    f"--{field.replace('_', '-')}: {' '.join(messages)}"
                    for field, messages in invalid.errors.items()
                )
            ) from invalid
        started = time.perf_counter()
        if html:
            content, pages = instance.html().encode(), None
        else:
            rendered = instance.render()
            content, pages = rendered.content, rendered.page_count
        seconds = time.perf_counter() - started
        if output == "-":
            sys.stdout.buffer.write(content)
            return
        Path(output).write_bytes(content)
        pages_text = f", {pages} pages" if pages else ""
        self.stderr.write(f"Wrote {output}{pages_text} in {seconds:.1f} s.")

    @contextlib.contextmanager
    def engine_steps_printed(self):
        """-v 2: WeasyPrint's steps and pages as it renders (quiet by default, settings.LOGGING)."""
        handler = logging.StreamHandler(self.stderr)
        steps = logging.getLogger("weasyprint.progress")
        level = steps.level
        steps.addHandler(handler)
        steps.setLevel(logging.INFO)
        try:
            yield
        finally:
            steps.removeHandler(handler)
            steps.setLevel(level)
