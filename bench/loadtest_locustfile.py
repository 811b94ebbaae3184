"""The users of the load test (bench/loadtest.py starts locust with this file; not run alone).

The driver passes, in the LOADTEST environment variable (JSON), the session cookies it made for
the demo accounts and the pages to visit, so no user signs in during the measurement (password
hashing would otherwise dominate the first seconds). SCENARIO chooses who comes:

- ceiling: GET /healthz, no pause: the most this stack answers (no database, no session).
- ceiling-signed-in: the same for a signed-in member (the session and user look-ups).
- plan: members reading published plans, no pause: throughput of the plan page.
- mixed: members browsing plans, the performance overview, corporate indicators, priorities,
  committees, heads of service and search; officers opening and saving plan sections and
  entering figures; each pausing 1–3 s between pages like a person. The driver keeps a committee
  pack rendering meanwhile.
"""

import itertools
import json
import os
import random
import re
from http.cookiejar import Cookie
from urllib.parse import urlsplit

from locust import FastHttpUser, between, constant, task

CONFIG = json.loads(os.environ["LOADTEST"])
SCENARIO = os.environ["SCENARIO"]
BASE = re.compile(r'name="base" value="([^"]*)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
_member_sessions = itertools.cycle(CONFIG["member_sessions"])
_officer_slots = iter(CONFIG["officer_slots"])


class SignedIn(FastHttpUser):
    abstract = True

    def sign_in_with(self, session_key: str) -> None:
        """Put the session the driver made into this user's cookie jar."""
        host = urlsplit(self.host).hostname
        self.client.cookiejar.set_cookie(
            Cookie(
                0,
                "sessionid",
                session_key,
                None,
                False,
                host,
                False,
                False,
                "/",
                True,
                False,
                None,
                True,
                None,
                None,
                {},
            )
        )

    def get(self, path: str, name: str):
        return self.client.get(path, name=name)

    def post_form(self, path: str, data: dict, name: str, page: str):
        """Post a form read from `page`, with its CSRF token and the editor's fingerprint."""
        token = CSRF.search(page)
        data = {"csrfmiddlewaretoken": token[1] if token else "", **data}
        base = BASE.search(page)
        if base:
            data["base"] = base[1]
        with self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302:
                response.success()
            else:
                response.failure(f"{response.status_code}: not saved")


class Ceiling(FastHttpUser):
    wait_time = constant(0)
    weight = 1 if SCENARIO == "ceiling" else 0

    @task
    def health(self):
        self.client.get("/healthz", name="GET /healthz (trivial view)")


class SignedInCeiling(SignedIn):
    """The same trivial view for a signed-in member: what the session and user look-ups that
    every page of the site needs cost on top."""

    wait_time = constant(0)
    weight = 1 if SCENARIO == "ceiling-signed-in" else 0

    def on_start(self):
        self.sign_in_with(next(_member_sessions))

    @task
    def health(self):
        self.get("/healthz", "GET /healthz signed in (session + user)")


class PlanReader(SignedIn):
    wait_time = constant(0)
    weight = 1 if SCENARIO == "plan" else 0

    def on_start(self):
        self.sign_in_with(next(_member_sessions))

    @task
    def plan(self):
        self.get(random.choice(CONFIG["plans"]), "GET /plans/<id>/ (plan page)")


class Member(SignedIn):
    wait_time = between(1, 3)
    weight = CONFIG["members"] if SCENARIO == "mixed" else 0

    def on_start(self):
        self.sign_in_with(next(_member_sessions))

    @task(4)
    def plan(self):
        self.get(random.choice(CONFIG["plans"]), "GET /plans/<id>/ (plan page)")

    @task(2)
    def overview(self):
        self.get("/performance/", "GET /performance/ (overview)")

    @task(1)
    def corporate(self):
        self.get("/performance/corporate/", "GET /performance/corporate/")

    @task(1)
    def priority(self):
        self.get(random.choice(CONFIG["priorities"]), "GET /priorities/<id>/")

    @task(2)
    def committee(self):
        self.get(random.choice(CONFIG["committees"]), "GET /committees/<id>/")

    @task(1)
    def home(self):
        self.get("/", "GET / (home)")

    @task(1)
    def head_of_service(self):
        self.get(random.choice(CONFIG["heads"]), "GET /heads-of-service/<id>/")

    @task(1)
    def search(self):
        word = random.choice(["licensing", "waste", "benefit", "parking", "council tax"])
        self.get(f"/search/?q={word}", "GET /search/")


class Officer(SignedIn):
    """Each officer has a section and a period of their own, as real colleagues would: two
    people saving the same section at the same moment get the conflict page (tested in the
    suite), which is not what this measures."""

    wait_time = between(1, 3)
    weight = CONFIG["officers"] if SCENARIO == "mixed" else 0

    def on_start(self):
        slot = next(_officer_slots)
        self.sign_in_with(slot["session"])
        self.section_url = slot["section_url"]
        self.section_field = slot["section_field"]
        self.figures_url = slot["figures_url"]
        self.figures_fields = slot["figures_fields"]
        self.saves = 0

    @task(3)
    def edit_section(self):
        page = self.get(self.section_url, "GET /plans/<id>/sections/<slug>/ (editor)")
        self.saves += 1
        text = f"Load test paragraph {self.saves}: the service's direction for the year."
        self.post_form(
            self.section_url,
            {self.section_field: text},
            "POST /plans/<id>/sections/<slug>/ (save)",
            page.text or "",
        )

    @task(2)
    def enter_figures(self):
        page = self.get(self.figures_url, "GET /performance/figures/<service>/<period>/")
        data = {}
        for prefix in self.figures_fields:
            data[f"{prefix}-value"] = str(90 + random.randint(0, 10))
            data[f"{prefix}-state"] = "verified"
            data[f"{prefix}-commentary"] = "On track."
            data[f"{prefix}-forecast_outturn"] = ""
        self.post_form(
            self.figures_url,
            data,
            "POST /performance/figures/<service>/<period>/ (save)",
            page.text or "",
        )
