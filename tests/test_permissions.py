"""Every URL × every persona → the expected status. A URL missing from the matrix fails.

Personas (tests/conftest.py World): admin, head (of service A's portfolio), officer_a (edits
service A), officer_b (edits service B), member, anonymous; and public: anonymous again, with
the council's public pages for residents turned on (off, as for every other persona, is the
default). Objects of another service are 404.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS
from tests.residents.helpers import turn_on_public_pages

LOGIN = 302  # anonymous visitors are sent to the sign-in page
OFF = (404,) * 6  # the public pages, while they are off: not found, whoever asks

# url name, method, how to build its arguments from the world, expected status per persona
# in MATRIX_PERSONAS order: admin, head, officer_a, officer_b, member, anonymous, public.
MATRIX_PERSONAS = (*PERSONAS, "public")
MATRIX = [
    ("login", "get", lambda w: [], (200, 200, 200, 200, 200, 200, 200)),
    ("logout", "post", lambda w: [], (302, 302, 302, 302, 302, 302, 302)),
    ("password_change", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, LOGIN)),
    ("password_change_done", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, LOGIN)),
    # Password reset by email: for anyone (a forgotten password means not signed in); a link
    # with a token that is not valid says so and changes nothing.
    ("password_reset", "get", lambda w: [], (200, 200, 200, 200, 200, 200, 200)),
    ("password_reset_done", "get", lambda w: [], (200, 200, 200, 200, 200, 200, 200)),
    ("password_reset_confirm", "get", lambda w: ["MQ", "bad-token"], (200,) * 7),
    ("password_reset_complete", "get", lambda w: [], (200, 200, 200, 200, 200, 200, 200)),
    # Single sign-on: for anyone when OIDC_ENABLED is on (tests/organisation/
    # test_single_sign_on.py); not found while it is off, as here.
    ("oidc_authentication_init", "get", lambda w: [], (404,) * 7),
    ("oidc_authentication_callback", "get", lambda w: [], (404,) * 7),
    ("portal:home", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, LOGIN)),
    ("plans:planning-round", "get", lambda w: [], (200, 403, 403, 403, 403, LOGIN, LOGIN)),
    # The council's settings: administrators only; a POST without its fields is refused.
    ("organisation:council-settings", "get", lambda w: [], (200, 403, 403, 403, 403, LOGIN, LOGIN)),
    (
        "organisation:council-settings",
        "post",
        lambda w: [],
        (200, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    # The round's bulk actions and the years page: administrators. An empty POST names no
    # year (404) or is an invalid form (400).
    ("plans:round-roll-forward", "post", lambda w: [], (404, 403, 403, 403, 403, LOGIN, LOGIN)),
    ("notifications:round-remind", "post", lambda w: [], (404, 403, 403, 403, 403, LOGIN, LOGIN)),
    ("plans:years", "get", lambda w: [], (200, 403, 403, 403, 403, LOGIN, LOGIN)),
    ("plans:year-create", "post", lambda w: [], (302, 403, 403, 403, 403, LOGIN, LOGIN)),
    ("plans:year-make-current", "post", lambda w: [2013], (302, 403, 403, 403, 403, LOGIN, LOGIN)),
    ("plans:year-deadlines", "post", lambda w: [], (400, 403, 403, 403, 403, LOGIN, LOGIN)),
    ("plans:round-open", "post", lambda w: [], (400, 403, 403, 403, 403, LOGIN, LOGIN)),
    ("portal:plan-detail", "get", lambda w: [w.plan_a.pk], (200, 200, 200, 404, 404, LOGIN, LOGIN)),
    (
        "portal:plan-detail",
        "get",
        lambda w: [w.published_a.pk],
        (200, 200, 200, 200, 200, LOGIN, LOGIN),
    ),
    (
        "portal:plan-workspace",
        "get",
        lambda w: [w.plan_a.pk],
        (200, 200, 200, 404, 404, LOGIN, LOGIN),
    ),
    (
        "plans:plan-section",
        "get",
        lambda w: [w.plan_a.pk, "introduction"],
        (200, 200, 200, 404, 404, LOGIN, LOGIN),
    ),
    (
        "plans:action-edit",
        "get",
        lambda w: [w.plan_a.pk, w.action_a.pk],
        (200, 200, 200, 404, 404, LOGIN, LOGIN),
    ),
    ("plans:plan-submit", "post", lambda w: [w.plan_a.pk], (302, 302, 302, 404, 404, LOGIN, LOGIN)),
    ("portal:plan-review", "get", lambda w: [w.plan_a.pk], (200, 200, 404, 404, 404, LOGIN, LOGIN)),
    ("plans:plan-publish", "get", lambda w: [w.plan_a.pk], (200, 403, 403, 403, 403, LOGIN, LOGIN)),
    (
        "plans:plan-revise",
        "post",
        lambda w: [w.published_a.pk],
        (302, 302, 302, 404, 404, LOGIN, LOGIN),
    ),
    (
        "plans:plan-roll-forward",
        "post",
        lambda w: [w.plan_a.pk],
        (302, 302, 302, 404, 404, LOGIN, LOGIN),
    ),
    ("plans:plan-changes", "get", lambda w: [w.plan_a.pk], (200, 200, 200, 404, 404, LOGIN, LOGIN)),
    ("plans:plan-history", "get", lambda w: [w.plan_a.pk], (200, 200, 200, 404, 404, LOGIN, LOGIN)),
    # Reading pages: anyone signed in; the accessibility statement is public.
    ("portal:committee-list", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, LOGIN)),
    (
        "portal:committee-detail",
        "get",
        lambda w: [w.cabinet.pk],
        (200, 200, 200, 200, 200, LOGIN, LOGIN),
    ),
    ("portal:head-of-service-list", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, LOGIN)),
    (
        "portal:head-of-service-detail",
        "get",
        lambda w: [w.service_a.head_of_service.pk],
        (200, 200, 200, 200, 200, LOGIN, LOGIN),
    ),
    (
        "portal:service-detail",
        "get",
        lambda w: [w.service_a.pk],
        (200, 200, 200, 200, 200, LOGIN, LOGIN),
    ),
    ("portal:priority-list", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, LOGIN)),
    (
        "portal:priority-detail",
        "get",
        lambda w: [_priority().pk],
        (200, 200, 200, 200, 200, LOGIN, LOGIN),
    ),
    ("portal:search", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, LOGIN)),
    ("portal:accessibility", "get", lambda w: [], (200, 200, 200, 200, 200, 200, 200)),
    ("portal:overview", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, LOGIN)),
    ("portal:corporate", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, LOGIN)),
    # Service A's 2012/13 plan is only a draft: its figures are for its own staff.
    ("portal:service", "get", lambda w: [w.service_a.pk], (200, 200, 200, 404, 404, LOGIN, LOGIN)),
    # Performance figures: editors of a service only; members edit none, so 403.
    ("performance:figures-overview", "get", lambda w: [], (200, 200, 200, 200, 403, LOGIN, LOGIN)),
    ("performance:figures-upload", "get", lambda w: [], (200, 200, 200, 200, 403, LOGIN, LOGIN)),
    (
        "performance:figures-entry",
        "get",
        lambda w: [w.service_a.pk, "2012-08"],
        (200, 200, 200, 404, 403, LOGIN, LOGIN),
    ),
    # A figure's history: whoever enters the service's figures.
    (
        "performance:figure-history",
        "get",
        lambda w: [_indicator(w.service_a).pk],
        (200, 200, 200, 404, 403, LOGIN, LOGIN),
    ),
    # Signing off: the service's head of service, or an administrator; its officers may not,
    # and another service's officer finds nothing there.
    (
        "performance:sign-off",
        "get",
        lambda w: [w.service_a.pk, "2012-08"],
        (200, 200, 403, 404, 403, LOGIN, LOGIN),
    ),
    (
        "portal:plan-indicators",
        "get",
        lambda w: [w.plan_a.pk],
        (200, 200, 200, 404, 404, LOGIN, LOGIN),
    ),
    # Reports (reports/urls.py; helpers in tests/reports/matrix.py): everyone signed in
    # sees the reports page and published reports; administrators generate them.
    ("reports:reports", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, LOGIN)),
    (
        "reports:report-new",
        "get",
        lambda w: ["committee-summary"],
        (200, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    (
        "reports:report-new",
        "post",
        lambda w: ["kpi-booklet"],
        (200, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    (
        "reports:report-preview",
        "get",
        lambda w: ["kpi-booklet"],
        (200, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    (
        "reports:report-status",
        "get",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.published_pack(w).pk],
        (200, 200, 200, 200, 200, LOGIN, LOGIN),
    ),
    (
        "reports:report-status",
        "get",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.private_pack(w).pk],
        (200, 404, 404, 404, 404, LOGIN, LOGIN),
    ),
    # The planning round's plan PDFs: how many are ready (for its script), and making them
    # again; administrators only.
    (
        "reports:round-plan-pdfs",
        "get",
        lambda w: [2012],
        (200, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    (
        "reports:round-plan-pdfs-render",
        "post",
        lambda w: [2012],
        (302, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    # How far a report has got, for the script of its page: as the page.
    (
        "reports:report-progress",
        "get",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.published_pack(w).pk],
        (200, 200, 200, 200, 200, LOGIN, LOGIN),
    ),
    (
        "reports:report-progress",
        "get",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.private_pack(w).pk],
        (200, 404, 404, 404, 404, LOGIN, LOGIN),
    ),
    # Starting the worker for a waiting job (nothing to do for these, which are ready).
    (
        "reports:report-status",
        "post",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.published_pack(w).pk],
        (302, 302, 302, 302, 302, LOGIN, LOGIN),
    ),
    (
        "reports:report-status",
        "post",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.private_pack(w).pk],
        (302, 404, 404, 404, 404, LOGIN, LOGIN),
    ),
    (
        "reports:report-download",
        "get",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.published_pack(w).pk],
        (200, 200, 200, 200, 200, LOGIN, LOGIN),
    ),
    (
        "reports:report-download",
        "get",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.private_pack(w).pk],
        (200, 404, 404, 404, 404, LOGIN, LOGIN),
    ),
    # Releasing a report published to members to residents, and withdrawing it:
    # administrators only.
    (
        "reports:report-release",
        "post",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.published_pack(w).pk],
        (302, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    (
        "reports:report-withdraw",
        "post",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.released_pack(w).pk],
        (302, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    ("reports:report-release", "get", lambda w: [1], (405, 405, 405, 405, 405, 405, 405)),
    # Word: a committee summary for the form's parameters (administrators; the KPI booklet has
    # none), and a stored summary's for whoever may download its PDF.
    (
        "reports:report-docx",
        "get",
        lambda w: ["committee-summary"],
        (200, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    (
        "reports:report-docx",
        "get",
        lambda w: ["kpi-booklet"],
        (404, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    (
        "reports:report-file-docx",
        "get",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.published_summary(w).pk],
        (200, 200, 200, 200, 200, LOGIN, LOGIN),
    ),
    (
        "reports:report-file-docx",
        "get",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.private_summary(w).pk],
        (200, 404, 404, 404, 404, LOGIN, LOGIN),
    ),
    (
        "reports:report-file-docx",
        "get",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.published_pack(w).pk],
        (404, 404, 404, 404, 404, LOGIN, LOGIN),
    ),
    (
        "reports:report-publish",
        "post",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.private_pack(w).pk],
        (302, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    # A published plan's PDF: from storage, or its progress; none yet: a page that says so
    # (404), whose button (POST) renders it in the background and shows its progress. A draft
    # has no PDF and redirects to its print preview.
    (
        "reports:plan-pdf",
        "get",
        lambda w: [w.published_a.pk],
        (404, 404, 404, 404, 404, LOGIN, LOGIN),
    ),
    (
        "reports:plan-pdf",
        "post",
        lambda w: [w.published_a.pk],
        (302, 302, 302, 302, 302, LOGIN, LOGIN),
    ),
    ("reports:plan-pdf", "get", lambda w: [w.plan_a.pk], (302, 302, 302, 404, 404, LOGIN, LOGIN)),
    ("reports:plan-pdf", "post", lambda w: [w.plan_a.pk], (302, 302, 302, 404, 404, LOGIN, LOGIN)),
    ("reports:plan-print", "get", lambda w: [w.plan_a.pk], (200, 200, 200, 404, 404, LOGIN, LOGIN)),
    (
        "reports:plan-print",
        "get",
        lambda w: [w.published_a.pk],
        (200, 200, 200, 200, 200, LOGIN, LOGIN),
    ),
    # The plan as Word: as its print view (a draft's for its staff only).
    ("reports:plan-docx", "get", lambda w: [w.plan_a.pk], (200, 200, 200, 404, 404, LOGIN, LOGIN)),
    (
        "reports:plan-docx",
        "get",
        lambda w: [w.published_a.pk],
        (200, 200, 200, 200, 200, LOGIN, LOGIN),
    ),
    ("reports:covering-report-new", "get", lambda w: [], (200, 403, 403, 403, 403, LOGIN, LOGIN)),
    (
        "reports:covering-report-edit",
        "get",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.covering_report(w).pk],
        (200, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    # Progress on a published plan (tests/plans/progress_helpers.py): the service's staff record
    # it; the head of service (and administrators) comment, its officers may not (403); anyone
    # who may read the plan reads an item's history and downloads its evidence.
    (
        "plans:plan-progress",
        "get",
        lambda w: [w.published_a.pk],
        (200, 200, 200, 404, 404, LOGIN, LOGIN),
    ),
    (
        "plans:plan-progress",
        "get",
        lambda w: [w.plan_a.pk],
        (404, 404, 404, 404, 404, LOGIN, LOGIN),
    ),
    (
        "plans:progress-item",
        "get",
        lambda w: [w.published_a.pk, _progress().published_update(w).reference],
        (200, 200, 200, 404, 404, LOGIN, LOGIN),
    ),
    (
        "plans:progress-item",
        "post",
        lambda w: [w.published_a.pk, _progress().published_update(w).reference],
        (200, 200, 200, 404, 404, LOGIN, LOGIN),  # nothing chosen: the form says what is missing
    ),
    (
        "plans:progress-comment",
        "post",
        lambda w: (lambda u: [w.published_a.pk, u.reference, u.pk])(
            _progress().published_update(w)
        ),
        (200, 200, 403, 404, 404, LOGIN, LOGIN),  # no comment written: the form says so
    ),
    (
        "plans:item-history",
        "get",
        lambda w: [w.published_a.pk, _progress().published_update(w).reference],
        (200, 200, 200, 200, 200, LOGIN, LOGIN),
    ),
    (
        "plans:item-history",
        "get",
        lambda w: [w.plan_a.pk, w.action_a.reference],
        (200, 200, 200, 404, 404, LOGIN, LOGIN),
    ),
    (
        "plans:progress-evidence",
        "get",
        lambda w: [_progress().published_update(w, with_file=True).pk],
        (200, 200, 200, 200, 200, LOGIN, LOGIN),
    ),
    (
        "plans:progress-evidence",
        "get",
        lambda w: [_progress().draft_update_with_file(w).pk],
        (200, 200, 200, 404, 404, LOGIN, LOGIN),
    ),
    # Notifications: everyone signed in has their own list and preferences, and follows
    # committees; another person's notification is 404. The email's unsubscribe link needs no
    # sign-in: its signed token names the person and the kind (anonymous included).
    ("notifications:list", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, LOGIN)),
    (
        "notifications:open",
        "get",
        lambda w: [_notification(w.member).pk],
        (404, 404, 404, 404, 302, LOGIN, LOGIN),
    ),
    ("notifications:mark-all-read", "post", lambda w: [], (302, 302, 302, 302, 302, LOGIN, LOGIN)),
    ("notifications:preferences", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, LOGIN)),
    # The read API: everyone signed in, reading what the pages let them read (what each list
    # holds, persona by persona: tests/api/test_read_api.py); without a session or a token, 401.
    ("api:service-list", "get", lambda w: [], (200, 200, 200, 200, 200, 401, 401)),
    ("api:committee-list", "get", lambda w: [], (200, 200, 200, 200, 200, 401, 401)),
    ("api:plan-list", "get", lambda w: [], (200, 200, 200, 200, 200, 401, 401)),
    ("api:indicator-list", "get", lambda w: [], (200, 200, 200, 200, 200, 401, 401)),
    ("api:schema", "get", lambda w: [], (200, 200, 200, 200, 200, 401, 401)),
    # Open data (tests/opendata): published content, the same for everyone signed in; without
    # signing in only while the public pages are on (the last column). A month outside its
    # year is 404.
    ("opendata:index", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, 200)),
    (
        "opendata:file",
        "get",
        lambda w: [2012, "2012-08", "performance.csv"],
        (200, 200, 200, 200, 200, LOGIN, 200),
    ),
    (
        "opendata:file",
        "get",
        lambda w: [2011, "2012-03", "plans.json"],
        (200, 200, 200, 200, 200, LOGIN, 200),
    ),
    (
        "opendata:file",
        "get",
        lambda w: [2011, "2011-09", "budgets.csv-metadata.json"],
        (200, 200, 200, 200, 200, LOGIN, 200),
    ),
    (
        "opendata:file",
        "get",
        lambda w: [2012, "2013-08", "performance.csv"],
        (404, 404, 404, 404, 404, LOGIN, 404),
    ),
    ("api:directorate-list", "get", lambda w: [], (200, 200, 200, 200, 200, 401, 401)),
    ("api:head-of-service-list", "get", lambda w: [], (200, 200, 200, 200, 200, 401, 401)),
    ("api:report-list", "get", lambda w: [], (200, 200, 200, 200, 200, 401, 401)),
    # A plan by year and service code: a draft is its own staff's (404 for anyone else, as
    # for a plan that does not exist); a published plan, everyone's.
    (
        "api:plan-detail",
        "get",
        lambda w: [w.year.start_year, w.service_a.code],
        (200, 200, 200, 404, 404, 401, 401),
    ),
    (
        "api:plan-detail",
        "get",
        lambda w: [w.last_year.start_year, w.service_a.code],
        (200, 200, 200, 200, 200, 401, 401),
    ),
    # An indicator for the current year (2012/13, whose plans are drafts): its service's
    # staff only, as on the performance pages.
    (
        "api:indicator-detail",
        "get",
        lambda w: [_indicator(w.service_a).code],
        (200, 200, 200, 404, 404, 401, 401),
    ),
    # A head of service's resources: for a year with a published plan, everyone signed in
    # (as the head of service's page); for another, administrators only.
    (
        "api:resources-detail",
        "get",
        lambda w: [w.last_year.start_year, w.service_a.head_of_service_id],
        (200, 200, 200, 200, 200, 401, 401),
    ),
    (
        "api:resources-detail",
        "get",
        lambda w: [w.year.start_year, w.service_a.head_of_service_id],
        (200, 404, 404, 404, 404, 401, 401),
    ),
    # The API's documentation pages (Swagger UI, ReDoc): everyone signed in, as the schema
    # they draw; visitors are sent to sign in.
    ("api:docs", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, LOGIN)),
    ("api:redoc", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, LOGIN)),
    # Personal API tokens: everyone's own; another's token (or none) is 404.
    ("tokens:list", "get", lambda w: [], (200, 200, 200, 200, 200, LOGIN, LOGIN)),
    (
        "tokens:revoke",
        "post",
        lambda w: [_token_of(w.admin)],
        (302, 404, 404, 404, 404, LOGIN, LOGIN),
    ),
    (
        "notifications:unsubscribe",
        "get",
        lambda w: [_unsubscribe_token(w.member)],
        (200, 200, 200, 200, 200, 200, 200),
    ),
    (
        "notifications:unsubscribe",
        "post",
        lambda w: [_unsubscribe_token(w.member)],
        (302, 302, 302, 302, 302, 302, 302),
    ),
    ("notifications:unsubscribe", "get", lambda w: ["forged"], (404, 404, 404, 404, 404, 404, 404)),
    (
        "notifications:follow",
        "post",
        lambda w: [w.cabinet.pk],
        (302, 302, 302, 302, 302, LOGIN, LOGIN),
    ),
    (
        "notifications:unfollow",
        "post",
        lambda w: [w.cabinet.pk],
        (302, 302, 302, 302, 302, LOGIN, LOGIN),
    ),
    # The chasing page: administrators (every service) and heads of service (their own);
    # officers and members may not. Reminding finds the posted item again among the user's:
    # with none posted, there is nothing to remind (404).
    ("notifications:chasing", "get", lambda w: [], (200, 200, 403, 403, 403, LOGIN, LOGIN)),
    ("notifications:chasing-remind", "post", lambda w: [], (404, 404, 403, 403, 403, LOGIN, LOGIN)),
    # Starting a blank plan: the service and year are posted; none posted is 404 for anyone.
    ("plans:plan-start", "post", lambda w: [], (404, 404, 404, 404, 404, LOGIN, LOGIN)),
    # Imports from the web: administrators only. Confirming needs a file the same person
    # previewed in their session: with none, 404.
    ("portal:imports", "get", lambda w: [], (200, 403, 403, 403, 403, LOGIN, LOGIN)),
    ("portal:import-confirm", "post", lambda w: [], (404, 403, 403, 403, 403, LOGIN, LOGIN)),
    (
        "portal:import-template",
        "get",
        lambda w: ["structure"],
        (200, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    # People (organisation/urls.py): administrators only. Changes are POSTs that redirect
    # to the person's page (an empty form says what is missing; resending to someone with a
    # password says why not). The invitation's page is for anyone: a bad link says so.
    ("organisation:user-list", "get", lambda w: [], (200, 403, 403, 403, 403, LOGIN, LOGIN)),
    ("organisation:user-invite", "get", lambda w: [], (200, 403, 403, 403, 403, LOGIN, LOGIN)),
    ("organisation:user-invite", "post", lambda w: [], (200, 403, 403, 403, 403, LOGIN, LOGIN)),
    (
        "organisation:user-detail",
        "get",
        lambda w: [w.officer_a.pk],
        (200, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    (
        "organisation:user-detail",
        "post",
        lambda w: [w.officer_a.pk],
        (200, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    (
        "organisation:user-deactivate",
        "post",
        lambda w: [w.officer_b.pk],
        (302, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    (
        "organisation:user-reactivate",
        "post",
        lambda w: [w.officer_b.pk],
        (302, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    (
        "organisation:user-resend-invitation",
        "post",
        lambda w: [w.officer_a.pk],
        (302, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    ("organisation:user-import", "get", lambda w: [], (200, 403, 403, 403, 403, LOGIN, LOGIN)),
    (
        "organisation:user-import-confirm",
        "post",
        lambda w: [],
        (302, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    (
        "organisation:user-import-template",
        "get",
        lambda w: [],
        (200, 403, 403, 403, 403, LOGIN, LOGIN),
    ),
    ("organisation:invitation-accept", "get", lambda w: ["bad-token"], (200,) * 7),
    ("organisation:invitation-accept", "post", lambda w: ["bad-token"], (200,) * 7),
    # The health check for the reverse proxy and monitoring: public, no session.
    ("healthz", "get", lambda w: [], (200, 200, 200, 200, 200, 200, 200)),
    # Pages for residents (public/): not found while the council has them off (every persona
    # but the last); with them on, anyone reads what is published and nothing else. What each
    # page shows, and what it never shows: tests/residents.
    ("public:home", "get", lambda w: [], (*OFF, 200)),
    ("public:plans", "get", lambda w: [], (*OFF, 200)),
    ("public:plan", "get", lambda w: [w.published_a.pk], (*OFF, 200)),
    ("public:plan", "get", lambda w: [w.plan_a.pk], (*OFF, 404)),
    ("public:performance", "get", lambda w: [], (*OFF, 200)),
    # Service A has a published plan (2011/12, the year the pages show); service B has none.
    ("public:service", "get", lambda w: [w.service_a.pk], (*OFF, 200)),
    ("public:service", "get", lambda w: [w.service_b.pk], (*OFF, 404)),
    ("public:priority", "get", lambda w: [_priority().pk], (*OFF, 200)),
    ("public:reports", "get", lambda w: [], (*OFF, 200)),
    # A report reaches residents only once an administrator releases it: published to
    # members is not enough (its PDF is the members' edition).
    (
        "public:report-download",
        "get",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.released_pack(w).pk],
        (*OFF, 200),
    ),
    (
        "public:report-download",
        "get",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.published_pack(w).pk],
        (*OFF, 404),
    ),
    (
        "public:report-download",
        "get",
        lambda w: [__import__("tests.reports.matrix").reports.matrix.private_pack(w).pk],
        (*OFF, 404),
    ),
    # Reading only: a POST is not allowed (405) once the pages are on.
    ("public:plans", "post", lambda w: [], (*OFF, 405)),
]


def _indicator(service):
    from tests import factories

    return factories.IndicatorFactory(service=service)


def _progress():
    from tests.plans import progress_helpers

    return progress_helpers


def _priority():
    from tests import factories

    return factories.PriorityFactory()


def _notification(user):
    from tests import factories

    return factories.NotificationFactory(recipient=user)


def _token_of(user):
    from api.services import create_token

    return create_token(user=user, name="Power BI", days=30)[0].pk


def _unsubscribe_token(user):
    from notifications.services import unsubscribe_token

    return unsubscribe_token(user, "plan-published")


# Django's own admin has its own permission system and tests.
NOT_IN_MATRIX = {"admin"}


def all_url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in NOT_IN_MATRIX:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_url_is_in_the_matrix():
    assert all_url_names() - {name for name, *_ in MATRIX} == set()


CASES = [
    pytest.param(name, method, args, persona, expected[index], id=f"{name}-{persona}-{n}")
    for n, (name, method, args, expected) in enumerate(MATRIX)
    for index, persona in enumerate(MATRIX_PERSONAS)
]


def test_every_row_has_a_status_for_every_persona():
    assert {len(expected) for *_, expected in MATRIX} == {len(MATRIX_PERSONAS)}


@pytest.mark.parametrize(("name", "method", "args", "persona", "expected"), CASES)
def test_permission_matrix(client, world, name, method, args, persona, expected):
    from tests import factories

    world.action_a = factories.ActionFactory(plan=world.plan_a)
    if persona == "public":
        turn_on_public_pages()
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    url = reverse(name, args=args(world))
    response = getattr(client, method)(url)
    assert response.status_code == expected
