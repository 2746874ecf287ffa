"""Themed error pages. API paths answer JSON so clients never parse HTML."""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def permission_denied(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("您的角色无权执行此操作。")}, status=403)
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("对象不存在，或不在您的权限范围内。")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": _("服务器出错，数据未被修改。")}, status=500)
    return HttpResponseServerError(loader.get_template("500.html").render())
