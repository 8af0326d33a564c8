"""Script an attacker might get into editors' Markdown, and Chromium looking for any sign of
it having run: with the site's Content-Security-Policy, and with it stripped."""

import re
from html.parser import HTMLParser

from advice.markdown import ALLOWED_TAGS


def payload(field: str) -> str:
    """Markdown carrying every way of running script we know of, each naming its field."""
    js = f"window.__xss='{field}';document.title='XSS';fetch('/__xss__/{field}');alert('{field}')"
    vectors = [
        f"<script>{js}</script>",
        f'<img src=x onerror="{js}">',
        f"<IMG SRC=JaVaScRiPt:window.__xss='{field}'>",
        f'<svg onload="{js}"><circle r="1"/></svg>',
        f"<svg><script>{js}</script></svg>",
        "<math><mtext><table><mglyph><style>"
        f'<img src=x onerror="{js}"></style></mglyph></table></mtext></math>',
        '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>"></p></noscript>',
        '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
        f'<iframe src="javascript:{js}"></iframe>',
        f'<object data="javascript:{js}"></object><embed src="javascript:{js}">',
        f'<a href="javascript:{js}">plain javascript link</a>',
        f'<a href="JaVaScRiPt&#58;{js}">entity javascript link</a>',
        f'<a href="&#x6A;avascript&colon;{js}">hex entity javascript link</a>',
        f'<a href=" &#x09;java&#x0A;script:{js}">whitespace javascript link</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3M9MTwvc2NyaXB0Pg==">data</a>',
        f"[markdown javascript link](javascript:{js})",
        f"![markdown javascript image](javascript:{js})",
        f'![alt" onerror="{js}](/static/nothing.png)',
        f'<details open ontoggle="{js}"><summary>toggle</summary>x</details>',
        f'<body onload="{js}"><input autofocus onfocus="{js}">',
        f'<video><source onerror="{js}"></video><audio src=x onerror="{js}"></audio>',
        f'<form action="javascript:{js}"><button formaction="javascript:{js}">go</button></form>',
        f'<base href="javascript:{js}//"><meta http-equiv="refresh" content="0;url=javascript:1">',
        f'<style>@import "javascript:{js}";</style><p style="background:url(javascript:1)">x</p>',
        f'<template><img src=x onerror="{js}"></template>',
        f'<a href="https://example.org/" onclick="{js}" onmouseover="{js}">handlers</a>',
        f'<!--><img src=x onerror="{js}">-->',
        f"<scr<script>ipt>{js}</scr</script>ipt>",
        f'<img src="x" title="&quot; onerror=&quot;{js}">',
        "`<img src=x onerror=window.__xss=1>`",
    ]
    return f"xss-probe-{field}\n\n" + "\n\n".join(vectors) + "\n"


# Run in the loaded page: anything that could run script, or that the sanitiser must drop.
AUDIT = """
allowedInProse => {
  const found = [];
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data",
                         "poster", "background", "srcset", "ping", "codebase", "cite"];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    for (const {name, value} of element.attributes) {
      const attribute = name.toLowerCase();
      if (attribute.startsWith("on") || ["srcdoc", "style"].includes(attribute)) {
        found.push(`${tag}[${attribute}]`);
      }
      const url = value.replace(/[\\u0000-\\u0020]+/g, "").toLowerCase();
      if (urlAttributes.includes(attribute) && /^(javascript|data|vbscript):/.test(url)) {
        found.push(`${tag}[${attribute}=${value.slice(0, 40)}]`);
      }
    }
    if (["iframe", "frame", "object", "embed", "applet", "base", "svg", "math",
         "template", "style", "noscript"].includes(tag)) {
      found.push(tag);
    }
    const source = new URL(element.getAttribute("src") || "", location.href).href;
    if (tag === "script" && element.getAttribute("type") !== "application/ld+json"
        && !source.startsWith(location.origin + "/static/")) {
      found.push("script not from /static/");
    }
    if (tag === "meta" && element.httpEquiv) found.push("meta http-equiv");
    if (element.closest(".prose") && element.closest(".prose") !== element
        && !allowedInProse.includes(tag)) {
      found.push(`<${tag}> in prose`);
    }
  }
  return found;
}
"""

# Whether an inline script added now runs: proves the CSP really was on, or off.
INLINE_SCRIPT_RUNS = """() => {
  const script = document.createElement("script");
  script.textContent = "window.__control = 1";
  document.body.append(script);
  return window.__control === 1;
}"""


def open_in_chromium(browser, stack, path: str, *, keep_csp: bool, post: dict | None = None):
    """Load a page of the stack in Chromium and report every sign of script having run.

    The test fetches each document itself (so the CSP header can be dropped, or the GET
    turned into the editor's preview POST) and hands it to Chromium; nothing leaves the site.
    """
    context = browser.new_context(extra_http_headers={"X-Forwarded-Proto": "https"})
    context.set_default_timeout(10_000)
    page = context.new_page()
    seen = {"dialogs": [], "errors": [], "csp": [], "markers": [], "outside": []}
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and seen["csp"].append(message.text)
        ),
    )
    page.on(
        "request",
        lambda request: "/__xss__/" in request.url and seen["markers"].append(request.url),
    )

    def handle(route):
        request = route.request
        if not request.url.startswith(stack.url + "/"):
            seen["outside"].append(request.url)
            route.abort()
        elif request.resource_type != "document":
            route.continue_()
        else:
            headers = {**request.headers, "x-forwarded-proto": "https"}
            if post is None:
                response = route.fetch(headers=headers)
            else:
                response = route.fetch(
                    method="POST", headers={**headers, **post["headers"]}, post_data=post["body"]
                )
            kept = {
                name: value
                for name, value in response.headers.items()
                if keep_csp or name.lower() != "content-security-policy"
            }
            route.fulfill(response=response, headers=kept)

    page.route("**/*", handle)
    try:
        response = page.goto(stack.url + path, wait_until="load")
        page.wait_for_timeout(300)  # error and toggle events may fire after load
        findings = {
            "status": response.status,
            "sentinel": page.evaluate("() => window.__xss ?? null"),
            "title": page.title(),
            "audit": page.evaluate(AUDIT, sorted(ALLOWED_TAGS)),
            "text": page.evaluate("() => document.documentElement.textContent"),
            **{key: list(value) for key, value in seen.items()},
        }
        findings["inline_script_runs"] = page.evaluate(INLINE_SCRIPT_RUNS)
        return findings
    finally:
        context.close()


def assert_no_script_ran(findings: dict, probe: str, keep_csp: bool):
    assert findings["status"] == 200
    assert probe in findings["text"], "the payload did not reach the page"
    assert findings["sentinel"] is None
    assert "XSS" not in findings["title"]
    assert findings["markers"] == []
    assert findings["dialogs"] == []
    assert findings["errors"] == []
    assert findings["outside"] == []
    assert findings["audit"] == []
    if keep_csp:
        # The policy had nothing to block: the sanitiser had removed it all already.
        assert findings["csp"] == []
    # The control: with the header kept inline script is blocked; stripped, it runs.
    assert findings["inline_script_runs"] is not keep_csp


class Markup(HTMLParser):
    """Tags and attributes of an HTML fragment that the sanitiser should have removed."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            url = re.sub(r"[\x00-\x20]+", "", value or "").lower()
            if name.startswith("on") or url.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag}[{name}]")
