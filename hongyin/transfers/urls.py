from django.urls import path

from . import views

app_name = "transfers"

urlpatterns = [
    path("", views.transfer_list, name="list"),
    path("new/", views.transfer_new, name="new"),
    path("receive/", views.transfer_receive, name="receive"),
    path("floating/", views.floating, name="floating"),
    path("floating/<int:member_id>/", views.floating_set, name="floating_set"),
    path("<int:pk>/", views.transfer_detail, name="detail"),
    path("<int:pk>/letter.pdf", views.transfer_letter, name="letter"),
    path("<int:pk>/<str:action>/", views.transfer_act, name="act"),
]
