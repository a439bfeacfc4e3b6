"""Find-or-create lookups of the records imports and forms name by text: indications and companies.

One implementation, shared by the editor forms (``milestones.forms``), the ClinicalTrials.gov import
(``programs.io.ctgov``) and anything else that turns a typed name into a row, so "Merck & Co." finds
the same company whichever path typed it. It sits below forms and importers and must not import
either (nor any view); it only reads and creates ``programs`` models.

``NameCache`` is the same lookup for a run of many records (a ClinicalTrials.gov search page): the
names a page uses are read in two queries up front, and a row one record creates is remembered only
once its transaction commits, so a rolled-back record (an error, a dry run) never leaves a cached row
that does not exist. A name the cache does not hold falls back to the functions above.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models import Q

from programs.models import Company, CompanyAlias, Indication
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


def company_found(name: str) -> Company | None:
    """The company with this name (case-insensitive) or alias (normalised), if any; nothing is created."""
    name = " ".join((name or "").split())[:_NAME_MAX]
    if not name:
        return None
    return (
        Company.objects.filter(name__iexact=name).first()
        or Company.objects.filter(aliases__normalized=normalize_name(name)).first()
    )


def company_named(name: str) -> Company:
    """The company with this name (case-insensitive) or alias (normalised), created if new.

    A new company gets a readable slug (``slugify_code``) made unique with a numeric suffix, so two
    names that slug alike ("Merck & Co", "Merck Co") never collide on the unique column.
    """
    name = " ".join((name or "").split())[:_NAME_MAX]
    if not name:
        raise ValueError("A company needs a name.")
    found = company_found(name)
    if found is not None:
        return found
    base = slugify_code(name)[:_SLUG_MAX]
    slug, n = base, 1
    while Company.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Company.objects.create(name=name, slug=slug)


def _key(name: str) -> str:
    return " ".join((name or "").split())[:_NAME_MAX].lower()


class NameCache:
    """``company_named`` and ``indication_named`` for one run, without a query per record for known names."""

    def __init__(self) -> None:
        self.companies: dict[str, Company] = {}
        self.aliases: dict[str, Company] = {}
        self.indications: dict[str, Indication] = {}

    def preload(self, companies: Iterable[str] = (), indications: Iterable[str] = ()) -> None:
        """Read the rows these names find, in one query per model (and one for company aliases)."""
        names = sorted({_key(n) for n in companies} - {""})
        for chunk in _chunks(names):
            found = Company.objects.filter(_any_iexact("name", chunk)).order_by("-pk")
            self.companies.update({c.name.lower(): c for c in found})  # the lowest pk wins, as .first()
            normalized = {normalize_name(n) for n in chunk} - {""}
            for alias in CompanyAlias.objects.filter(normalized__in=normalized).select_related("company"):
                self.aliases.setdefault(alias.normalized, alias.company)
        for chunk in _chunks(sorted({_key(n) for n in indications} - {""})):
            found_ind = Indication.objects.filter(_any_iexact("name", chunk)).order_by("-pk")
            self.indications.update({i.name.lower(): i for i in found_ind})

    def company(self, name: str) -> Company:
        key = _key(name)
        found = self.companies.get(key) or self.aliases.get(normalize_name(name))
        if found is None:
            found = company_named(name)
            transaction.on_commit(partial(self.companies.__setitem__, key, found))
        return found

    def indication(self, name: str) -> Indication | None:
        key = _key(name)
        if not key:
            return None
        found = self.indications.get(key)
        if found is None:
            found = indication_named(name)
            if found is not None:
                transaction.on_commit(partial(self.indications.__setitem__, key, found))
        return found


def _chunks(values: list[str], size: int = 400) -> Iterable[list[str]]:
    """Slices small enough for one statement's parameters (SQLite's limit)."""
    return (values[start : start + size] for start in range(0, len(values), size))


def _any_iexact(field: str, values: Iterable[str]) -> Q:
    query = Q()
    for value in values:
        query |= Q(**{f"{field}__iexact": value})
    return query
