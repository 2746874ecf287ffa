"""The pages of every import kind: the upload page of a group (mounted by the app that owns it), the template
download, and the one status / preview / confirm page."""

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from hongyin.common.errors import DomainError
from hongyin.common.excel import write_template
from hongyin.common.permissions import require_perm
from hongyin.jobs.services import job_read_json, mark_stale_jobs

from . import services
from .forms import UploadForm
from .registry import GROUPS, get_kind, kind_of_job, kinds_in


def upload(request: HttpRequest, group: str) -> HttpResponse:
    """GET: the form; POST: store the file and start its check (or commit), then show its status. The app's URL
    declares the permission; only the kinds the user may run are offered."""
    page = GROUPS[group]
    kinds = kinds_in(group, request.user)
    if not kinds:
        raise PermissionDenied
    target_kind = next((k for k in kinds if k.target is not None), None)
    form = UploadForm(
        request.POST or None, request.FILES or None, kinds=kinds, target_kind=target_kind, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.import_upload(
                actor=request.user, kind=data["kind"], upload=data["file"], target=data.get("target")
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("imports:status", pk=job.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "imports/upload.html", {"form": form, "page": page, "kinds": kinds}, status=status)


def template(request: HttpRequest, group: str) -> HttpResponse:
    """The blank template of a kind of the group (?kind=; the group's first kind by default)."""
    kinds = kinds_in(group, request.user)
    key = request.GET.get("kind") or (kinds[0].key if kinds else "")
    kind = get_kind(key)
    if kind is None or kind.group != group:
        raise Http404
    if kind not in kinds:
        raise PermissionDenied
    spec = kind.spec
    title = _("%(t)s导入模板") % {"t": kind.title}
    handle = tempfile.TemporaryFile()  # noqa: SIM115  closed by FileResponse
    write_template(handle, spec.columns, title=title, notes=[str(n) for n in kind.notes])
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{title}.xlsx")


def _context(request, job) -> dict:
    kind = kind_of_job(job)
    if kind is None:
        raise Http404
    if not request.user.has_role_perm(kind.perm):
        raise PermissionDenied
    summary = job_read_json(job, "result.json") if job.finished else None
    page = GROUPS.get(kind.group)
    return {"job": job, "summary": summary, "kind": kind, "page": page}


@require_perm("jobs.view")
def status(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(services.import_jobs(request.user), pk=pk)
    if job.status == "running" and mark_stale_jobs(job=job):
        job.refresh_from_db()
    ctx = _context(request, job)
    if request.htmx:
        return render(request, "imports/status.html#status", ctx)
    return render(request, "imports/status.html", ctx)


@require_perm("jobs.view")
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """POST only; another user's job, or not an import, is not found whatever the method."""
    job = get_object_or_404(services.import_jobs(request.user), pk=pk)
    ctx = _context(request, job)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        new = services.import_confirm(actor=request.user, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
        page = ctx["page"]
        return redirect(page.upload_url if page else "imports:status", *([] if page else [job.pk]))
    return redirect("imports:status", pk=new.pk)
