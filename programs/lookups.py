"""Find-or-create lookups of the records imports and forms name by text: indications and companies.

One implementation, shared by the editor forms (``milestones.forms``), the ClinicalTrials.gov import
(``programs.io.ctgov``) and anything else that turns a typed name into a row, so "Merck & Co." finds
the same company whichever path typed it. It sits below forms and importers and must not import
either (nor any view); it only reads and creates ``programs`` models.
"""

from __future__ import annotations

from programs.models import Company, Indication
from programs.text import normalize_name, slugify_code

# The models' name columns; a longer name is cut so the lookup and the insert agree.
_NAME_MAX = 200
_SLUG_MAX = 190  # room for a "-N" suffix within the slug column's 200


def indication_named(name: str) -> Indication | None:
    """The indication of this name (case-insensitive, spaces collapsed), created if new; None for blank."""
    name = " ".join((name or "").split())[:_NAME_MAX]
    if not name:
        return None
    found = Indication.objects.filter(name__iexact=name).first()
    return found or Indication.objects.create(name=name)


def company_named(name: str) -> Company:
    """The company with this name (case-insensitive) or alias (normalised), created if new.

    A new company gets a readable slug (``slugify_code``) made unique with a numeric suffix, so two
    names that slug alike ("Merck & Co", "Merck Co") never collide on the unique column.
    """
    name = " ".join((name or "").split())[:_NAME_MAX]
    if not name:
        raise ValueError("A company needs a name.")
    found = (
        Company.objects.filter(name__iexact=name).first()
        or Company.objects.filter(aliases__normalized=normalize_name(name)).first()
    )
    if found is not None:
        return found
    base = slugify_code(name)[:_SLUG_MAX]
    slug, n = base, 1
    while Company.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Company.objects.create(name=name, slug=slug)
