"""Editors in the admin: logging in, and saving a change form as a browser would."""

import re
from html.parser import HTMLParser
from urllib.parse import urlencode

from ..conftest import EDITOR, Response, StackClient
from .wire import form_body


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


class FormFields(HTMLParser):
    """The name/value pairs a browser would submit from the form with this id."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        name = attrs.get("name")
        if not self.inside or "disabled" in attrs:
            return
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.fields.append((name, attrs.get("value") or ""))
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
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.fields.append((name, text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"]:
                chosen = self.select["all"][:1]
            self.fields += [(self.select["name"], value) for value in chosen]
            self.select = None


def admin_save(editor: StackClient, url: str, form_id: str, changes: dict[str, str]) -> None:
    """Open an admin change form, set the fields whose names match `changes`, save it."""
    page = editor.get(url)
    assert page.status == 200, (page.status, url)
    parser = FormFields(form_id)
    parser.feed(page.text)
    data, matched = [], set()
    for name, value in parser.fields:
        if "__prefix__" in name:  # the empty template of an inline, never submitted
            continue
        for pattern, new in changes.items():
            if re.fullmatch(pattern, name):
                value = new
                matched.add(pattern)
        data.append((name, value))
    assert matched == set(changes), f"not on the form: {set(changes) - matched}"
    response = editor.post(url, body=form_body([*data, ("_save", "Save")]))
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
    assert response.status == 302, (response.status, errors)
