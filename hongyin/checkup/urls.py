from django.urls import path

from . import views

app_name = "checkup"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("branch/", views.branch, name="branch"),
    path("questionnaire/", views.questionnaire, name="questionnaire"),
    path("<int:pk>/", views.detail, name="detail"),
]
