from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("jobs/<int:pk>/", views.status, name="status"),
    path("jobs/<int:pk>/confirm/", views.confirm, name="confirm"),
]
