"""Fixtures of the jobs tests: counters built for the summary, builders registered for one test."""

from __future__ import annotations

import io

import pytest
from docx import Document

from jobs import registry
from reports.services import counters_rebuild


@pytest.fixture
def built(tree):
    counters_rebuild(year=2024)
    counters_rebuild(year=2023)
    return tree


@pytest.fixture
def temp_builder():
    """register(key, build=...) for the duration of one test."""
    keys: list[str] = []

    def _register(key: str, build, *, action="unit.view", title="Tệp thử — {unit}"):
        keys.append(key)
        return registry.register(key, title=title, action=action, build=build)

    yield _register
    for key in keys:
        registry.unregister(key)


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
