class DomainError(Exception):
    """A refused business operation; its message is shown to the user as it is (already translated)."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class NotFound(Exception):
    """The object does not exist or lies outside the actor's scope (forbidden looks like missing).

    Raised by services and selectors, which know nothing of HTTP; the edge answers 404 (pages:
    hongyin.common.middleware.NotFoundMiddleware; the API: hongyin.site.api)."""

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message
