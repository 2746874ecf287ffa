"""The REST API at /api/v1/. Every operation authenticates, declares a permission and answers errors as JSON."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from hongyin.common.errors import DomainError

from .auth import API_AUTH, RateLimited, TokenRefused
from .permissions import api_perm
from .schemas import ErrorOut, MeOut


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

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


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


@api.get("/me", response={200: MeOut, **ERRORS}, tags=["accounts"], summary="The signed-in user, roles and scopes")
@api_perm("shell.use")
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "roles": [
            {
                "role": a.role,
                "role_label": str(a.get_role_display()),
                "scope_kind": str(a.scope_kind),
                "scope_id": getattr(a.scope_object, "pk", None),
                "scope_label": a.scope_label,
            }
            for a in user.assignments
        ],
    }


def mount_routers() -> None:
    """Each app contributes a router module (hongyin/<app>/api.py) mounted here."""
    from hongyin.orgs.api import router as orgs_router

    api.add_router("/orgs", orgs_router)
    from hongyin.members.api import router as members_router

    api.add_router("/members", members_router)
    from hongyin.development.api import router as development_router
    from hongyin.dues.api import router as dues_router
    from hongyin.transfers.api import router as transfers_router

    api.add_router("/development", development_router)
    api.add_router("/transfers", transfers_router)
    api.add_router("/dues", dues_router)
    from hongyin.enterprises.api import router as enterprises_router
    from hongyin.grid.api import router as grid_router

    api.add_router("/enterprises", enterprises_router)
    api.add_router("/grid", grid_router)
    from hongyin.accounts.api import router as accounts_router

    api.add_router("/accounts", accounts_router)
    from hongyin.common.api import router as personal_data_router

    api.add_router("/personal-data", personal_data_router)
    from hongyin.appeals.api import router as appeals_router
    from hongyin.appeals.api import visits_router

    api.add_router("/appeals", appeals_router)
    api.add_router("/visits", visits_router)
    from hongyin.policies.api import router as policies_router

    api.add_router("/policies", policies_router)
    from hongyin.jobs.api import router as jobs_router

    api.add_router("/jobs", jobs_router)


mount_routers()
