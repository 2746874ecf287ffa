from django.contrib import admin
from django.urls import include, path

from hongyin.common import views as common_views
from hongyin.common.language import set_language
from hongyin.common.permissions import public
from hongyin.common.unmask import unmask_view
from hongyin.site.api import api

urlpatterns = [
    path("", include("hongyin.accounts.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("healthz", common_views.healthz, name="healthz"),
    path("search/", common_views.search, name="search"),
    path("notifications/", common_views.notifications, name="notifications"),
    path("notifications/read/", common_views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/open/", common_views.notification_open, name="notification_open"),
    path("orgs/", include("hongyin.orgs.urls")),
    path("members/", include("hongyin.members.urls")),
    path("development/", include("hongyin.development.urls")),
    path("transfers/", include("hongyin.transfers.urls")),
    path("dues/", include("hongyin.dues.urls")),
    path("audit/", include("hongyin.audit.urls")),
    path("personal-data/unmask/<str:model>/<int:pk>/<str:field>/", unmask_view, name="unmask"),
    path("jobs/", include("hongyin.jobs.urls")),
    path("imports/", include("hongyin.imports.urls")),
    path("enterprises/", include("hongyin.enterprises.urls")),
    path("grid/", include("hongyin.grid.urls")),
    path("appeals/", include("hongyin.appeals.urls")),
    path("policies/", include("hongyin.policies.urls")),
    path("notifications/preferences/", include("hongyin.notifications.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "hongyin.common.errors_views.permission_denied"
handler404 = "hongyin.common.errors_views.page_not_found"
handler500 = "hongyin.common.errors_views.server_error"
