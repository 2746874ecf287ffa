"""The REST API at /api/v1/: the one NinjaAPI, its error answers, and every app's routers.

Every operation authenticates, declares a permission and answers errors as JSON. The routers are found, not
listed: each app's manifest names its `api` module, which declares `ROUTERS = {"/prefix": router}` (the toolkit for
permissions, schemas and authentication sits in the platform layer; this module is the top of the house)."""

import importlib

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from hongyin.api.auth import API_AUTH, RateLimited, TokenRefused
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.manifests import manifests


class HongyinAPI(NinjaAPI):
    """The API authenticates on its own (session + CSRF, or a bearer token; 401 JSON when neither), so Django's
    LoginRequiredMiddleware must not redirect its operations to the login page. The docs stay behind login."""

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if getattr(pattern, "name", None) not in ("openapi-json", "openapi-view"):
                login_not_required(pattern.callback)
        return urls


api = HongyinAPI(
    title="Hongyin API",
    version="1.0.0",
    description=(
        "红引 · 党建引领企业服务平台 API. "
        "Authenticate with the browser session (CSRF) or `Authorization: Bearer <token>`."
    ),
    auth=API_AUTH,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Local assets only (ninja is an installed app); no badge image from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=422)


@api.exception_handler(ValidationError)
def django_validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=422)


@api.exception_handler(NinjaValidationError)
def schema_error(request, exc: NinjaValidationError):
    parts = []
    for err in exc.errors:
        loc = ".".join(str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload"))
        parts.append(f"{loc}: {err.get('msg', '')}" if loc else err.get("msg", ""))
    return api.create_response(
        request, {"detail": _("请求数据有误：") + "; ".join(parts), "errors": exc.errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return api.create_response(request, {"detail": _("未登录或令牌无效。")}, status=401)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": _("您的角色无权执行此操作。")}, status=403)


@api.exception_handler(NotFound)  # a service's "missing or outside your scope"
@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("对象不存在，或不在您的权限范围内。")}, status=404)


@api.exception_handler(RateLimited)
def rate_limited(request, exc):
    return api.create_response(request, {"detail": _("请求过于频繁，请稍后再试。")}, status=429)


@api.exception_handler(TokenRefused)
def token_refused(request, exc: TokenRefused):
    return api.create_response(request, {"detail": exc.message}, status=403)


@api.exception_handler(OverflowError)
def overflow(request, exc):
    """An id beyond the database's integer range (fuzzers send them): a clear 422, never a 500."""
    return api.create_response(request, {"detail": _("数值超出允许范围。")}, status=422)


@api.exception_handler(DataError)
@api.exception_handler(IntegrityError)
def database_refused(request, exc):
    """The database refused a value (out of range, wrong type, a duplicate): 422 and nothing written.

    Services validate first; this is the safety net that keeps bad input from ever becoming a 500."""
    import logging

    logging.getLogger("hongyin.api").warning("database refused a request value: %s", type(exc).__name__)
    return api.create_response(request, {"detail": _("请求数据超出允许范围或与现有数据冲突。")}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def mount_routers() -> None:
    """Mount the ROUTERS of the `api` module every app's manifest names, in INSTALLED_APPS order."""
    for manifest in manifests():
        if manifest.api:
            for prefix, router in importlib.import_module(manifest.module(manifest.api)).ROUTERS.items():
                api.add_router(prefix, router)


mount_routers()
