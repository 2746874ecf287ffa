from django.urls import path

from . import views
from .language import set_language
from .permissions import public
from .unmask import unmask_view

urlpatterns = [
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("search/", views.search, name="search"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("personal-data/unmask/<str:model>/<int:pk>/<str:field>/", unmask_view, name="unmask"),
]
