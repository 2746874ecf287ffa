import ipaddress

from django.http import HttpRequest

from .request_context import reset_client_ip, set_client_ip


def request_ip(request: HttpRequest) -> str | None:
    # Behind nginx the real address comes in X-Real-IP, set by our own proxy config (docs/deployment.md).
    raw = (request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or "").strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:  # a forged or malformed header must not break auditing
        return None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_client_ip(request_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_client_ip(token)
