"""Read a page's form the way a browser would, and fill it in badly.

parse_form() finds the page's main POST form (the one with the most fields: the header's
sign-out form has none) and lists its fields with their current values and choices. fill()
draws, for every field, one of: leave it as the page had it, type hostile text, choose another
of its options, clear it, or leave it out; and sometimes adds a field the form never had.
Given `tamper_ids`, it may also put one of them in a choice or a row's hidden id (ids of
other plans' rows, ids past the database's range) and claim far more rows than a formset
takes (TOTAL_FORMS).
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import strategies as st

from tests.fuzz.hostile import hostile_text


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "select-multiple" or "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False


@dataclass
class Form:
    action: str
    fields: list[Field] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._form = Form(action=attrs.get("action") or "")
            self.forms.append(self._form)
        if self._form is None or tag not in {"input", "select", "option", "textarea", "button"}:
            return
        name = attrs.get("name")
        if tag in ("input", "button") and name:
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            self._form.fields.append(
                Field(name, kind, attrs.get("value") or "", checked="checked" in attrs)
            )
        elif tag == "select" and name:
            kind = "select-multiple" if "multiple" in attrs else "select"
            self._select = Field(name, kind)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select.options.append(value)
            if "selected" in attrs:
                self._select.value = value
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_form(html: str) -> Form:
    parser = _FormParser()
    parser.feed(html)
    forms = [form for form in parser.forms if form.fields]
    assert forms, "the page has no form with fields"
    return max(forms, key=lambda form: len(form.fields))


def page_values(form: Form) -> dict[str, list[str]]:
    """What the browser would send if the user pressed the first submit button."""
    data: dict[str, list[str]] = {}
    pressed = False
    for item in form.fields:
        if item.kind in ("checkbox", "radio") and not item.checked:
            continue
        if item.kind == "submit":
            if pressed:
                continue
            pressed = True
        if item.kind == "select-multiple" and not item.value:
            continue
        data.setdefault(item.name, []).append(item.value)
    return data


KEEP, HOSTILE, OPTION, CLEAR, DROP, TAMPER = range(6)


def is_model_choice(item: Field) -> bool:
    """A choice of rows by id: a select offering ids, or one checkbox of such a list."""
    if item.kind in ("select", "select-multiple"):
        return any(option.isdecimal() for option in item.options)
    return item.kind == "checkbox" and item.value.isdecimal()


def is_row_id(item: Field) -> bool:
    """The hidden id of a formset row, e.g. objectives-0-id."""
    return item.kind == "hidden" and item.name.endswith("-id")


def tamperable(item: Field) -> bool:
    return is_model_choice(item) or is_row_id(item) or item.name.endswith("-TOTAL_FORMS")


@st.composite
def fill(draw, form: Form, *, keep_names=(), fixed: dict | None = None, tamper_ids=()):
    """Form data with every field perhaps spoilt. `keep_names` are left as the page had them
    (e.g. the editor's conflict fingerprint), `fixed` are forced (e.g. which button);
    `tamper_ids` are put in choices and row ids (see the module's docstring)."""
    data = page_values(form)
    for item in form.fields:
        if item.name in keep_names or item.kind == "submit" or item.name == "csrfmiddlewaretoken":
            continue
        choices = [KEEP, KEEP, HOSTILE, HOSTILE, OPTION, CLEAR, DROP]
        if tamper_ids and tamperable(item):
            choices += [TAMPER, TAMPER]
        choice = draw(st.sampled_from(choices))
        if choice == TAMPER and item.name.endswith("-TOTAL_FORMS"):
            data[item.name] = [str(draw(st.integers(201, 10**6)))]
        elif choice == TAMPER:
            data[item.name] = [draw(st.sampled_from(list(tamper_ids)))]
        elif choice == HOSTILE:
            data[item.name] = [draw(hostile_text)]
        elif choice == OPTION and item.options:
            data[item.name] = draw(st.lists(st.sampled_from(item.options), max_size=3))
        elif choice == OPTION and item.kind in ("checkbox", "radio"):
            data[item.name] = [item.value or "on"]
        elif choice == CLEAR:
            data[item.name] = [""]
        elif choice == DROP:
            data.pop(item.name, None)
    if draw(st.integers(0, 9)) == 0:
        data[draw(st.sampled_from(["id", "pk", "plan", "status", "x"]))] = [draw(hostile_text)]
    data.update(fixed or {})
    return data
