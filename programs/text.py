"""Text normalisation shared by search, uniqueness rules and imports."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize_name(text: str) -> str:
    """Fold a designation or alias to its comparison key.

    Case, accents, spaces, hyphens, dots and other punctuation are dropped, so "BL-B01D1",
    "bl b01d1" and "blb01d1" share the key ``blb01d1``; Greek alpha becomes "a" ("FRα" -> "fra").
    """
    text = unicodedata.normalize("NFKD", text.replace("α", "a").replace("β", "b"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_ALNUM.sub("", text.lower())


def slugify_code(text: str) -> str:
    """A URL slug for an asset code or company name that keeps codes readable (BL-B01D1 -> bl-b01d1)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-") or "x"
