from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_new, name="new"),
    path("hours/", views.hours, name="hours"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/qr/", views.activity_qr, name="qr"),
    path("<int:pk>/checkin/", views.activity_checkin, name="checkin"),
    path("<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo_download, name="photo"),
    path("<int:pk>/<str:action>/", views.activity_act, name="act"),
]
