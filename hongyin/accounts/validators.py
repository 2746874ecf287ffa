"""Password rules of SECURITY.md: 3 of 4 character classes, no username inside, none of the last
HONGYIN_PASSWORD_HISTORY reused."""

import string

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    def validate(self, password, user=None):
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError(_("密码须包含大写字母、小写字母、数字、符号中的至少三类。"), code="password_classes")

    def get_help_text(self):
        return _("至少包含大写字母、小写字母、数字、符号中的三类。")


class NoUsernameValidator:
    def validate(self, password, user=None):
        username = getattr(user, "username", "") or ""
        if len(username) >= 3 and username.lower() in password.lower():
            raise ValidationError(_("密码不能包含用户名。"), code="password_has_username")

    def get_help_text(self):
        return _("不能包含用户名。")


class PasswordHistoryValidator:
    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        count = settings.HONGYIN_PASSWORD_HISTORY
        recent = [user.password, *user.password_history.values_list("password", flat=True)[: count - 1]]
        if any(h and check_password(password, h) for h in recent):
            raise ValidationError(_("不能使用最近 %(n)d 次用过的密码。") % {"n": count}, code="password_reused")

    def get_help_text(self):
        return _("不能与最近 %(n)d 次用过的密码相同。") % {"n": settings.HONGYIN_PASSWORD_HISTORY}
