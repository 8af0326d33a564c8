"""Submitting an admin form as a browser does: every field as the page shows it, a few changed.

Admin pages with inlines carry dozens of fields (management forms, one row per choice or
rule); reading them off the page keeps tests to what they change, and posts what an
editor's browser would.
"""

from bs4 import BeautifulSoup


def form_data(response, form_id: str | None = None) -> dict[str, list[str]]:
    """name → values of the page's form: by default admin's change form ("<model>_form"),
    not the log-out form in the header."""
    page = BeautifulSoup(response.content.decode(), "html.parser")
    if form_id:
        form = page.find("form", id=form_id)
    else:
        form = page.find("form", id=lambda value: value and value.endswith("_form"))
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        # Inline templates for "Add another" rows ("__prefix__") are never submitted as rows.
        if not name or "__prefix__" in name or field.get("disabled") is not None:
            continue
        if field.name == "select":
            values = [o.get("value", o.text) for o in field.find_all("option", selected=True)]
        elif field.name == "textarea":
            values = [field.text.removeprefix("\n")]
        elif field.get("type") in ("checkbox", "radio"):
            values = [field.get("value", "on")] if field.get("checked") is not None else []
        elif field.get("type") in ("submit", "button", "image", "reset", "file"):
            continue
        else:
            values = [field.get("value", "")]
        data.setdefault(name, []).extend(values)
    return data


def submit(client, url: str, **changes):
    """Open `url`, change some fields (a name → a value, a list of values, or None to
    untick or clear), and post the form back to `url`."""
    data = form_data(client.get(url))
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [str(value)]
    return client.post(url, data)


def row_prefix(data: dict[str, list[str]], prefix: str, field: str, value) -> str:
    """The form prefix ("rules-0") of the inline row whose `field` holds `value`."""
    for name, values in data.items():
        if name.startswith(f"{prefix}-") and name.endswith(f"-{field}") and values == [str(value)]:
            return name.removesuffix(f"-{field}")
    raise LookupError(f"no {prefix} row with {field}={value}")
