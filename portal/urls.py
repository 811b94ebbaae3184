from django.urls import path

from portal.views import imports, performance, plan_pages, reading

app_name = "portal"

urlpatterns = [
    path("", reading.home, name="home"),
    path("plans/<int:pk>/", reading.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/workspace/", plan_pages.plan_workspace, name="plan-workspace"),
    path("plans/<int:pk>/review/", plan_pages.plan_review, name="plan-review"),
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
    path("imports/", imports.import_upload, name="imports"),
    path("imports/confirm/", imports.import_confirm, name="import-confirm"),
    path("imports/templates/<slug:slug>.xlsx", imports.import_template, name="import-template"),
    path("performance/", performance.overview, name="overview"),
    path("performance/services/<int:pk>/", performance.service_performance, name="service"),
    path("performance/corporate/", performance.corporate, name="corporate"),
    path(
        "performance/plans/<int:plan_pk>/indicators/",
        performance.plan_indicators_edit,
        name="plan-indicators",
    ),
]
