"""The one upload policy: size, type by content, images re-encoded without metadata, on every upload of the portal."""

import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image

from clts.core import uploads
from rescue.models import Child
from schemes.models import Document
from tests import factories as f
from tests.rescue.conftest import registration_post

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def _jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCamera"
    exif[ExifTags.Base.Orientation] = 6  # taken sideways: the stored photo must be turned upright
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (24.0, 47.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (85.0, 0.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "grey").save(buffer, format="PNG")
    return buffer.getvalue()


def _stored_files() -> set[str]:
    found = set()
    for root, _dirs, files in os.walk(default_storage.location):
        found |= {os.path.join(root, name) for name in files}
    return found


# --- The policy itself --------------------------------------------------------------------------------------------


def test_exif_and_gps_are_stripped_and_the_photo_turned_upright():
    original = _jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo does carry a position
    accepted = uploads.accept(SimpleUploadedFile("photo.jpg", original), kind=uploads.PHOTO)
    stored = accepted.read()
    assert b"Exif" not in stored and b"TestCamera" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and not image.getexif() and image.size == (48, 64)
    assert accepted.name.endswith(".jpg") and "photo" not in accepted.name


@pytest.mark.parametrize("name", ["photo.jpg", "scan.pdf", "scan.png"])
def test_html_under_an_image_or_pdf_name_is_refused(name):
    for kind in (uploads.PHOTO, uploads.DOCUMENT):
        with pytest.raises(ValidationError) as refused:
            uploads.accept(SimpleUploadedFile(name, HTML, content_type="image/jpeg"), kind=kind)
        assert "whatever its name says" in refused.value.messages[0]


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings):
    big = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff" + b"\0" * (50 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        uploads.accept(big, kind=uploads.PHOTO)
    assert "larger than 5 MB" in refused.value.messages[0]


def test_other_types_and_broken_images_are_refused():
    gif = io.BytesIO()
    Image.new("RGB", (2, 2)).save(gif, format="GIF")
    cases = [
        ("photo.gif", gif.getvalue(), "whatever its name says"),
        ("scan.pdf", b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n%%EOF", "scripts"),
        ("photo.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "cannot be read"),
        ("empty.png", b"", "empty"),
    ]
    for name, content, message in cases:
        with pytest.raises(ValidationError) as refused:
            uploads.accept(SimpleUploadedFile(name, content), kind=uploads.DOCUMENT)
        assert message in refused.value.messages[0], name
    # A photo is an image: a PDF is a scan, not a photo.
    with pytest.raises(ValidationError):
        uploads.accept(SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF"), kind=uploads.PHOTO)


def test_a_pixel_bomb_is_refused_before_it_is_decoded():
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, format="PNG")  # 48 megapixels in a few kilobytes
    with pytest.raises(ValidationError) as refused:
        uploads.accept(SimpleUploadedFile("bomb.png", buffer.getvalue()), kind=uploads.PHOTO)
    assert "megapixels" in refused.value.messages[0]


# --- Every upload of the portal -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_registration_stores_the_photo_without_its_gps(client, cast, places):
    f.make_home_state()
    client.force_login(cast.block)
    data = registration_post(places, cast, [{"name": "Test Child Photo"}])
    data["children-0-photo"] = SimpleUploadedFile("test-child-photo.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    assert client.post(reverse("rescue:rescue-create"), data).status_code == 302
    photo = Child.objects.get(name="Test Child Photo").photo
    stored = photo.read()
    assert b"Exif" not in stored and "photo" not in os.path.basename(photo.name)


@pytest.mark.django_db
def test_registration_refuses_an_html_photo_and_a_50_mb_photo_and_registers_nothing(client, cast, places):
    f.make_home_state()
    client.force_login(cast.block)
    before = _stored_files()
    for upload, message in (
        (SimpleUploadedFile("photo.jpg", HTML, content_type="image/jpeg"), "Upload a photo as a JPEG or PNG"),
        (SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff" + b"\0" * (50 * 1024 * 1024)), "larger than 5 MB"),
    ):
        data = registration_post(places, cast, [{"name": "Test Child Refused"}]) | {"children-0-photo": upload}
        response = client.post(reverse("rescue:rescue-create"), data)
        assert response.status_code == 200 and message in response.text
        # What was typed is kept.
        assert 'value="Test Child Refused"' in response.text
    assert not Child.objects.filter(name="Test Child Refused").exists()
    assert _stored_files() == before


@pytest.mark.django_db
def test_a_document_scan_must_be_a_real_pdf_or_image(client, cast, places):
    case = f.make_case(district=places.gaya, home_district=places.gaya)
    household = f.make_household(case)
    client.force_login(cast.district)
    url = reverse("schemes:document-create", args=[household.pk])
    holder = f"child:{case.child_id}"
    fake = SimpleUploadedFile("ration-card.pdf", HTML, content_type="application/pdf")
    response = client.post(url, {"holder": holder, "kind": "ration_card", "scan": fake})
    assert response.status_code == 200 and "whatever its name says" in response.text
    assert not Document.objects.exists()
    scan = SimpleUploadedFile("ration-card.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    assert client.post(url, {"holder": holder, "kind": "ration_card", "scan": scan}).status_code == 302
    stored = Document.objects.get().scan.name
    assert stored.endswith(".pdf") and "ration" not in stored


@pytest.mark.django_db
def test_a_sanction_proof_over_the_limit_or_not_a_scan_is_refused(client, cast, places):
    case = f.make_case(district=places.gaya)
    package = f.make_package(case, components=[{"name_en": "Immediate relief", "planned_amount": "3000.00"}])
    component = package.components.get()
    client.force_login(cast.district)
    url = reverse("rehabilitation:component-sanction", args=[component.pk])
    fields = {"order_number": "SO-1", "sanctioned_on": timezone.localdate().isoformat(), "amount": "3000.00"}
    for proof, message in (
        (SimpleUploadedFile("order.jpg", b"\xff\xd8\xff" + b"\0" * (50 * 1024 * 1024)), "larger than 5 MB"),
        (SimpleUploadedFile("order.pdf", HTML), "whatever its name says"),
    ):
        response = client.post(url, fields | {"proof": proof})
        assert response.status_code == 200 and message in response.text
        component.refresh_from_db()
        assert component.status == "planned" and not component.sanction_proof
    proof = SimpleUploadedFile("order.png", _png())
    assert client.post(url, fields | {"proof": proof}).status_code == 302
    component.refresh_from_db()
    assert component.sanction_proof.name.endswith(".png")


@pytest.mark.django_db
def test_the_admin_uploads_under_the_same_policy(rf, cast):
    from django.contrib import admin

    from clts.core.uploads import DocumentUploadField, PhotoUploadField

    request = rf.get("/")
    request.user = cast.admin
    child_form = admin.site._registry[Child].get_form(request)()
    document_form = admin.site._registry[Document].get_form(request)()
    assert isinstance(child_form.fields["photo"], PhotoUploadField)
    assert isinstance(document_form.fields["scan"], DocumentUploadField)
    with pytest.raises(ValidationError):
        child_form.fields["photo"].clean(SimpleUploadedFile("photo.jpg", HTML))
