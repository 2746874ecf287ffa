"""/readyz and /metrics: public (no session), never cached, not rate-limited; /metrics answers only the monitoring
hosts (HONGYIN_METRICS_ALLOWED_IPS) or a bearer token (HONGYIN_METRICS_TOKEN), and looks missing to anyone else."""

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from hongyin.common.middleware import request_ip
from hongyin.common.permissions import public

from .health import readiness
from .metrics import scrape_registry


@public
@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when every check passes, 503 naming the ones that failed."""
    ok, checks = readiness()
    body = {"status": "ok" if ok else "unavailable", "checks": checks}
    if not ok:
        body["failed"] = [name for name, check in checks.items() if not check["ok"]]
    return JsonResponse(body, status=200 if ok else 503)


def _token_ok(request: HttpRequest) -> bool:
    token = settings.HONGYIN_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def _address_ok(request: HttpRequest) -> bool:
    ip = request_ip(request)
    if ip is None:
        return False
    address = ipaddress.ip_address(ip)
    return any(
        address in ipaddress.ip_network(net.strip(), strict=False)
        for net in settings.HONGYIN_METRICS_ALLOWED_IPS
        if net.strip()
    )


@public
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not (_token_ok(request) or _address_ok(request)):
        raise Http404
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)
