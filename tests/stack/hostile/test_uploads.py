"""Uploads that lie about what they are: only real images are stored, re-encoded."""

import json
import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from ..conftest import Response, StackClient
from .wire import assert_not_a_server_error, browser_headers, multipart, send

UPLOAD = "/markdownx/upload/"


def image_bytes(fmt="PNG", size=(40, 30), **options) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 120, 90)).save(buffer, fmt, **options)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A 1x1 PNG whose header claims another size: a decompression bomb's first bytes."""
    data = bytearray(image_bytes(size=(1, 1)))
    chunk = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = chunk
    data[29:33] = struct.pack(">I", zlib.crc32(chunk))
    return bytes(data)


def png_with_text(text: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    return image_bytes(pnginfo=info)


HTML = b"<html><body><script>window.__xss=1</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="window.__xss=1"><script>1</script></svg>'
APPENDED = b"<html><script>alert(document.cookie)</script></html>"
MiB = 1024 * 1024

# name: (filename, content, declared type, format it is stored in, or None: refused)
UPLOADS = {
    "html-declared-as-png": ("evil.png", HTML, "image/png", None),
    "svg-declared-as-png": ("evil.png", SVG, "image/png", None),
    "svg-declared-as-svg": ("evil.svg", SVG, "image/svg+xml", None),
    "png-declared-as-text-html": ("photo.html", image_bytes(), "text/html", None),
    "png-named-html": ("photo.html", image_bytes(), "image/png", "PNG"),
    "webp-named-png": ("photo.png", image_bytes("WEBP"), "image/png", "WEBP"),
    "gif-declared-as-png": ("photo.png", image_bytes("GIF"), "image/png", None),
    "over-5-mb": ("big.png", image_bytes() + b"\0" * (5 * MiB + 1), "image/png", None),
    "polyglot-png-with-html-appended": ("photo.png", image_bytes() + APPENDED, "image/png", "PNG"),
    "png-with-script-in-a-text-chunk": (
        "photo.png",
        png_with_text("<script>alert(1)</script>"),
        "image/png",
        "PNG",
    ),
    "jpeg-with-script-in-a-comment": (
        "photo.jpg",
        image_bytes("JPEG", comment=b"<script>alert(1)</script>"),
        "image/jpeg",
        "JPEG",
    ),
    "pixel-bomb-header": ("bomb.png", png_claiming(30_000, 30_000), "image/png", None),
    "truncated-png": ("cut.png", image_bytes()[:40], "image/png", None),
    "empty-file": ("empty.png", b"", "image/png", None),
    "path-traversal-in-filename": ("../../../../escape.png", image_bytes(), "image/png", "PNG"),
}


def media_files(stack) -> set[Path]:
    root = Path(stack.env["DJANGO_MEDIA_ROOT"])
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def upload(stack, client: StackClient, files, *, ajax=True, csrf=True) -> Response:
    fields = [("csrfmiddlewaretoken", client.cookies["csrftoken"])] if csrf else []
    headers = browser_headers(
        stack,
        client,
        Content_Type="multipart/form-data; boundary=hostile-boundary",
        X_Requested_With="XMLHttpRequest" if ajax else None,
    )
    return send(stack, "POST", UPLOAD, headers, multipart(fields, files))


@pytest.mark.parametrize("case", UPLOADS)
def test_uploads_must_be_real_images_and_are_re_encoded(stack, editor, case):
    filename, content, content_type, stored_format = UPLOADS[case]
    before = media_files(stack)
    response = upload(stack, editor, [("image", filename, content_type, content)])
    new = media_files(stack) - before
    if stored_format is None:
        assert_not_a_server_error(response, {400})
        assert new == set()
        return
    assert_not_a_server_error(response, {200})
    (stored,) = new
    assert stored.parent == Path(stack.env["DJANGO_MEDIA_ROOT"]) / "article-images"
    url = json.loads(response.body)["image_code"].removeprefix("![](").removesuffix(")")
    assert url == f"/media/article-images/{stored.name}"
    served = stack.client().get(url)
    assert served.status == 200
    assert served.body == stored.read_bytes()
    assert served.header("Content-Type") == f"image/{stored_format.lower()}"
    assert served.header("X-Content-Type-Options") == "nosniff"
    for smuggled in (b"<script", b"<html", APPENDED):
        assert smuggled not in served.body
    with Image.open(BytesIO(served.body)) as image:
        assert image.format == stored_format
        image.verify()


@pytest.mark.parametrize(
    "case", ["anonymous", "editor-without-csrf-token", "plain-form-post", "no-file-at-all"]
)
def test_uploads_from_the_wrong_sender_or_form_are_refused(stack, editor, case):
    before = media_files(stack)
    png = [("image", "photo.png", "image/png", image_bytes())]
    if case == "anonymous":
        visitor = stack.client()
        visitor.csrf_token()
        response = upload(stack, visitor, png)
        assert_not_a_server_error(response, {302})
        assert response.header("Location").startswith("/admin/login/")
    elif case == "editor-without-csrf-token":
        assert_not_a_server_error(upload(stack, editor, png, csrf=False), {403})
    elif case == "plain-form-post":
        # No X-Requested-With: markdownx answers a refused plain POST with a template
        # rendering its upload view cannot do.
        not_an_image = [("image", "evil.png", "image/png", HTML)]
        assert_not_a_server_error(upload(stack, editor, not_an_image, ajax=False), {400})
    else:
        assert_not_a_server_error(upload(stack, editor, []), {400})
    assert media_files(stack) == before
