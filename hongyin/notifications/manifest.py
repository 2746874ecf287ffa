"""Notification preferences and the external channels (email, SMS)."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import Role

MANIFEST = AppManifest(
    url_prefix="notifications/preferences/",
    nav=(Nav(_("通知设置"), "notification_prefs:preferences", "bell", "notifications.prefs", section="me", order=40),),
    permissions={"notifications.prefs": frozenset(Role)},
)
