"""Accent-insensitive text similarity for catching duplicate initiatives (pure Python, no database).

Texts are folded (lower case, no diacritics: "Quản lý" → "quan ly"), split into Vietnamese syllables and
turned into TF-IDF vectors over syllable unigrams and bigrams; the score is the cosine of two vectors
(0 … 1). Unigrams make the score insensitive to word order, bigrams reward shared phrases ("ho so",
"mot cua"). Function words that say nothing about the content are dropped.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from core.text import fold

# A score at or above this asks the user to confirm that the new initiative is not a duplicate.
WARN_THRESHOLD = 0.45

_TOKEN = re.compile(r"[0-9a-z]+")
# Function words only: folding merges syllables, so words whose folded form is also a content word
# ("tai" = tại / tài chính, "de" = để / đề xuất, "co" = có / cơ sở) are kept.
STOPWORDS = frozenset(
    ["va", "cua", "cho", "trong", "cac", "nhung", "voi", "la", "mot", "duoc", "nay", "o", "theo", "khi",
     "thi", "nham", "vao", "hoac", "se"]
)  # fmt: skip


def terms(text: str) -> Counter[str]:
    """Folded syllable unigrams and bigrams (stopwords removed first) with their counts."""
    syllables = [t for t in _TOKEN.findall(fold(text)) if t not in STOPWORDS]
    grams = Counter(syllables)
    grams.update(f"{a} {b}" for a, b in zip(syllables, syllables[1:], strict=False))
    return grams


def _vector(counts: Counter[str], idf: dict[str, float], default_idf: float) -> dict[str, float]:
    vec = {term: (1.0 + math.log(n)) * idf.get(term, default_idf) for term, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {term: v / norm for term, v in vec.items()} if norm else {}


def rank_similar(
    query: str, candidates: Iterable[tuple[int, str]], *, limit: int = 5, min_score: float = 0.0
) -> list[tuple[int, float]]:
    """The candidates most similar to `query`, best first, as (id, score) with 0 ≤ score ≤ 1.

    IDF comes from the candidates themselves (smoothed), so terms common to every initiative of the
    organisation ("sang kien", "ung dung") weigh less than the distinctive ones.
    """
    docs = [(pk, terms(text)) for pk, text in candidates]
    query_terms = terms(query)
    if not query_terms or not docs:
        return []
    df: Counter[str] = Counter()
    for _, counts in docs:
        df.update(counts.keys())
    n = len(docs) + 1  # the query counts as a document
    df.update(query_terms.keys())
    idf = {term: math.log((1 + n) / (1 + k)) + 1.0 for term, k in df.items()}
    default_idf = math.log(1 + n) + 1.0
    qvec = _vector(query_terms, idf, default_idf)
    scored = []
    for pk, counts in docs:
        vec = _vector(counts, idf, default_idf)
        score = sum(weight * vec.get(term, 0.0) for term, weight in qvec.items())
        if score > min_score:
            scored.append((pk, min(1.0, round(score, 4))))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]


def rank_initiatives(
    *, title: str, description: str, candidates: Iterable[tuple[int, str, str]], limit: int = 5
) -> list[tuple[int, float]]:
    """Candidates as (id, title, full text incl. the title). The score of each is the higher of the
    title-to-title and the whole-text similarity, so a short new title still finds a long old record."""
    candidates = list(candidates)
    by_title = rank_similar(title, [(pk, t) for pk, t, _ in candidates], limit=len(candidates))
    by_text = rank_similar(
        f"{title}\n{description}", [(pk, text) for pk, _, text in candidates], limit=len(candidates)
    )
    best: dict[int, float] = {}
    for pk, score in [*by_title, *by_text]:
        best[pk] = max(best.get(pk, 0.0), score)
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
