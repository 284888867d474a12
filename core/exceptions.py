class ServiceError(Exception):
    """A business rule refused the operation. The message is Vietnamese and shown to the user."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
