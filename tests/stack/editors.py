"""Editors in the admin: logging in, and reading a page's links and forms and sending a
form back as a browser would."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

from .conftest import EDITOR, Response, StackClient


def log_in(client: StackClient, next_url: str) -> Response:
    address = "/admin/login/?" + urlencode({"next": next_url})
    assert client.get(address).status == 200
    return client.post(
        address,
        {
            "csrfmiddlewaretoken": client.csrf_token(),
            "username": EDITOR[0],
            "password": EDITOR[1],
            "next": next_url,
        },
    )


@dataclass
class Form:
    """A form as a browser sends it: its fields' name/value pairs as the page shows them,
    and the button pressing Enter sends (the first submit button)."""

    id: str | None
    action: str  # as written: "" sends it to the page's own address
    method: str  # "get" or "post"
    fields: list[tuple[str, str]] = field(default_factory=list)
    button: tuple[str, str] | None = None


class Page(HTMLParser):
    """The links (<a href>) and forms of a page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.textarea = None
        self.select = None
        self.feed(html)

    def form_with_id(self, form_id: str) -> Form:
        return next(form for form in self.forms if form.id == form_id)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.form = Form(attrs.get("id"), attrs.get("action") or "", method)
            self.forms.append(self.form)
            return
        name = attrs.get("name")
        if self.form is None or "disabled" in attrs:
            return
        fields = self.form.fields
        if tag in ("input", "button") and name:
            kind = (attrs.get("type") or ("text" if tag == "input" else "submit")).lower()
            if kind == "submit" and self.form.button is None:
                self.form.button = (name, attrs.get("value") or "")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    fields.append((name, attrs.get("value") or "on"))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "all": [], "chosen": []}
        elif tag == "option" and self.select is not None:
            self.select["all"].append(attrs.get("value") or "")
            if "selected" in attrs:
                self.select["chosen"].append(attrs.get("value") or "")

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            if self.form is not None:
                self.form.fields.append((name, text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"]:
                chosen = self.select["all"][:1]
            if self.form is not None:
                self.form.fields += [(self.select["name"], value) for value in chosen]
            self.select = None


def admin_save(editor: StackClient, url: str, form_id: str, changes: dict[str, str]) -> None:
    """Open an admin change form, set the fields whose names match `changes`, save it."""
    page = editor.get(url)
    assert page.status == 200, (page.status, url)
    data, matched = [], set()
    for name, value in Page(page.text).form_with_id(form_id).fields:
        if "__prefix__" in name:  # the empty template of an inline, never submitted
            continue
        for pattern, new in changes.items():
            if re.fullmatch(pattern, name):
                value = new
                matched.add(pattern)
        data.append((name, value))
    assert matched == set(changes), f"not on the form: {set(changes) - matched}"
    response = editor.post(url, [*data, ("_save", "Save")])
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
    assert response.status == 302, (response.status, errors)
