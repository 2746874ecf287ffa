from django.urls import path

from . import views

app_name = "development"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("due/", views.due_lists, name="due"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/steps/<int:step>/", views.case_step, name="step"),
    path("<int:pk>/extend/", views.case_extend, name="extend"),
    path("<int:pk>/close/", views.case_close, name="close"),
    path("<int:pk>/documents/<int:doc>/", views.document, name="document"),
]
