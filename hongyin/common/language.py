"""The page language: the user's own choice, else the language cookie, else Simplified Chinese.

Django's LocaleMiddleware would follow the browser's Accept-Language (an English browser got English pages);
here Simplified Chinese is the default whatever the browser says. The choice made with the language switch
(/i18n/setlang/) is kept in the cookie and, for a signed-in user, on the account (`User.language`), so it follows
the user to another browser after login."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.views.i18n import set_language as django_set_language


def _supported(code: str | None) -> str | None:
    return code if code and code in dict(settings.LANGUAGES) else None


def chosen_language(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        own = _supported(getattr(user, "language", ""))
        if own:
            return own
    return _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) or settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Put after AuthenticationMiddleware (the user's choice first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        language = chosen_language(request)
        previous = translation.get_language()
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            translation.activate(previous) if previous else translation.deactivate()  # nothing leaks to the thread
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


def set_language(request: HttpRequest):
    """Django's set_language (the cookie), and the choice saved on the signed-in user."""
    response = django_set_language(request)
    language = _supported(request.POST.get("language")) if request.method == "POST" else None
    user = getattr(request, "user", None)
    if language and user is not None and user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response
