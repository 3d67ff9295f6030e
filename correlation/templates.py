"""Alert templates: text with its variable parts masked, and how alike two templates are.

Monitors fill the same rule with different pods, numbers and ids; masking those
turns thousands of alert texts into a few hundred templates, which is what
"the same kind of alert" means for correlation.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable
from itertools import repeat
from operator import mul

from sklearn.feature_extraction.text import HashingVectorizer

_MASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<uuid>"),
    (re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b"), "<ip>"),
    # Kubernetes pod names: <deployment>-<replicaset hash>-<5 chars>.
    (re.compile(r"-[a-z0-9]{6,10}-[a-z0-9]{5}\b"), "-<pod>"),
    (re.compile(r"\b(?=[0-9a-f]*\d)[0-9a-f]{6,}\b"), "<hex>"),
    (re.compile(r"\d+(?:\.\d+)?"), "<n>"),
)


_DIGITS = str.maketrans("123456789", "000000000")
_ASCII_DIGITS = bytes.maketrans(b"123456789", b"000000000")


def mask_key(text: str) -> str:
    """A key with the same template as ``text``: its ASCII digits all made ``0``.

    Every mask treats digits as a class (never a particular digit) and the last one
    replaces every run of them, so texts that differ only in digits (the same rule with
    other values, pods, ids) share a template: caching templates by this key, computed
    in one ``str.translate``, spares most alerts the regular expressions. Most texts are
    ASCII, for which ``bytes.translate`` (one table lookup a character) is several times
    faster than ``str.translate`` (a dictionary lookup per distinct character, every call).
    """
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_DIGITS).decode("ascii")
    return text.translate(_DIGITS)


def mask(text: str) -> str:
    """The template of an alert text: lower case, variable parts replaced by placeholders."""
    masked = text.lower()
    for pattern, placeholder in _MASKS:
        masked = pattern.sub(placeholder, masked)
    return " ".join(masked.split())


class TemplateIndex:
    """Interns templates as small integers and compares them by hashed word n-grams.

    Bounded: the least recently used templates and similarities are forgotten, so a
    monitor that puts unmasked ids in its text cannot grow memory without limit.
    """

    def __init__(self, capacity: int = 50_000, similarity_capacity: int = 200_000) -> None:
        self._capacity = capacity
        self._similarity_capacity = similarity_capacity
        self._ids: OrderedDict[str, int] = OrderedDict()
        self._texts: dict[int, str] = {}
        self._vectors: dict[int, dict[int, float]] = {}
        # template -> other template -> similarity, both ways round (no key to build per
        # lookup); ``_pairs`` counts each pair once.
        self._similarity: dict[int, dict[int, float]] = {}
        self._pairs = 0
        self._next_id = 0
        self._vectorizer = HashingVectorizer(
            n_features=2**18, ngram_range=(1, 2), alternate_sign=False, norm="l2"
        )

    def __len__(self) -> int:
        return len(self._ids)

    def intern(self, template: str) -> int:
        known = self._ids.get(template)
        if known is not None:
            self._ids.move_to_end(template)
            return known
        template_id = self._next_id
        self._next_id += 1
        self._ids[template] = template_id
        self._texts[template_id] = template
        if len(self._ids) > self._capacity:
            _, evicted = self._ids.popitem(last=False)
            del self._texts[evicted]
            self._vectors.pop(evicted, None)
        return template_id

    def text(self, template_id: int) -> str | None:
        return self._texts.get(template_id)

    def vectorise(self, template_ids: list[int]) -> None:
        """Vectorise templates not seen before in one call (much faster than one by one)."""
        vectors, texts = self._vectors, self._texts
        missing = sorted(t for t in set(template_ids) if t not in vectors and t in texts)
        if not missing:
            return
        matrix = self._vectorizer.transform([self._texts[t] for t in missing]).tocsr()
        for row, template_id in enumerate(missing):
            start, end = matrix.indptr[row], matrix.indptr[row + 1]
            self._vectors[template_id] = dict(
                zip(
                    matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(), strict=True
                )
            )

    def most_similar(self, a: int, others: Iterable[int]) -> float:
        """The highest ``similarity`` of ``a`` to any of ``others`` (0 for none)."""
        known = self._similarity.get(a)
        best = 0.0
        for b in others:
            cached = known.get(b) if known is not None else None
            if cached is None:
                if a == b:
                    cached = 1.0
                else:
                    cached = self.similarity(a, b)
                    known = self._similarity.get(a)
            if cached > best:
                best = cached
        return best

    def similarity(self, a: int, b: int) -> float:
        """Cosine similarity of two templates' hashed n-grams, in [0, 1]."""
        if a == b:
            return 1.0
        known = self._similarity
        row = known.get(a)
        if row is not None:
            cached = row.get(b)
            if cached is not None:
                return cached
        vectors = self._vectors
        left, right = vectors.get(a), vectors.get(b)
        if left is None or right is None:
            self.vectorise([a, b])
            left, right = vectors.get(a), vectors.get(b)
        value = 0.0
        if left is not None and right is not None:
            if len(left) > len(right):
                left, right = right, left
            value = min(1.0, sum(map(mul, left.values(), map(right.get, left, repeat(0.0)))))
        if self._pairs >= self._similarity_capacity:
            known.clear()
            self._pairs = 0
        self._pairs += 1
        known.setdefault(a, {})[b] = value
        known.setdefault(b, {})[a] = value
        return value
