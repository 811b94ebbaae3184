"""What the reports app tells the apps above it, without depending on them.

`report_published` is sent inside the transaction that makes a generated report available to
members (tasks.publish_report), with `report` (the GeneratedReport).
"""

from django.dispatch import Signal

report_published = Signal()
