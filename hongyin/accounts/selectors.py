from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, User

# The states the system admin filters accounts by; the workbench counts them the same way (user_figures).
USER_STATES = {
    "active": (_("启用账号"), Q(is_active=True)),
    "disabled": (_("停用账号"), Q(is_active=False)),
    "must_change": (_("须修改密码"), Q(must_change_password=True)),
}


def users_in_state(state: str = "") -> QuerySet[User]:
    """All accounts, or those in one of USER_STATES (an unknown state filters nothing)."""
    entry = USER_STATES.get(state)
    return User.objects.filter(entry[1]) if entry else User.objects.all()


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
