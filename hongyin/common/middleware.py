import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest
from django.utils.cache import patch_cache_control

from .errors import NotFound
from .request_context import reset_client_ip, set_client_ip


def _parse_ip(raw: str):
    try:
        return ipaddress.ip_address(raw.strip())
    except ValueError:  # a forged or malformed header must not break auditing
        return None


@lru_cache(maxsize=8)
def _trusted_networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _is_trusted(ip) -> bool:
    return any(ip in net for net in _trusted_networks(tuple(settings.HONGYIN_TRUSTED_PROXIES)))


def request_ip(request: HttpRequest) -> str | None:
    """The client's address. Proxy headers count only when the socket peer is a configured trusted proxy
    (HONGYIN_TRUSTED_PROXIES, empty by default): otherwise anyone could rotate X-Forwarded-For to dodge the login
    rate limit or write a forged address into the audit log."""
    peer = _parse_ip(request.META.get("REMOTE_ADDR") or "")
    if peer is None or not _is_trusted(peer):
        return str(peer) if peer is not None else None
    real = _parse_ip(request.META.get("HTTP_X_REAL_IP") or "")
    if real is not None:
        return str(real)
    # X-Forwarded-For: the right-most address that is not one of our proxies is the client.
    for raw in reversed((request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")):
        hop = _parse_ip(raw)
        if hop is None:
            break
        if not _is_trusted(hop):
            return str(hop)
    return str(peer)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_client_ip(request_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_client_ip(token)


class NoStoreMiddleware:
    """Private pages are not cached (issue 17): `Cache-Control: no-store` on every response to a signed-in user,
    every API response and every download (Content-Disposition: attachment). A response that already says
    no-store is left alone; static files never get here (WhiteNoise answers them first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "no-store" in response.get("Cache-Control", ""):
            return response
        user = getattr(request, "user", None)
        if (
            request.path.startswith("/api/")
            or (user is not None and user.is_authenticated)
            or response.get("Content-Disposition", "").startswith("attachment")
        ):
            patch_cache_control(response, no_store=True)
        return response


class NotFoundMiddleware:
    """The edge of the pages: a service's NotFound ("missing or outside your scope") answers the 404 page, as if the
    view had not found the object itself (services know nothing of HTTP)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(exception.message))
        return None
