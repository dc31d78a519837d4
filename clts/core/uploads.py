"""The one upload policy: every photo, document scan and proof uploaded to the portal passes through `accept`.

- Size: at most settings.UPLOAD_MAX_BYTES (5 MB unless set).
- Type: decided by the file's content, never by its name or the browser's word: JPEG and PNG (photos), and PDF
  (scans and proofs). Anything else is refused with a message saying what is accepted.
- Images are opened with Pillow, checked, turned upright, and re-encoded: what is stored holds pixels only, no
  EXIF, GPS position, camera or thumbnail. A PDF is kept as sent, but refused when it carries scripts, actions or
  attached files (a scanner never makes those).
- The stored name is random (the uploaded one may be a child's name); the extension follows the content.

Forms use `UploadField(kind=...)`, and the services call `accept` again, which costs nothing for a file the form
has already accepted and protects every other caller.
"""

from __future__ import annotations

import io
import re
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO = "photo"  # a photo of a person: JPEG or PNG
DOCUMENT = "document"  # a scan or proof: PDF, JPEG or PNG

JPEG, PNG, PDF = "jpeg", "png", "pdf"
ACCEPTED = {PHOTO: (JPEG, PNG), DOCUMENT: (PDF, JPEG, PNG)}
EXTENSION = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}
CONTENT_TYPE = {JPEG: "image/jpeg", PNG: "image/png", PDF: "application/pdf"}
# What the file picker offers; the server decides by content all the same.
ACCEPT_ATTRIBUTE = {PHOTO: ".jpg,.jpeg,.png,image/jpeg,image/png", DOCUMENT: ".pdf,.jpg,.jpeg,.png"}

# A photo or a scanned page is far below this; a larger image is refused before it is decoded (pixel bombs).
MAX_PIXELS = 40_000_000
# PDF names that run something or carry other files (PDF 32000-1: 12.6 actions, 7.11.4 embedded files).
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|EmbeddedFiles|RichMedia|XFA|SubmitForm|ImportData)\b")

MESSAGES = {
    "too_large": _("The file is larger than %(limit)s MB. Scan at a lower resolution, or photograph the page again."),
    PHOTO: _("Upload a photo as a JPEG or PNG image. This file is not one, whatever its name says."),
    DOCUMENT: _("Upload a scan as a PDF, JPEG or PNG file. This file is not one, whatever its name says."),
    "unreadable": _("The image cannot be read: the file is damaged or not an image."),
    "too_many_pixels": _("The image is too large (more than 40 megapixels). Take it at a lower resolution."),
    "active_pdf": _("The PDF contains scripts, actions or attached files. Scan the paper again and upload that scan."),
    "empty": _("The file is empty."),
}


class AcceptedUpload(ContentFile):
    """A file that has passed the policy: its content checked (and re-encoded if an image), its name random."""

    def __init__(self, content: bytes, *, kind: str):
        super().__init__(content, name=f"{uuid.uuid4().hex}{EXTENSION[kind]}")
        self.content_type = CONTENT_TYPE[kind]
        self.detected = kind


def limit_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_BYTES", 5 * 1024 * 1024)


def sniff(head: bytes) -> str | None:
    """The type of a file from its first bytes (its magic number), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def _read_all(file: File, limit: int) -> bytes:
    file.seek(0)
    content = file.read(limit + 1)
    file.seek(0)
    return content


def _reencode(content: bytes, kind: str) -> bytes:
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.format.lower() != kind:
                raise ValidationError(MESSAGES["unreadable"], code="unreadable")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(MESSAGES["too_many_pixels"], code="too_many_pixels")
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            # The camera's orientation is applied to the pixels, then every piece of metadata is dropped.
            upright = ImageOps.exif_transpose(image)
    except Image.DecompressionBombError:
        raise ValidationError(MESSAGES["too_many_pixels"], code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(MESSAGES["unreadable"], code="unreadable") from None
    upright.info = {}
    out = io.BytesIO()
    if kind == JPEG:
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.save(out, format="JPEG", quality=88, optimize=True)
    else:
        if upright.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            upright = upright.convert("RGBA")
        upright.save(out, format="PNG", optimize=True)
    return out.getvalue()


def accept(file: File, *, kind: str) -> AcceptedUpload:
    """The file as it will be stored, or ValidationError with a message for the person who uploaded it."""
    if isinstance(file, AcceptedUpload) and file.detected in ACCEPTED[kind]:
        return file
    limit = limit_bytes()
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(MESSAGES["too_large"], code="too_large", params={"limit": limit // (1024 * 1024)})
    content = _read_all(file, limit)
    if len(content) > limit:
        raise ValidationError(MESSAGES["too_large"], code="too_large", params={"limit": limit // (1024 * 1024)})
    if not content:
        raise ValidationError(MESSAGES["empty"], code="empty")
    detected = sniff(content[:16])
    if detected not in ACCEPTED[kind]:
        raise ValidationError(MESSAGES[kind], code="type")
    if detected == PDF:
        if _PDF_ACTIVE.search(content):
            raise ValidationError(MESSAGES["active_pdf"], code="active_pdf")
        return AcceptedUpload(content, kind=PDF)
    return AcceptedUpload(_reencode(content, detected), kind=detected)


def accept_optional(file: File | None, *, kind: str) -> AcceptedUpload | None:
    return accept(file, kind=kind) if file else None


class UploadField(forms.FileField):
    """A form's file field under the upload policy; `cleaned_data` holds the file as it will be stored."""

    kind = DOCUMENT

    def __init__(self, *, kind: str | None = None, **kwargs):
        self.kind = kind or self.kind
        # Model fields pass these to their form field; the policy decides instead.
        kwargs.pop("max_length", None)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE[self.kind]}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        # An unchanged file (the one already stored) or a cleared one is not checked again.
        if not value or value is initial or value is False:
            return value
        return accept(value, kind=self.kind)


class PhotoUploadField(UploadField):
    kind = PHOTO


class DocumentUploadField(UploadField):
    kind = DOCUMENT
