from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import TokenScope


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(
        label=_("密码"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("原密码"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("新密码"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirm = forms.CharField(
        label=_("确认新密码"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("confirm") and data["new_password"] != data["confirm"]:
            self.add_error("confirm", _("两次输入的新密码不一致。"))
        return data


class OtpForm(forms.Form):
    token = forms.CharField(
        label=_("动态验证码"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=80)
    scope = forms.ChoiceField(label=_("权限"), choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.IntegerField(
        label=_("有效期（天）"),
        min_value=1,
        max_value=settings.HONGYIN_API_TOKEN_DAYS,
        initial=settings.HONGYIN_API_TOKEN_DAYS,
        error_messages={"invalid": _("请输入整数天数。")},
    )
