from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class TracksLoadedValues(models.Model):
    """Remembers the values read from the database, so a save can write only what this request changed
    (hongyin.workflows.engine) and never put back a value another writer changed meanwhile."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def changed_fields(self, baseline: dict | None = None) -> list[str]:
        """Names of the concrete fields whose value differs from the one read, or from `baseline` (attname ->
        value) for an object this request created rather than read."""
        loaded = getattr(self, "_loaded_values", None) or baseline or {}
        return [
            f.name
            for f in self._meta.concrete_fields
            if not f.primary_key and (f.attname not in loaded or getattr(self, f.attname) != loaded[f.attname])
        ]

    def mark_saved(self, names: list[str]) -> None:
        loaded = getattr(self, "_loaded_values", None)
        if loaded is not None:
            for f in self._meta.concrete_fields:
                if f.name in names:
                    loaded[f.attname] = getattr(self, f.attname)


class Notification(models.Model):
    """An in-app notification (the bell in the header)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # A system-written notification: a code of hongyin.common.notification_texts and its parameters, rendered in
    # the reader's language (title above: the default language's rendering, for rows read without the registry).
    code = models.CharField(_("文本代码"), max_length=60, blank=True, default="")
    params = models.JSONField(_("文本参数"), default=dict, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title in the active language when the row has a code; the stored title otherwise (older rows)."""
        from .notification_texts import render

        return (render(self.code, self.params) if self.code else None) or self.title

    @property
    def display_body(self) -> str:
        from .notification_texts import render

        return (render(self.code, self.params, part=1) if self.code else None) or self.body


from .uploads import Attachment  # noqa: E402, F401  (the attachment model lives with its service)
