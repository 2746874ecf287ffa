from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from hongyin.common.permissions import require_perm

from .models import Job


def _my_jobs(request):
    return Job.objects.filter(owner=request.user)


@require_perm("jobs.view")
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/list.html", {"jobs": _my_jobs(request)[:50]})


@require_perm("jobs.view")
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(_my_jobs(request), pk=pk)
    template = "jobs/progress.html" if request.htmx else "jobs/detail.html"
    return render(request, template, {"job": job})


@require_perm("jobs.view")
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(_my_jobs(request), pk=pk)
    path = Path(job.result_file) if job.result_file else None
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    if path is None or not path.resolve().is_relative_to(root) or not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name or path.name)
