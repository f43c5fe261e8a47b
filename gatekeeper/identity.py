"""People's identities (owners, approvers) compared as people see them.

Two identities are the same when their confusable skeletons are equal: NFKC (fullwidth U+FF41
is ``a``), case folded, then each character that looks like a Latin one (UTS #39 confusables,
from the ``confusable-homoglyphs`` data) replaced by it, so Cyrillic U+0430 is ``a``. An
identity that holds an invisible or formatting character (zero-width space, bidi controls, soft
hyphen: Unicode's default-ignorable code points and controls) or that mixes scripts (Cyrillic
U+0430 in ``alice``) is refused outright: nobody reading it sees what it is.
"""

from __future__ import annotations

import functools
import unicodedata

# Unicode Default_Ignorable_Code_Point (DerivedCoreProperties.txt), as inclusive ranges.
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)  # fmt: skip
_INVISIBLE_CATEGORIES = ("Cc", "Cf", "Co", "Cn", "Zl", "Zp")


def is_invisible(character: str) -> bool:
    """A character that shows nothing (or changes how others show) where it stands."""
    point = ord(character)
    if any(low <= point <= high for low, high in _DEFAULT_IGNORABLE):
        return True
    return unicodedata.category(character) in _INVISIBLE_CATEGORIES


def identity_problem(identity: str) -> str | None:
    """Why ``identity`` cannot be trusted to read as written, or None when it can."""
    from confusable_homoglyphs import categories, confusables

    hidden = sorted({f"U+{ord(c):04X}" for c in identity if is_invisible(c)})
    if hidden:
        return f"{identity!r} holds invisible or formatting characters ({', '.join(hidden)})"
    folded = unicodedata.normalize("NFKC", identity)
    if confusables.is_mixed_script(folded):
        scripts = sorted(categories.unique_aliases(folded) - {"COMMON"})
        return f"{identity!r} mixes scripts ({', '.join(scripts)})"
    return None


@functools.lru_cache(maxsize=4096)
def normalize_identity(identity: str) -> str:
    """The skeleton two identities are compared by: NFKC, invisible characters removed, trimmed,
    case folded, each character that looks like a Latin one replaced by it."""
    from confusable_homoglyphs import confusables

    visible = "".join(c for c in unicodedata.normalize("NFKC", identity) if not is_invisible(c))
    folded = visible.strip().casefold()
    found = confusables.is_confusable(folded, greedy=True, preferred_aliases=["latin"]) or []
    latin = {item["character"]: item["homoglyphs"][0]["c"] for item in found}
    return unicodedata.normalize("NFKC", "".join(latin.get(c, c) for c in folded)).casefold()


def same_identity(first: str, second: str) -> bool:
    """Whether a person would read ``first`` and ``second`` as the same identity."""
    return normalize_identity(first) == normalize_identity(second)
