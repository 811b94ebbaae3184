"""What axe does not see: every kind of control shows a focus indicator at 3:1 or more against
what surrounds it (WCAG 1.4.11, 2.4.7) and form fields have borders at 3:1 or more; on a phone
the signed-in navigation folds behind a "Menu" toggle that works with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
PHONE = {"width": 390, "height": 844}
WHITE = "rgb(255, 255, 255)"

# The focused element, what kind of control it is, its focus ring and the background behind it.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let background = "rgb(255, 255, 255)";  // the page's
  for (let up = el.parentElement; up; up = up.parentElement) {
    const colour = getComputedStyle(up).backgroundColor;
    if (colour !== "transparent" && !/, 0\\)$/.test(colour)) { background = colour; break; }
  }
  let kind = el.tagName.toLowerCase();
  if (el.matches(".is-invalid")) kind = "field with an error";
  else if (el.matches("summary")) kind = "menu toggle";
  else if (el.matches(".nav-link")) kind = "navigation link";
  else if (el.matches(".page-link")) kind = "page link";
  else if (el.matches("a.btn")) kind = "link styled as a button";
  else if (el.matches("button, .btn")) kind = "button";
  else if (el.matches("[role=region]")) kind = "scrolling table";
  else if (el.matches("input[type=text], input[type=email]")) kind = "text field";
  else if (el.matches("input")) kind = el.type;
  else if (el.matches("select")) kind = "select";
  else if (el.matches("a")) kind = "link";
  return {
    kind, html: el.outerHTML.slice(0, 120), background,
    outline: style.outlineStyle === "none"
      ? null : [style.outlineColor, parseFloat(style.outlineWidth)],
    shadow: style.boxShadow,
  };
}"""

FIELD_BORDERS = """() => [
  ...document.querySelectorAll(".form-control, .form-select, .form-check-input")
].filter(el => !el.matches(".is-invalid, :checked"))
  .map(el => [el.outerHTML.slice(0, 80), getComputedStyle(el).borderTopColor])"""


def _rgba(text):
    parts = [float(part) for part in re.findall(r"[\d.]+", text)]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def _over(colour, background):
    """A colour as seen over an opaque background (a translucent ring is paler than it says)."""
    *rgb, alpha = _rgba(colour)
    below = _rgba(background)[:3]
    return [alpha * over + (1 - alpha) * under for over, under in zip(rgb, below, strict=True)]


def _luminance(rgb):
    def linear(channel):
        channel /= 255
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(colour, background):
    lighter, darker = sorted(
        (_luminance(_over(colour, background)), _luminance(_rgba(background)[:3])), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def ring_contrast(focused):
    """The best contrast of any part of the focus ring at least 2px wide: the outline, or a
    box-shadow's ring (its spread)."""
    rings = []
    if focused["outline"] and focused["outline"][1] >= 2:
        rings.append(focused["outline"][0])
    for shadow in re.split(r",(?![^(]*\))", focused["shadow"]):
        colour = re.search(r"rgba?\([^)]*\)", shadow)
        lengths = [float(n) for n in re.findall(r"(-?[\d.]+)px", shadow)]
        if colour and "inset" not in shadow and len(lengths) == 4 and lengths[3] >= 2:
            rings.append(colour.group())
    return max((contrast(ring, focused["background"]) for ring in rings), default=1.0)


def sign_in(browser, live_server, username, *, viewport, javascript=True):
    # Bootstrap eases a focus ring in over 0.15s, except for people who ask for less motion:
    # ask too, so that the ring is measured as it ends, not halfway.
    context = browser.new_context(
        viewport=viewport, java_script_enabled=javascript, reduced_motion="reduce"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def tab_through(page):
    """Every control the Tab key reaches on the page, from the top, with its focus ring."""
    page.locator("body").focus()
    seen = []
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["kind"] == "body" or (seen and focused["html"] == seen[0]["html"]):
            break
        seen.append(focused)
    return seen


def test_every_kind_of_control_shows_its_focus_and_fields_their_borders_at_3_to_1(
    live_world, browser, live_server, monkeypatch, request
):
    monkeypatch.setattr("organisation.views.PAGE_SIZE", 2)  # the user list gets pages
    context, page = sign_in(browser, live_server, "admin", viewport={"width": 1280, "height": 900})
    request.addfinalizer(context.close)
    focused = []
    for path in ("/users/", "/council/settings/", "/users/invite/"):
        page.goto(live_server.url + path)
        focused += tab_through(page)
        borders = page.evaluate(FIELD_BORDERS)
        weak = [(html, colour) for html, colour in borders if contrast(colour, WHITE) < 3]
        assert not weak, f"{path}: field borders under 3:1: {weak}"
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    focused += tab_through(page)

    kinds = {control["kind"] for control in focused}
    assert kinds >= {
        "link",
        "navigation link",
        "link styled as a button",
        "button",
        "page link",
        "scrolling table",
        "text field",
        "textarea",
        "date",
        "file",
        "select",
        "checkbox",
        "radio",
        "field with an error",
    }, kinds
    faint = [
        (control["kind"], round(ring_contrast(control), 2), control["html"])
        for control in focused
        if ring_contrast(control) < 3
    ]
    assert not faint, f"focus indicators under 3:1: {faint}"


def test_on_a_phone_the_menu_folds_away_and_opens_with_or_without_javascript(
    live_world, browser, live_server, request
):
    for javascript in (True, False):
        context, page = sign_in(
            browser, live_server, "admin", viewport=PHONE, javascript=javascript
        )
        request.addfinalizer(context.close)
        users = page.get_by_role("link", name="Users", exact=True)
        expect(users).to_be_hidden()
        assert page.locator("main").bounding_box()["y"] < 200, "the content starts near the top"
        toggle = page.locator("summary", has_text="Menu")
        while page.evaluate("document.activeElement.tagName") != "SUMMARY":
            page.keyboard.press("Tab")
        assert ring_contrast(page.evaluate(FOCUSED)) >= 3
        page.keyboard.press("Enter")
        expect(page.locator("details.site-menu")).to_have_attribute("open", "")
        expect(users).to_be_visible()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Home"
        toggle.click()
        expect(users).to_be_hidden()

    context, page = sign_in(browser, live_server, "admin", viewport={"width": 1280, "height": 900})
    request.addfinalizer(context.close)
    expect(page.locator("summary", has_text="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Users", exact=True)).to_be_visible()
