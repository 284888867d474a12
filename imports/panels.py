"""The import framework's part of the unit page (`organizations.panels`): "Nhập dữ liệu từ tệp" for whoever
may import at least one kind into the unit."""

from __future__ import annotations

from django.urls import reverse

from organizations import panels

from .selectors import kinds_for


def _imports(page: panels.UnitPage) -> dict | None:
    available = kinds_for(user=page.user, unit=page.unit)
    if not available:
        return None
    return {
        "imports_url": f"{reverse('imports:index')}?don_vi={page.unit.pk}",
        "import_titles": [k.title for k in available],
    }


panels.register(
    "imports.index", order=38, region=panels.SIDE, template="imports/_panel.html", context=_imports
)
