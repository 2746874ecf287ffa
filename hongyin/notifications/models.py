from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hongyin.common.fields import EncryptedCharField


class NotificationPreference(models.Model):
    """How a user wants to be told, beyond the in-app centre (which always receives everything)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_pref")
    email_enabled = models.BooleanField(_("邮件通知"), default=False)
    email = models.EmailField(_("通知邮箱"), blank=True)
    sms_enabled = models.BooleanField(_("短信通知"), default=False)
    sms_phone = EncryptedCharField(_("短信手机号"), blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return f"{self.user_id}"
