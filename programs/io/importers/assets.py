"""Assets import: upsert by any designation (code or alias); targets must be known symbols or aliases."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from programs.io.importers.base import CREATED, UNCHANGED, UPDATED, CellError, Importer
from programs.models import Asset, AssetDesignation, AssetPayload, AssetTarget, Indication, Payload, Target
from programs.text import normalize_name, slugify_code
from programs.vocab import AntibodyFormat, AssetStatus, ConjugationMethod, DesignationKind, PayloadClass


class AssetImporter(Importer):
    table = "assets"
    required = ("code", "originator", "targets")

    def load(self) -> None:
        super().load()
        self.targets: dict[str, Target] = {}
        for target in Target.objects.prefetch_related("aliases"):
            self.targets[target.normalized] = target
            for alias in target.aliases.all():
                self.targets.setdefault(alias.normalized, target)
        self.payloads: dict[str, Payload] = {normalize_name(p.name): p for p in Payload.objects.all()}

    def resolve_targets(self, text: str) -> list[Target]:
        out, unknown = [], []
        for name in self.items(text):
            target = self.targets.get(normalize_name(name))
            if target is None:
                unknown.append(name)
            else:
                out.append(target)
        if unknown:
            raise CellError("targets", f"Unknown target(s) {', '.join(map(repr, unknown))}: use an HGNC symbol "
                            "or a known alias (HER3 means ERBB3).")
        return out

    def import_row(self, row: dict[str, str]) -> tuple[str, str]:
        code = row["code"].strip()
        if not code:
            raise CellError("code", "The asset code is required.")
        names = [code, *self.items(row["aliases"])]
        ids = {self.assets_by_name[normalize_name(n)] for n in names if normalize_name(n) in self.assets_by_name}
        if len(ids) > 1:
            raise CellError("aliases", "The code and aliases name different known assets.")
        asset = Asset.objects.filter(pk=ids.pop()).first() if ids else None
        created = asset is None
        targets = self.resolve_targets(row["targets"])
        payloads = []
        for name in self.items(row["payloads"]):
            payload = self.payloads.get(normalize_name(name))
            if payload is None:
                cls = self.choice("payload_class", PayloadClass, row["payload_class"], default="other")
                payload = Payload.objects.create(name=name, payload_class=cls)
                self.payloads[normalize_name(name)] = payload
            payloads.append(payload)
        values = {
            "inn": row["inn"],
            "originator_id": self.company("originator", row["originator"]).pk,
            "antibody_format": self.choice("antibody_format", AntibodyFormat, row["antibody_format"],
                                           default=AntibodyFormat.MONOSPECIFIC_IGG),
            "conjugation_method": self.choice("conjugation_method", ConjugationMethod, row["conjugation_method"],
                                              default=ConjugationMethod.UNKNOWN),
            "conjugation_technology": row["conjugation_technology"],
            "dar": self.decimal("dar", row["dar"]),
            "linker_chemistry": row["linker"],
            "linker_cleavable": self.boolean("linker_cleavable", row["linker_cleavable"]),
            "masked": bool(self.boolean("masked", row["masked"])),
            "status": self.choice("status", AssetStatus, row["status"], default=AssetStatus.ACTIVE),
        }
        if asset is None:
            asset = Asset(code=code, slug=slugify_code(code))
        changed = self.apply(asset, values)
        if changed or created:
            asset.full_clean(exclude=["originator", "slug"] if created else ["originator"])
            asset.save()
        changed |= self._sync_structure(asset, names, targets, payloads, row)
        if row["source_url"]:
            asset.sources.add(self.source("source_url", row["source_url"]))
        if not (created or changed):
            return UNCHANGED, code
        return (CREATED if created else UPDATED), code

    def _sync_structure(self, asset: Asset, names: list[str], targets: list[Target], payloads: list[Payload],
                        row: dict[str, str]) -> bool:
        changed = False
        for i, name in enumerate(names):
            key = normalize_name(name)
            if key and key not in self.assets_by_name:
                kind = DesignationKind.CODE if i == 0 else DesignationKind.ALIAS
                AssetDesignation.objects.create(asset=asset, name=name, kind=kind)
                self.assets_by_name[key] = asset.pk
                changed = True
        if [at.target_id for at in asset.asset_targets.order_by("position")] != [t.pk for t in targets]:
            asset.asset_targets.all().delete()
            for position, target in enumerate(targets, start=1):
                AssetTarget.objects.create(asset=asset, target=target, position=position)
            changed = True
        if sorted(asset.asset_payloads.values_list("payload_id", flat=True)) != sorted(p.pk for p in payloads):
            asset.asset_payloads.all().delete()
            for position, payload in enumerate(payloads, start=1):
                AssetPayload.objects.create(asset=asset, payload=payload, position=position)
            changed = True
        wanted = set()
        for name in self.items(row["indications"]):
            wanted.add(Indication.objects.get_or_create(name=name)[0].pk)
        if wanted and wanted != set(asset.indications.values_list("pk", flat=True)):
            asset.indications.set(wanted)
            changed = True
        return changed


__all__ = ["AssetImporter", "ValidationError"]
