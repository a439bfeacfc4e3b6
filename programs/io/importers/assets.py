"""Assets import: upsert by any designation (code or alias); targets must be known symbols or aliases.

The INN and each ``brand`` become designations of their kind (INN, brand), so search finds the asset
by them without an alias repeating them; a name that already names another asset is a row error. A
DAR is a value or a range ("4", "3.5-4", "~4" for a reported average, ``programs.validators.parse_dar``).
The newer columns (``programs.io.columns.ASSET_OPTIONAL_COLUMNS``) change nothing when a file does not have them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from programs.io.importers.base import CREATED, UNCHANGED, UPDATED, CellError, Importer
from programs.models import Asset, AssetDesignation, AssetPayload, AssetTarget, Indication, Payload, Target
from programs.text import normalize_name, slugify_code
from programs.validators import parse_dar
from programs.vocab import (
    AntibodyFormat,
    AssetStatus,
    ConjugationMethod,
    DarKind,
    DesignationKind,
    FcEngineering,
    LinkerType,
    PayloadClass,
)


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
        own_names = self._own_names(asset, row)
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
            "linker_chemistry": row["linker"],
            "linker_cleavable": self.boolean("linker_cleavable", row["linker_cleavable"]),
            "masked": bool(self.boolean("masked", row["masked"])),
            "status": self.choice("status", AssetStatus, row["status"], default=AssetStatus.ACTIVE),
            **self._dar(row),
            **self._newer_fields(row),
        }
        linker_type = values.get("linker_type", asset.linker_type if asset else LinkerType.UNKNOWN)
        if values["linker_cleavable"] is None and linker_type != LinkerType.UNKNOWN:
            values["linker_cleavable"] = linker_type in LinkerType.cleavable()  # a non-cleavable type says it
        if asset is None:
            asset = Asset(code=code, slug=slugify_code(code))
        changed = self.apply(asset, values)
        if changed or created:
            asset.full_clean(exclude=["originator", "slug"] if created else ["originator"])
            asset.save()
        changed |= self._sync_structure(asset, names, targets, payloads, row)
        changed |= self._sync_own_names(asset, own_names)
        if row["source_url"]:
            asset.sources.add(self.source("source_url", row["source_url"]))
        if not (created or changed):
            return UNCHANGED, code
        return (CREATED if created else UPDATED), code

    def _dar(self, row: dict[str, str]) -> dict[str, Any]:
        """``dar``, ``dar_max`` and (when the cell or a "~" says) ``dar_kind``."""
        try:
            dar = parse_dar(row["dar"])
        except ValidationError as exc:
            raise CellError("dar", exc.messages[0]) from exc
        out: dict[str, Any] = {"dar": dar.low, "dar_max": dar.high}
        if "dar_kind" in self.header and row["dar_kind"].strip():
            out["dar_kind"] = self.choice("dar_kind", DarKind, row["dar_kind"])
        elif dar.approximate:
            out["dar_kind"] = DarKind.AVERAGE
        elif "dar_kind" in self.header:
            out["dar_kind"] = DarKind.NOMINAL
        return out

    def _newer_fields(self, row: dict[str, str]) -> dict[str, Any]:
        """The fields of the newer columns this file has (an older file leaves them alone)."""
        out: dict[str, Any] = {}
        if "fc_engineering" in self.header:
            out["fc_engineering"] = self.choice("fc_engineering", FcEngineering, row["fc_engineering"],
                                                default=FcEngineering.UNKNOWN)
        if "linker_type" in self.header:
            out["linker_type"] = self.choice("linker_type", LinkerType, row["linker_type"],
                                             default=LinkerType.UNKNOWN)
        if "linker_payload" in self.header:
            out["linker_payload"] = self.fits("linker_payload", Asset, "linker_payload", row["linker_payload"].strip())
        return out

    def _own_names(self, asset: Asset | None, row: dict[str, str]) -> list[tuple[str, str, str]]:
        """(name, kind, column) of the INN and the brands; a name of another asset is the row's error."""
        names: list[tuple[str, str, str]] = []
        if row["inn"].strip():
            names.append((row["inn"].strip(), DesignationKind.INN, "inn"))
        if "brand" in self.header:
            names += [(b, DesignationKind.BRAND, "brand") for b in self.items(row["brand"])]
        for name, _, column in names:
            self.fits(column, AssetDesignation, "name", name)
            other = self.assets_by_name.get(normalize_name(name))
            if not normalize_name(name):
                raise CellError(column, "This name has no letters or digits.")
            if other is not None and (asset is None or other != asset.pk):
                raise CellError(column, f"{name!r} already names another asset.")
        return names

    def _sync_own_names(self, asset: Asset, names: list[tuple[str, str, str]]) -> bool:
        """Create the INN and brand designations; an alias of the same name takes the kind (Kadcyla: brand)."""
        changed = False
        have = {d.normalized: d for d in asset.designations.all()} if names else {}
        for name, kind, _ in names:
            key = normalize_name(name)
            found = have.get(key)
            if found is None:
                have[key] = AssetDesignation.objects.create(asset=asset, name=name, kind=kind)
                self.assets_by_name[key] = asset.pk
                changed = True
            elif found.kind == DesignationKind.ALIAS:
                found.kind = kind
                found.save()
                changed = True
        return changed

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
