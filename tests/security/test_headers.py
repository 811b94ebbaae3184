"""Security headers on every page: a strict Content-Security-Policy, no framing, no referrer to
other sites, no caching of signed-in pages; and no inline script or style in any template."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from performance.charts import render_trend_chart
from tests.performance.test_charts import trend  # noqa: F401 (the fixture)

CSP = "Content-Security-Policy"


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.officer_a)
    return client


def test_pages_carry_a_strict_content_security_policy(signed_in, world):
    response = signed_in.get(reverse("portal:plan-workspace", args=[world.plan_a.pk]))
    assert response.status_code == 200
    policy = directives(response[CSP])
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"][0] == "'self'"
    assert policy["style-src"][0] == "'self'"
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "unsafe-inline" not in response[CSP]
    assert "unsafe-eval" not in response[CSP]


def test_a_nonce_used_by_the_page_is_in_the_header(rf):
    """A template that needs an inline script writes <script nonce="{{ CSP_NONCE }}">; the
    header then allows exactly that nonce, new for every response."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import RequestContext, Template

    template = Template('<script nonce="{{ CSP_NONCE }}">1</script>')

    def view(request):
        return HttpResponse(template.render(RequestContext(request, {})))

    middleware = CSPMiddleware(view)
    nonces = []
    for _ in range(2):
        response = middleware(rf.get("/"))
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode())[1]
        assert f"'nonce-{nonce}'" in directives(response[CSP])["script-src"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_the_sign_in_page_and_errors_have_the_policy_too(client, world):
    assert "'none'" in client.get(reverse("login"))[CSP]
    client.force_login(world.officer_b)
    response = client.get(reverse("portal:plan-workspace", args=[world.plan_a.pk]))
    assert response.status_code == 404
    assert "default-src 'none'" in response[CSP]


def test_other_security_headers(signed_in):
    response = signed_in.get(reverse("portal:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    # Unpublished plans must not stay in a shared cache or on a shared computer's disk.
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_https_settings_send_hsts_and_secure_cookies(client, world, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    assert client.get(reverse("login")).status_code == 301  # plain HTTP is redirected
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.cookies["csrftoken"]["secure"]
    response = client.post(
        reverse("login"),
        {"username": "member", "password": "correct horse battery staple"},
        secure=True,
    )
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["secure"]
    assert response.cookies[settings.SESSION_COOKIE_NAME]["httponly"]


def test_health_check_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200


def test_the_server_error_page_needs_no_inline_style(client):
    from django.template.loader import get_template

    html = get_template("500.html").render()
    assert "style=" not in html and "<style" not in html
    assert "css/error.css" in html


# Inline scripts and styles run only with the page's nonce; style="" attributes never do.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
# Rendered by WeasyPrint into PDFs; their browser previews are listed in the report to the lead.
PDF_TEMPLATES = "reports"


def site_templates():
    root = settings.BASE_DIR / "templates"
    return [
        path
        for path in sorted(root.rglob("*.html"))
        if path.relative_to(root).parts[0] != PDF_TEMPLATES and not is_email(path)
    ]


def is_email(path) -> bool:
    """An email's HTML part: read in mail clients, which apply no Content-Security-Policy and
    style email only through style= attributes."""
    return "email" in path.parts or path.name.endswith("_email.html")


@pytest.mark.parametrize("path", site_templates(), ids=lambda path: path.name)
def test_no_template_has_inline_script_or_style(path):
    text = path.read_text()
    for pattern, what in (
        (INLINE_SCRIPT, "an inline <script> without a nonce"),
        (INLINE_STYLE, "a <style> block without a nonce"),
        (STYLE_ATTRIBUTE, "a style= attribute"),
        (EVENT_ATTRIBUTE, "an on…= event handler attribute"),
    ):
        assert not pattern.search(text), f"{path} has {what}"


@pytest.mark.django_db
def test_trend_charts_use_presentation_attributes_not_style(trend):  # noqa: F811
    """Inline SVG is part of the page: a style= attribute or <style> in it would be blocked."""
    html = str(render_trend_chart(trend))
    assert "<svg" in html
    assert not STYLE_ATTRIBUTE.search(html) and "<style" not in html
    assert 'fill="' in html  # colours are presentation attributes, which CSP allows


def test_pdfs_get_a_policy_the_browsers_pdf_viewer_works_with(rf):
    """Chrome's PDF viewer is blocked by default-src/object-src 'none' on the PDF itself; an
    inline PDF (a published plan, a committee pack) is only kept from being framed."""
    from csp.middleware import CSPMiddleware
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from security.audit import SecurityMiddleware

    def pdf(request):
        return HttpResponse(b"%PDF-1.7", content_type="application/pdf")

    def page(request):
        return HttpResponse(b"<p>page</p>")

    def policy(view):
        request = rf.get("/")
        request.user = AnonymousUser()
        chain = CSPMiddleware(SecurityMiddleware(view))  # their order in settings.MIDDLEWARE
        return directives(chain(request)[CSP])

    assert policy(pdf) == {"frame-ancestors": ["'none'"]}
    assert policy(page)["default-src"] == ["'none'"]
