"""The URLs: every app's pages under the prefix its manifest declares, the API, the admin site."""

from django.contrib import admin
from django.urls import include, path

from hongyin.common.manifests import url_includes
from hongyin.site.api import api

urlpatterns = [
    *(path(prefix, include(module)) for prefix, module in url_includes()),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "hongyin.common.errors_views.permission_denied"
handler404 = "hongyin.common.errors_views.page_not_found"
handler500 = "hongyin.common.errors_views.server_error"
