from django.urls import path

from . import views

app_name = "notification_prefs"

urlpatterns = [path("", views.preferences, name="preferences")]
