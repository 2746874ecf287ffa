class DomainError(Exception):
    """A refused business operation; its message is shown to the user as it is (already translated)."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
