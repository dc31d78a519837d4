"""The one upload policy: every photo, document scan and proof uploaded to the portal passes through `accept`.

- Size: at most settings.UPLOAD_MAX_BYTES (5 MB unless set).
- Type: decided by the file's content, never by its name or the browser's word: JPEG and PNG (photos), and PDF
  (scans and proofs). Anything else is refused with a message saying what is accepted.
- Images are opened with Pillow, checked, turned upright, and re-encoded: what is stored holds pixels only, no
  EXIF, GPS position, camera or thumbnail. A PDF is kept as sent, but refused when it carries scripts, actions or
  attached files (a scanner never makes those).
- The stored name is random (the uploaded one may be a child's name); the extension follows the content.
- A register for bulk import (`TABLE`) is a CSV (UTF-8 or UTF-16 text, no NUL bytes) or an XLSX workbook, up to
  settings.IMPORT_MAX_BYTES; a macro-enabled workbook (.xlsm, a vbaProject part) and the old binary .xls are
  refused.

Forms use `UploadField(kind=...)`, and the services call `accept` again, which costs nothing for a file the form
has already accepted and protects every other caller.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO = "photo"  # a photo of a person: JPEG or PNG
DOCUMENT = "document"  # a scan or proof: PDF, JPEG or PNG
TABLE = "table"  # a register for bulk import: CSV or XLSX

JPEG, PNG, PDF, CSV, XLSX = "jpeg", "png", "pdf", "csv", "xlsx"
ACCEPTED = {PHOTO: (JPEG, PNG), DOCUMENT: (PDF, JPEG, PNG), TABLE: (CSV, XLSX)}
EXTENSION = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf", CSV: ".csv", XLSX: ".xlsx"}
CONTENT_TYPE = {
    JPEG: "image/jpeg",
    PNG: "image/png",
    PDF: "application/pdf",
    CSV: "text/csv",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# What the file picker offers; the server decides by content all the same.
ACCEPT_ATTRIBUTE = {
    PHOTO: ".jpg,.jpeg,.png,image/jpeg,image/png",
    DOCUMENT: ".pdf,.jpg,.jpeg,.png",
    TABLE: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The main part of a workbook without macros (ECMA-376 part 1, the content types of SpreadsheetML).
_XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

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
    TABLE: _("Upload the register as a CSV file or an Excel workbook (.xlsx). This file is neither."),
    "table_too_large": _("The file is larger than %(limit)s MB. Split the register into files of a few years each."),
    "macros": _('The workbook contains macros. Save it in Excel as "Excel Workbook (*.xlsx)" and upload that.'),
    "old_excel": _("This is an old Excel file (.xls) or a file with macros. Save it as .xlsx or CSV and upload that."),
}


class AcceptedUpload(ContentFile):
    """A file that has passed the policy: its content checked (and re-encoded if an image), its name random."""

    def __init__(self, content: bytes, *, kind: str):
        super().__init__(content, name=f"{uuid.uuid4().hex}{EXTENSION[kind]}")
        self.content_type = CONTENT_TYPE[kind]
        self.detected = kind


def limit_bytes(kind: str = DOCUMENT) -> int:
    if kind == TABLE:
        return getattr(settings, "IMPORT_MAX_BYTES", 50 * 1024 * 1024)
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


def _table_type(content: bytes) -> str:
    """CSV or XLSX by content, or ValidationError: a workbook with macros or in the old binary format is refused."""
    if content.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: .xls, or a workbook encrypted or with macros
        raise ValidationError(MESSAGES["old_excel"], code="old_excel")
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as workbook:
                names = set(workbook.namelist())
                types = workbook.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        except (zipfile.BadZipFile, OSError, ValueError):
            raise ValidationError(MESSAGES[TABLE], code="type") from None
        if any(name.lower().endswith("vbaproject.bin") for name in names) or b"macroEnabled" in types:
            raise ValidationError(MESSAGES["macros"], code="macros")
        if _XLSX_MAIN not in types:
            raise ValidationError(MESSAGES[TABLE], code="type")
        return XLSX
    if b"\x00" in content and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(MESSAGES[TABLE], code="type")
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            content.decode(encoding)
            return CSV
        except UnicodeDecodeError:
            continue
    raise ValidationError(MESSAGES[TABLE], code="type")


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
    limit = limit_bytes(kind)
    too_large = ValidationError(
        MESSAGES["table_too_large" if kind == TABLE else "too_large"],
        code="too_large",
        params={"limit": limit // (1024 * 1024)},
    )
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise too_large
    content = _read_all(file, limit)
    if len(content) > limit:
        raise too_large
    if not content:
        raise ValidationError(MESSAGES["empty"], code="empty")
    if kind == TABLE:
        return AcceptedUpload(content, kind=_table_type(content))
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


class TableUploadField(UploadField):
    kind = TABLE


class PhotoUploadField(UploadField):
    kind = PHOTO


class DocumentUploadField(UploadField):
    kind = DOCUMENT
