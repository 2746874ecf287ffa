from django.urls import path

from . import views

app_name = "appeals"

urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("new/", views.new, name="new"),
    path("queue/", views.queue, name="queue"),
    path("queue/bulk/", views.queue_bulk, name="queue_bulk"),
    path("portal/", views.portal, name="portal"),
    path("stats/", views.stats, name="stats"),
    path("departments/", views.departments, name="departments"),
    path("report.<str:fmt>", views.report, name="report"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/coverage/", views.visit_coverage, name="visit_coverage"),
    path("visits/calendar/", views.visit_calendar, name="visit_calendar"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/attachments/<int:att>/", views.visit_attachment, name="visit_attachment"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attachments/<int:att>/", views.attachment, name="attachment"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
