from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("round/", views.planning_round, name="planning-round"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/workspace/", views.plan_workspace, name="plan-workspace"),
    path("plans/<int:pk>/sections/<slug:section>/", views.plan_section, name="plan-section"),
    path("plans/<int:pk>/actions/<int:action_pk>/", views.action_edit, name="action-edit"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/review/", views.plan_review, name="plan-review"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan-publish"),
    path("plans/<int:pk>/revise/", views.plan_revise, name="plan-revise"),
    path("plans/<int:pk>/roll-forward/", views.plan_roll_forward, name="plan-roll-forward"),
    path("plans/<int:pk>/changes/", views.plan_changes, name="plan-changes"),
    path("plans/<int:pk>/history/", views.plan_history, name="plan-history"),
]
