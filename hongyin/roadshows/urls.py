from django.urls import path

from . import views

app_name = "roadshows"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="new"),
    path("figures/", views.figures, name="figures"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("outcomes/<int:pk>/<str:action>/", views.outcome_act, name="outcome_act"),
    path("checkin/<str:code>/", views.checkin, name="checkin"),
    path("services/", views.services_page, name="services"),
    path("services/<int:pk>/request/", views.service_request, name="service_request"),
    path("packages/<int:pk>/request/", views.package_request, name="package_apply"),
    path("requests/", views.requests_page, name="requests"),
    path("requests/packages/<int:pk>/", views.package_request_detail, name="package_request"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/qr/", views.event_qr, name="qr"),
    path("<int:pk>/add/<str:part>/", views.event_add, name="add"),
    path("<int:pk>/attend/<int:reg_pk>/", views.attend, name="attend"),
    path("<int:pk>/do/<str:action>/", views.event_act, name="act"),
]
