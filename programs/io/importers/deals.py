"""Deals import: upsert by (source URL, kind, parties); parties as licensor/licensee plus ``Company:role`` items.

One article often reports several deals of one kind (CytomX's three terminated collaborations), so the
natural key includes the set of parties; when it alone differs and the source names one deal of that
kind, the row updates that deal's parties.
"""

from __future__ import annotations

from programs.io.importers.base import CREATED, UNCHANGED, UPDATED, CellError, Importer
from programs.models import Deal, DealParty, DealTerms
from programs.vocab import Currency, DealKind, DealRole, DealStatus


class DealImporter(Importer):
    table = "deals"
    required = ("kind", "source_url")

    def import_row(self, row: dict[str, str]) -> tuple[str, str]:
        kind = self.choice("kind", DealKind, row["kind"])
        source = self.source("source_url", row["source_url"])
        parties: list[tuple[int, str]] = []
        for column, role in (("licensor", DealRole.LICENSOR), ("licensee", DealRole.LICENSEE)):
            for name in self.items(row[column]):
                parties.append((self.company(column, name).pk, role))
        for item in self.items(row["other_parties"]):
            name, sep, role_text = item.rpartition(":")
            if not sep or not name.strip():
                raise CellError("other_parties", f"{item!r}: write parties as Company:role, e.g. BioDlink:cdmo.")
            parties.append((self.company("other_parties", name).pk, self.choice("other_parties", DealRole,
                                                                                 role_text)))
        if not parties:
            raise CellError("licensor", "Name at least one party (licensor, licensee or other_parties).")
        asset_ids = [self.asset_id("assets", name) for name in self.items(row["assets"])]
        announced = self.date("announced", row["announced"])
        names = [self.companies_by_pk(pk) for pk, _ in parties]
        deal = self._match(source, kind, set(parties))
        created = deal is None
        deal = deal or Deal(source=source, kind=kind)
        changed = self.apply(deal, {
            "title": deal.title or f"{' / '.join(names)}: {DealKind(kind).label.lower()}",
            "announced_on": announced.date, "announced_precision": announced.precision,
            "territory": row["territory"],
            "status": self.choice("status", DealStatus, row["status"], default=DealStatus.ACTIVE),
        })
        if created or changed:
            deal.full_clean(exclude=["source"])
            deal.save()
        if set(deal.deal_parties.values_list("company_id", "role")) != set(parties):
            deal.deal_parties.all().delete()
            for company_id, role in dict.fromkeys(parties):
                DealParty.objects.create(deal=deal, company_id=company_id, role=role)
            changed = True
        if set(deal.assets.values_list("pk", flat=True)) != set(asset_ids):
            deal.assets.set(asset_ids)
            changed = True
        changed |= self._terms(deal, source, row)
        label = deal.title
        if not (created or changed):
            return UNCHANGED, label
        return (CREATED if created else UPDATED), label

    @staticmethod
    def _match(source: object, kind: str, parties: set[tuple[int, str]]) -> Deal | None:
        """The deal this row describes: same source and kind, and the same parties when several match."""
        candidates = list(Deal.objects.filter(source=source, kind=kind).prefetch_related("deal_parties"))
        for deal in candidates:
            if {(p.company_id, p.role) for p in deal.deal_parties.all()} == parties:
                return deal
        return candidates[0] if len(candidates) == 1 else None

    def companies_by_pk(self, pk: int) -> str:
        return next(c.name for c in self.companies.values() if c.pk == pk)

    def _terms(self, deal: Deal, source: object, row: dict[str, str]) -> bool:
        amounts = {k: self.decimal(k, row[k]) for k in ("upfront", "milestones", "total_value")}
        if "near_term" in self.header:  # older files have no such column: the field is left alone
            amounts["near_term"] = self.decimal("near_term", row["near_term"])
        if not any(v is not None for v in amounts.values()):
            return False
        currency = self.choice("currency", Currency, row["currency"], default=Currency.USD)
        terms = DealTerms.objects.filter(deal=deal, source=source).first()
        created = terms is None
        terms = terms or DealTerms(deal=deal, source=source)  # type: ignore[misc]
        changed = self.apply(terms, {**amounts, "currency": currency})
        if created or changed:
            terms.full_clean(exclude=["deal", "source"])
            terms.save()
        return created or changed
