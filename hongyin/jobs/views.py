from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongyin.common.errors import DomainError
from hongyin.common.permissions import require_perm

from . import services
from .models import Job, JobStatus


def _my_jobs(request):
    return Job.objects.filter(owner=request.user)


@require_perm("jobs.view")
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/list.html", {"jobs": _my_jobs(request)[:50]})


@require_perm("jobs.view")
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(_my_jobs(request), pk=pk)
    if job.status == JobStatus.RUNNING and services.mark_stale_jobs(job=job):
        job.refresh_from_db()  # its worker died: the page says so instead of polling for ever
    template = "jobs/progress.html" if request.htmx else "jobs/detail.html"
    return render(request, template, {"job": job})


@require_perm("jobs.view")
@require_POST
def job_restart(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(_my_jobs(request), pk=pk)
    try:
        new = services.job_restart(actor=request.user, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("jobs:detail", pk=job.pk)
    messages.success(request, _("任务已重新开始运行。"))
    return redirect("jobs:detail", pk=new.pk)


@require_perm("jobs.view")
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(_my_jobs(request), pk=pk)
    handle = services.job_result_file(job)
    if handle is None:
        raise Http404
    return FileResponse(handle, as_attachment=True, filename=job.result_name or job.result_file.rsplit("/", 1)[-1])
