"""Uploaded files (photos, proofs, scans) leave the server only through access, named by number, and logged."""

from pathlib import PurePath

from django.db import models
from django.http import FileResponse, Http404

from clts.audit.services import access_log_record


def protected_file_response(
    *,
    request,
    file: models.fields.files.FieldFile,
    obj: models.Model,
    label: str,
    filename_stem: str,
    inline: bool = False,
) -> FileResponse:
    """Serve one stored file of an object the caller has already fetched through `visible_to`.

    `filename_stem` carries a case number or an id, never a name; the file's own extension is kept. Media files are
    never served from a public URL, so this is the only way out. A missing file answers 404.
    """
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    access_log_record(user=request.user, obj=obj, action="view", request=request, label=label)
    return FileResponse(
        handle, as_attachment=not inline, filename=f"{filename_stem}{PurePath(file.name).suffix.lower()}"
    )
