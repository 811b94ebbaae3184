from django.urls import path

from plans.views import editing, reading

app_name = "plans"

urlpatterns = [
    # Reading: anyone signed in, published plans only (staff also see their own versions).
    path("", reading.home, name="home"),
    path("plans/<int:pk>/", reading.plan_detail, name="plan-detail"),
    path("committees/", reading.committee_list, name="committee-list"),
    path("committees/<int:pk>/", reading.committee_detail, name="committee-detail"),
    path("heads-of-service/", reading.head_of_service_list, name="head-of-service-list"),
    path(
        "heads-of-service/<int:pk>/",
        reading.head_of_service_detail,
        name="head-of-service-detail",
    ),
    path("services/<int:pk>/", reading.service_detail, name="service-detail"),
    path("priorities/", reading.priority_list, name="priority-list"),
    path("priorities/<int:pk>/", reading.priority_detail, name="priority-detail"),
    path("search/", reading.search, name="search"),
    path("accessibility/", reading.accessibility, name="accessibility"),
    # Writing, approving and publishing.
    path("round/", editing.planning_round, name="planning-round"),
    path("plans/<int:pk>/workspace/", editing.plan_workspace, name="plan-workspace"),
    path("plans/<int:pk>/sections/<slug:section>/", editing.plan_section, name="plan-section"),
    path("plans/<int:pk>/actions/<int:action_pk>/", editing.action_edit, name="action-edit"),
    path("plans/<int:pk>/submit/", editing.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/review/", editing.plan_review, name="plan-review"),
    path("plans/<int:pk>/publish/", editing.plan_publish, name="plan-publish"),
    path("plans/<int:pk>/revise/", editing.plan_revise, name="plan-revise"),
    path("plans/<int:pk>/roll-forward/", editing.plan_roll_forward, name="plan-roll-forward"),
    path("plans/<int:pk>/changes/", editing.plan_changes, name="plan-changes"),
    path("plans/<int:pk>/history/", editing.plan_history, name="plan-history"),
]
