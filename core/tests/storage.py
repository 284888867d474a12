"""A file storage without local paths, for tests (issue 16, scale-out): Django's InMemoryStorage, whose
`path()` raises as S3Storage's does (InMemoryStorage itself answers a path under MEDIA_ROOT)."""

import os

from django.core.files.storage import InMemoryStorage
from django.utils._os import safe_join


class NoPathStorage(InMemoryStorage):
    def path(self, name):
        raise NotImplementedError("This storage has no local paths (as S3).")

    def _relative_path(self, name):  # InMemoryStorage's own lookups go through path()
        return os.path.relpath(safe_join(self.location, name), self.location)
