from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.audit import services as audit
from hongyin.common.fields import mask_phone
from hongyin.common.permissions import require_perm

from .models import NotificationPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_enabled", "email", "sms_enabled", "sms_phone"]
        labels = {"sms_phone": gettext_lazy("短信手机号")}

    def clean(self):
        data = super().clean()
        if data.get("email_enabled") and not data.get("email"):
            self.add_error("email", _("开启邮件通知需要填写邮箱。"))
        phone = (data.get("sms_phone") or "").strip()
        if phone and (len(phone) != 11 or not phone.isdigit() or phone[0] != "1"):
            self.add_error("sms_phone", _("请填写 11 位手机号。"))
        if data.get("sms_enabled") and not phone:
            self.add_error("sms_phone", _("开启短信通知需要填写手机号。"))
        return data


@require_perm("notifications.prefs")
def preferences(request: HttpRequest) -> HttpResponse:
    pref, _created = NotificationPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=pref)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record(
            actor=request.user,
            action="notifications.preferences",
            obj=pref,
            details={"email": pref.email_enabled, "sms": pref.sms_enabled, "phone": mask_phone(pref.sms_phone or "")},
        )
        messages.success(request, _("通知设置已保存。"))
        return redirect("notification_prefs:preferences")
    for field in form.fields.values():
        css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
        field.widget.attrs.setdefault("class", css)
    return render(request, "notifications/preferences.html", {"form": form}, status=422 if form.errors else 200)
