"""Pages of the bulk import: the list with the upload form, a job's page (status, counts, row errors, progress),
the column mapping, starting the preview and the commit, discarding, the progress as JSON, the bad rows as XLSX."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clts.accounts import access
from clts.core.forms import add_service_errors
from clts.imports import badrows, queries, services
from clts.imports.choices import WORKING, Status
from clts.imports.forms import MappingForm, UploadForm
from clts.imports.kinds import kinds

ERRORS_SHOWN = 500


def _upload_form(request, data=None, files=None) -> UploadForm:
    return UploadForm(data, files, state=getattr(request.user, "state", None))


@login_required
@require_GET
def job_list(request):
    access.require(request.user, "import.run")
    return render(request, "imports/job_list.html", {"jobs": queries.recent_jobs(), "form": _upload_form(request)})


@login_required
@require_POST
def job_upload(request):
    access.require(request.user, "import.run")
    form = _upload_form(request, request.POST, request.FILES)
    earlier = None
    if form.is_valid():
        try:
            job = services.import_job_upload(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                district=form.cleaned_data["district"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            if error.code == "same_file":
                earlier = error.params["job"]
            add_service_errors(form, error)
        else:
            messages.success(request, _("The file is read. Check which column holds which field."))
            return redirect("imports:job-mapping", pk=job.pk)
    context = {"jobs": queries.recent_jobs(), "form": form, "earlier": earlier}
    return render(request, "imports/job_list.html", context, status=400)


@login_required
@require_GET
def job_detail(request, pk: int):
    access.require(request.user, "import.run")
    job = queries.job(pk)
    return render(
        request,
        "imports/job_detail.html",
        {
            "job": job,
            "errors": job.errors[:ERRORS_SHOWN],
            "errors_hidden": max(len(job.errors) - ERRORS_SHOWN, 0),
            "working": job.status in WORKING,
            "mapped": _mapped(job),
            "duplicate_note": kinds()[job.kind].duplicate_note,
        },
    )


def _mapped(job):
    kind = kinds()[job.kind]
    return [
        (column.label, job.headers[job.mapping[column.name]] if column.name in job.mapping else None)
        for column in kind.columns
    ]


@login_required
@require_http_methods(["GET", "POST"])
def job_mapping(request, pk: int):
    access.require(request.user, "import.run")
    job = queries.job(pk)
    kind = kinds()[job.kind]
    form = MappingForm(request.POST or None, kind=kind, headers=job.headers, mapping=job.mapping)
    if request.method == "POST" and form.is_valid():
        try:
            services.import_job_map(
                job=job, actor=request.user, mapping=form.mapping(), save_template=form.cleaned_data["save_template"]
            )
            services.import_job_start(job=job, actor=request.user, commit=False)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("imports:job-detail", pk=job.pk)
    return render(request, "imports/job_mapping.html", {"job": job, "form": form}, status=400 if form.errors else 200)


def _start(request, pk: int, *, commit: bool):
    access.require(request.user, "import.run")
    job = queries.job(pk)
    try:
        job = services.import_job_start(job=job, actor=request.user, commit=commit)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if job.status == Status.COMMITTED:
            messages.success(request, _("Imported: %(count)s new records.") % {"count": job.new_count})
        elif job.status == Status.FAILED:
            messages.error(request, job.message)
    return redirect("imports:job-detail", pk=job.pk)


@login_required
@require_POST
def job_preview(request, pk: int):
    return _start(request, pk, commit=False)


@login_required
@require_POST
def job_commit(request, pk: int):
    return _start(request, pk, commit=True)


@login_required
@require_POST
def job_discard(request, pk: int):
    access.require(request.user, "import.run")
    job = queries.job(pk)
    try:
        services.import_job_discard(job=job, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The import is discarded and its file deleted."))
    return redirect("imports:job-list")


@login_required
@require_GET
def job_progress(request, pk: int):
    """What the progress bar polls: status, rows done of the total, and whether to reload the page."""
    access.require(request.user, "import.run")
    job = queries.job(pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "percent": job.percent,
            "working": job.status in WORKING,
            "url": reverse("imports:job-detail", kwargs={"pk": job.pk}),
        }
    )


@login_required
@require_GET
def job_bad_rows(request, pk: int):
    access.require(request.user, "import.run")
    job = queries.job(pk)
    if not job.errors or job.status == Status.DISCARDED:
        messages.error(request, _("This import has no invalid rows to download."))
        return redirect("imports:job-detail", pk=job.pk)
    content = badrows.bad_rows_xlsx(job, queries.job_content(job))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    # The name says which import, never what is in it.
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-rows-to-correct.xlsx"'
    return response
