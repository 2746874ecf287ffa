"""Keep the UserSession table in step with logins and logouts."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from hongyin.common.middleware import request_ip


@receiver(user_logged_in, dispatch_uid="hongyin_session_track")
def track_session(sender, request, user, **kwargs) -> None:
    from .models import UserSession

    session = getattr(request, "session", None)
    if session is None:
        return
    if not session.session_key:
        session.save()
    UserSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user": user, "ip": request_ip(request)}
    )


@receiver(user_logged_out, dispatch_uid="hongyin_session_untrack")
def untrack_session(sender, request, user, **kwargs) -> None:
    from .models import UserSession

    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()
