"""markdownx's preview and upload endpoints: staff only, sanitised, real images only."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

pytestmark = pytest.mark.django_db

PREVIEW = "/markdownx/markdownify/"
UPLOAD = "/markdownx/upload/"
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def image_file(fmt="PNG", size=(40, 30), name="photo.png", content_type="image/png"):
    buffer = BytesIO()
    Image.new("RGB", size, (200, 120, 90)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def test_anonymous_visitors_cannot_preview(client):
    response = client.post(PREVIEW, {"content": "**hi**"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_logged_in_non_staff_cannot_preview(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x" * 20))
    assert client.post(PREVIEW, {"content": "**hi**"}).status_code == 302


def test_staff_preview_is_sanitised(editor_client):
    response = editor_client.post(PREVIEW, {"content": "**hi** <script>alert(1)</script>"})
    assert response.status_code == 200
    assert response.content.decode() == "<p><strong>hi</strong> </p>"


def test_preview_without_content_is_a_clear_400(editor_client):
    response = editor_client.post(PREVIEW, {})
    assert response.status_code == 400
    assert b"content" in response.content


def test_preview_refuses_get(editor_client):
    assert editor_client.get(PREVIEW).status_code == 405


def test_anonymous_visitors_cannot_upload(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.post(UPLOAD, {"image": image_file()}, **AJAX)
    assert response.status_code == 302
    assert list(tmp_path.rglob("*.*")) == []


@pytest.mark.parametrize(
    ("fmt", "name", "content_type", "extension"),
    [
        ("PNG", "a.png", "image/png", "png"),
        ("JPEG", "a.jpg", "image/jpeg", "jpg"),
        ("WEBP", "a.webp", "image/webp", "webp"),
    ],
)
def test_staff_upload_of_a_real_image_is_stored_re_encoded(
    editor_client, settings, tmp_path, fmt, name, content_type, extension
):
    settings.MEDIA_ROOT = tmp_path
    upload = image_file(fmt, name=name, content_type=content_type)
    response = editor_client.post(UPLOAD, {"image": upload}, **AJAX)
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![](/media/article-images/") and code.endswith(f".{extension})")
    (stored,) = tmp_path.rglob(f"*.{extension}")
    with Image.open(stored) as image:
        assert image.format == fmt


def test_large_images_are_scaled_down(editor_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = editor_client.post(UPLOAD, {"image": image_file(size=(3200, 800))}, **AJAX)
    assert response.status_code == 200
    (stored,) = tmp_path.rglob("*.png")
    with Image.open(stored) as image:
        assert image.size == (1600, 400)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("evil.png", b"<html><script>alert(1)</script></html>", "image/png"),
        ("evil.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
        ("evil.png", SVG_WITH_SCRIPT, "image/png"),
        ("evil.html", b"<script>alert(1)</script>", "text/html"),
        ("empty.png", b"", "image/png"),
        ("truncated.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
    ],
)
def test_files_lying_about_being_images_are_refused(
    editor_client, settings, tmp_path, name, content, content_type
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = editor_client.post(UPLOAD, {"image": upload}, **AJAX)
    assert response.status_code == 400
    assert list(tmp_path.rglob("*.*")) == []


def test_a_gif_is_refused_even_when_declared_as_png(editor_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = image_file("GIF", name="a.png", content_type="image/png")
    response = editor_client.post(UPLOAD, {"image": upload}, **AJAX)
    assert response.status_code == 400
    assert "PNG, JPEG and WebP" in str(response.json())


def test_oversized_uploads_are_refused(editor_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MARKDOWNX_UPLOAD_MAX_SIZE = 1000
    import markdownx.forms

    markdownx.forms.MARKDOWNX_UPLOAD_MAX_SIZE = 1000  # markdownx reads its settings at import
    try:
        upload = image_file(size=(400, 400))
        response = editor_client.post(UPLOAD, {"image": upload}, **AJAX)
    finally:
        markdownx.forms.MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
    assert response.status_code == 400
    assert list(tmp_path.rglob("*.*")) == []
