"""What the plans app tells the rest of the product, without depending on it.

`plan_published` is sent inside the transaction that publishes a plan, with `plan`. Receivers
put in force what belongs to the plan but lives in another app (its indicators and targets);
one that cannot raises ValidationError with a message, and the plan is not published. Work
that should follow only a committed publication (the reports app rendering the plan's PDF)
registers itself with transaction.on_commit.

`plan_moved` is sent inside the transaction of every workflow step (submitted, returned,
approved, published, superseded), with `plan` and `event` (the PlanEvent just recorded): who
should hear of it is another app's business (notifications).
"""

from django.dispatch import Signal

plan_published = Signal()
plan_moved = Signal()
