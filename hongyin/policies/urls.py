from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="list"),
    path("new/", views.edit, name="new"),
    path("received/", views.received, name="received"),
    path("briefings/", views.briefings, name="briefings"),
    path("enterprise/<int:enterprise_id>/", views.for_enterprise, name="for_enterprise"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/push/", views.push, name="push"),
    path("<int:pk>/applied/", views.applied, name="applied"),
]
