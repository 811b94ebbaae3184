from django.urls import path

from plans.views import editing, progress, years

app_name = "plans"

urlpatterns = [
    # Reading: anyone signed in, published plans only (staff also see their own versions).
    # Writing, approving and publishing.
    path("round/", editing.planning_round, name="planning-round"),
    path("round/roll-forward/", editing.round_roll_forward, name="round-roll-forward"),
    # Years and opening the round: administrators.
    path("years/", years.year_list, name="years"),
    path("years/create/", years.year_create, name="year-create"),
    path("years/deadlines/", years.year_deadlines, name="year-deadlines"),
    path("years/open-round/", years.round_open, name="round-open"),
    path(
        "years/<int:start_year>/make-current/",
        years.year_make_current,
        name="year-make-current",
    ),
    path("plans/<int:pk>/sections/<slug:section>/", editing.plan_section, name="plan-section"),
    path("plans/<int:pk>/actions/<int:action_pk>/", editing.action_edit, name="action-edit"),
    path("plans/start/", editing.plan_start, name="plan-start"),
    path("plans/<int:pk>/submit/", editing.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/publish/", editing.plan_publish, name="plan-publish"),
    path("plans/<int:pk>/revise/", editing.plan_revise, name="plan-revise"),
    path("plans/<int:pk>/roll-forward/", editing.plan_roll_forward, name="plan-roll-forward"),
    path("plans/<int:pk>/changes/", editing.plan_changes, name="plan-changes"),
    path("plans/<int:pk>/history/", editing.plan_history, name="plan-history"),
    # Progress on a published plan: its staff record it; anyone who reads the plan reads it.
    # A reference is matched as a path (an administrator may type one with a slash), so the
    # comment URL comes before the item's, which would otherwise take it.
    path("plans/<int:pk>/progress/", progress.plan_progress, name="plan-progress"),
    path(
        "plans/<int:pk>/progress/<path:reference>/comments/<int:update_pk>/",
        progress.progress_comment,
        name="progress-comment",
    ),
    path("plans/<int:pk>/progress/<path:reference>/", progress.progress_item, name="progress-item"),
    path("plans/<int:pk>/items/<path:reference>/", progress.item_history, name="item-history"),
    path(
        "progress/<int:update_pk>/evidence/", progress.progress_evidence, name="progress-evidence"
    ),
]
