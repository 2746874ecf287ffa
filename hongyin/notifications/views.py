import re

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

PHONE_PATTERN = r"(\+86|0086)?[ \-]*1[3-9]([ \-]*[0-9]){9}[ \-]*"  # valid with the browsers' v flag too


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_enabled", "email", "sms_enabled", "sms_phone"]
        labels = {"sms_phone": gettext_lazy("短信手机号")}
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            # A phone field: the phone keypad on a mobile, the browser checks the pattern, the form checks again.
            "sms_phone": forms.TextInput(
                attrs={
                    "type": "tel",
                    "inputmode": "tel",
                    "autocomplete": "tel-national",
                    "pattern": PHONE_PATTERN,
                    "maxlength": 20,
                    "placeholder": "13800000000",
                }
            ),
        }
        help_texts = {"sms_phone": gettext_lazy("11 位中国大陆手机号，可含空格或短横线。")}

    def clean_sms_phone(self):
        """Spaces, dashes and a +86 / 0086 prefix are dropped; what is left must be a mainland mobile number."""
        raw = self.cleaned_data.get("sms_phone") or ""
        phone = re.sub(r"[\s\-]", "", raw)
        phone = re.sub(r"^(\+86|0086)", "", phone)
        if phone and not re.fullmatch(r"1[3-9]\d{9}", phone):
            raise forms.ValidationError(_("请填写 11 位手机号。"))
        return phone

    def clean(self):
        data = super().clean()
        if data.get("email_enabled") and not data.get("email"):
            self.add_error("email", _("开启邮件通知需要填写邮箱。"))
        phone = data.get("sms_phone") or ""
        if data.get("sms_enabled") and not phone and "sms_phone" not in self.errors:
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
