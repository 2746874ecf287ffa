from django.conf import settings

from .navigation import nav_for, nav_sections


def shell(request):
    user = getattr(request, "user", None)
    context = {"PLATFORM_NAME": "红引", "LANGUAGES": settings.LANGUAGES}
    if user is not None and user.is_authenticated:
        match = getattr(request, "resolver_match", None)
        context["nav_items"] = nav_for(user, request.path, match.view_name if match else "", request.GET)
        context["nav_sections"] = nav_sections(context["nav_items"])
        context["user_roles"] = [a.get_role_display() for a in user.assignments]
        from hongyin.common.notifications import unread_count

        context["unread_notifications"] = unread_count(user)
    return context
