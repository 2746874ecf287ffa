from django.conf import settings

from .navigation import nav_for


def shell(request):
    user = getattr(request, "user", None)
    context = {"PLATFORM_NAME": "红引", "LANGUAGES": settings.LANGUAGES}
    if user is not None and user.is_authenticated:
        context["nav_items"] = nav_for(user, request.path)
        context["user_roles"] = [a.get_role_display() for a in user.assignments]
        from hongyin.common.notifications import unread_count

        context["unread_notifications"] = unread_count(user)
    return context
