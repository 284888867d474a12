"""The organisations' part of `load_demo` (see `demo/parts.py`): the emulation clusters of LĐLĐ huyện Mỹ
Đức (`cluster_demo.py`)."""

from __future__ import annotations

from .cluster_demo import build_demo

DEMO_ORDER = 20  # after the movements
DEMO_LABELS = {"clusters": "cụm thi đua"}


def demo_part(demo) -> dict[str, int]:
    return {"clusters": build_demo(rng=demo.rng, year=demo.year)}
