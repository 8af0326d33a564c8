"""markdownx's editor endpoints (live preview and image upload), for staff only.

markdownx's own views answer anyone and trust the upload's declared content type; here
the preview needs a staff login, and an upload must be a real PNG, JPEG or WebP image that
Pillow can decode. It is always re-encoded, so nothing but pixels reaches the media folder.
"""

import uuid
from io import BytesIO

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView
from PIL import Image, ImageOps, UnidentifiedImageError

from .markdown import RefusedMarkdown, render_markdown

# Pillow's name for each accepted format, and the extension the stored file gets.
ACCEPTED_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
# Decoding a 20,000 x 20,000 "image" of a few kilobytes would take gigabytes of memory.
MAX_PIXELS = 40_000_000
# What Pillow reads into `image.info` that describes pixels rather than metadata.
PIXEL_INFO = {"transparency"}


@staff_member_required
@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The editor's live preview: the same sanitised HTML a reader would get."""
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest(gettext("Send the Markdown to preview as 'content'."))
    try:
        return HttpResponse(render_markdown(content))
    except RefusedMarkdown as refused:
        # Shown in the preview pane in place of the page: plain text, escaped.
        return HttpResponseBadRequest(f'<p class="markdown-refused">{escape(refused.message)}</p>')


class SafeImageForm(ImageForm):
    def clean(self):
        upload = super().clean()  # markdownx checks the declared type and the size
        try:
            with Image.open(upload) as image:
                if image.format not in ACCEPTED_FORMATS:
                    raise ValidationError(_("Only PNG, JPEG and WebP images can be uploaded."))
                if image.width * image.height > MAX_PIXELS:
                    raise ValidationError(
                        _("This image is too large; keep it under 40 megapixels.")
                    )
                image.verify()
                self.image_format = image.format
        except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
            raise ValidationError(
                _("This file is not an image we can read. Upload a PNG, JPEG or WebP image.")
            ) from None
        upload.seek(0)
        return upload

    def save(self, commit=True):
        upload = self.files["image"]  # markdownx's clean() returns the file itself
        with Image.open(upload) as original:
            image = ImageOps.exif_transpose(original)
            image.thumbnail(settings.MARKDOWNX_IMAGE_MAX_SIZE["size"])
            if self.image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            # Saving from decoded pixels drops anything appended to the original file, but
            # Pillow writes back some metadata it read (a JPEG comment, an ICC profile):
            # only what the pixels need is kept.
            image.info = {k: v for k, v in image.info.items() if k in PIXEL_INFO}
            encoded = BytesIO()
            image.save(
                encoded, self.image_format, quality=settings.MARKDOWNX_IMAGE_MAX_SIZE["quality"]
            )
        extension = ACCEPTED_FORMATS[self.image_format]
        name = f"{settings.MARKDOWNX_MEDIA_PATH}{uuid.uuid4()}.{extension}"
        stored = default_storage.save(name, ContentFile(encoded.getvalue()))
        return default_storage.url(stored)


@method_decorator(staff_member_required, name="dispatch")
class SafeImageUploadView(ImageUploadView):
    form_class = SafeImageForm
    http_method_names = ["post"]

    def form_invalid(self, form):
        # markdownx renders a template for a refused upload sent without
        # X-Requested-With, and this view has none: that was a 500.
        return JsonResponse(form.errors, status=400)
