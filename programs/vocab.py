"""Controlled vocabularies of the ADC domain (see shared DOMAIN.md), as ``TextChoices``.

Stored values are short stable slugs; labels are what pages show and what imports accept
(together with the synonyms in ``SYNONYMS``).
"""

from __future__ import annotations

import functools

from django.db import models


def choice_labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """A choices class as value -> label (labels as ``str``: lazy ones would print the same, slower)."""
    return {str(value): str(label) for value, label in choices.choices}

class CompanyKind(models.TextChoices):
    # What an import or a quick entry creates: nobody has said yet (never guessed as "Biotech").
    UNKNOWN = "unknown", "Kind not set"
    BIOTECH = "biotech", "Biotech"
    PHARMA = "pharma", "Pharma"
    CDMO = "cdmo", "CDMO"
    CRO = "cro", "CRO"
    ACADEMIC = "academic", "Academic"


class PlatformKind(models.TextChoices):
    ANTIBODY_DISCOVERY = "antibody_discovery", "Antibody discovery"
    CONJUGATION = "conjugation", "Conjugation"
    MASKING = "masking", "Masking / prodrug"
    LINKER_PAYLOAD = "linker_payload", "Linker-payload"
    OTHER = "other", "Other"


class AntibodyFormat(models.TextChoices):
    MONOSPECIFIC_IGG = "monospecific_igg", "Monospecific IgG"
    BISPECIFIC = "bispecific", "Bispecific"
    BIPARATOPIC = "biparatopic", "Biparatopic"
    TRISPECIFIC = "trispecific", "Trispecific"
    FRAGMENT_OTHER = "fragment_other", "Fragment / other"


class FcEngineering(models.TextChoices):
    UNKNOWN = "unknown", "Unknown"
    NONE = "none", "Not engineered"
    SILENCED = "silenced", "Fc silenced"
    ENHANCED = "enhanced", "Fc enhanced"


class ConjugationMethod(models.TextChoices):
    UNKNOWN = "unknown", "Unknown"
    STOCHASTIC_LYSINE = "stochastic_lysine", "Stochastic lysine"
    STOCHASTIC_CYSTEINE = "stochastic_cysteine", "Stochastic interchain cysteine"
    SITE_CYSTEINE = "site_cysteine", "Site-specific engineered cysteine"
    SITE_GLYCAN = "site_glycan", "Site-specific glycan (N297, enzymatic)"
    SITE_NNAA = "site_nnaa", "Site-specific non-natural amino acid"
    SITE_OTHER = "site_other", "Site-specific, other"
    OTHER = "other", "Other"

    @classmethod
    def site_specific(cls) -> tuple[str, ...]:
        return (cls.SITE_CYSTEINE, cls.SITE_GLYCAN, cls.SITE_NNAA, cls.SITE_OTHER)


class LinkerType(models.TextChoices):
    """The linker's release mechanism; the chemistry itself (Val-Cit, GGFG, CL2A) stays free text."""

    UNKNOWN = "unknown", "Unknown"
    CLEAVABLE_PEPTIDE = "cleavable_peptide", "Cleavable peptide"
    HYDROLYSABLE = "hydrolysable", "Hydrolysable (acid-labile)"
    DISULFIDE = "disulfide", "Disulfide"
    GLUCURONIDE = "glucuronide", "β-glucuronide"
    CLEAVABLE_OTHER = "cleavable_other", "Cleavable, other"
    NON_CLEAVABLE = "non_cleavable", "Non-cleavable"

    @classmethod
    def cleavable(cls) -> tuple[str, ...]:
        return (cls.CLEAVABLE_PEPTIDE, cls.HYDROLYSABLE, cls.DISULFIDE, cls.GLUCURONIDE, cls.CLEAVABLE_OTHER)


class DarKind(models.TextChoices):
    NOMINAL = "nominal", "Nominal"
    AVERAGE = "average", "Reported average"


class PayloadClass(models.TextChoices):
    TOPO1 = "topo1", "Topoisomerase I inhibitor"
    TUBULIN = "tubulin", "Tubulin inhibitor"
    DNA_DAMAGING = "dna_damaging", "DNA damaging"
    RNA_POLYMERASE = "rna_polymerase", "RNA polymerase inhibitor"
    IMMUNE_MODULATOR = "immune_modulator", "Immune modulator"
    NON_CYTOTOXIC = "non_cytotoxic", "Non-cytotoxic"
    RADIONUCLIDE = "radionuclide", "Radionuclide"
    OTHER = "other", "Other"


class AssetStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DISCONTINUED = "discontinued", "Discontinued"


class DesignationKind(models.TextChoices):
    CODE = "code", "Code"
    INN = "inn", "INN"
    BRAND = "brand", "Brand name"
    ALIAS = "alias", "Alias"
    FORMER_CODE = "former_code", "Former code"


_PHASE_RANKS: dict[str, int] = {}


class Phase(models.TextChoices):
    """Development phases in rank order (``Phase.rank`` gives the order for "highest phase")."""

    PRECLINICAL = "preclinical", "Preclinical"
    IND_ENABLING = "ind_enabling", "IND-enabling"
    # Not in DOMAIN.md's list: an asset with a cleared IND but no patient dosed is neither
    # IND-enabling nor in Phase 1, and analysts filter for exactly that state.
    IND = "ind", "IND cleared"
    PHASE1 = "phase1", "Phase 1"
    PHASE1_2 = "phase1_2", "Phase 1/2"
    PHASE2 = "phase2", "Phase 2"
    PHASE2_3 = "phase2_3", "Phase 2/3"
    PHASE3 = "phase3", "Phase 3"
    FILED = "filed", "Filed"
    APPROVED = "approved", "Approved"
    SUSPENDED = "suspended", "Suspended (on hold)"
    DISCONTINUED = "discontinued", "Discontinued / withdrawn"

    @classmethod
    def rank(cls, value: str | None) -> int:
        """Order of a development phase; suspended and discontinued are states, ranked -1."""
        ranks = _PHASE_RANKS or _PHASE_RANKS.update({p.value: i for i, p in enumerate(list(cls)[:10])}) or _PHASE_RANKS
        # str(): an enum member hashes by its name, so look up by the plain value.
        return ranks.get(str(value), -1) if isinstance(value, str) else -1

    @classmethod
    def development(cls) -> list[Phase]:
        return [p for p in cls if cls.rank(p) >= 0]

    @classmethod
    def clinical(cls) -> tuple[str, ...]:
        return tuple(p.value for p in cls if cls.rank(p) >= cls.rank(cls.PHASE1))


class DealKind(models.TextChoices):
    LICENCE = "licence", "Licence"
    CO_DEVELOPMENT = "co_development", "Co-development"
    OPTION = "option", "Option"
    ACQUISITION = "acquisition", "Acquisition"
    RESEARCH = "research", "Research collaboration"
    PLATFORM = "platform", "Platform"
    CDMO = "cdmo", "Manufacturing / CDMO service"


class DealRole(models.TextChoices):
    LICENSOR = "licensor", "Licensor"
    LICENSEE = "licensee", "Licensee"
    CO_DEVELOPER = "co_developer", "Co-developer"
    ACQUIRER = "acquirer", "Acquirer"
    OPTION_HOLDER = "option_holder", "Option holder"
    SERVICE_PROVIDER = "service_provider", "CDMO / service provider"
    COLLABORATOR = "collaborator", "Collaborator"


class DealStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    TERMINATED = "terminated", "Terminated"


class Currency(models.TextChoices):
    USD = "USD", "US dollar"
    EUR = "EUR", "Euro"
    CNY = "CNY", "Chinese yuan"
    JPY = "JPY", "Japanese yen"
    GBP = "GBP", "Pound sterling"
    CHF = "CHF", "Swiss franc"
    KRW = "KRW", "South Korean won"
    HKD = "HKD", "Hong Kong dollar"
    AUD = "AUD", "Australian dollar"
    CAD = "CAD", "Canadian dollar"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    HALF = "half", "Half-year"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Not stated"


SYNONYMS: dict[type[models.TextChoices], dict[str, str]] = {
    # Lower-cased synonym -> stored value; used by imports and forms next to value and label.
    AntibodyFormat: {
        "igg": "monospecific_igg", "monospecific": "monospecific_igg", "mab": "monospecific_igg",
        "bsadc": "bispecific", "bispecific adc": "bispecific", "fragment": "fragment_other",
        "tsadc": "trispecific", "trispecific adc": "trispecific",
    },
    LinkerType: {
        "peptide": "cleavable_peptide", "val-cit": "cleavable_peptide", "vc": "cleavable_peptide",
        "ggfg": "cleavable_peptide", "enzyme-cleavable": "cleavable_peptide", "protease-cleavable":
        "cleavable_peptide", "hydrazone": "hydrolysable", "acid-labile": "hydrolysable", "cl2a": "hydrolysable",
        "hydrolyzable": "hydrolysable", "ss": "disulfide", "thioether": "non_cleavable", "smcc": "non_cleavable",
        "noncleavable": "non_cleavable", "non cleavable": "non_cleavable", "cleavable": "cleavable_other",
        "peptide cleavable": "cleavable_peptide", "cleavable (peptide)": "cleavable_peptide", "val cit":
        "cleavable_peptide", "valine-citrulline": "cleavable_peptide", "val-ala": "cleavable_peptide",
        "vc-pab": "cleavable_peptide", "mc-vc-pab": "cleavable_peptide", "acid labile": "hydrolysable",
        "hydrolysable": "hydrolysable", "hydrolyzable (acid-labile)": "hydrolysable", "disulphide": "disulfide",
        "glucuronide": "glucuronide", "beta-glucuronide": "glucuronide", "b-glucuronide": "glucuronide",
        "other cleavable": "cleavable_other", "not cleavable": "non_cleavable",
    },
    FcEngineering: {
        "silenced": "silenced", "fc-silenced": "silenced", "lala": "silenced", "lala-pg": "silenced",
        "effector-null": "silenced", "enhanced": "enhanced", "fc-enhanced": "enhanced", "afucosylated": "enhanced",
        "none": "none", "no": "none", "wild type": "none", "wild-type": "none", "not disclosed": "unknown",
    },
    DarKind: {"avg": "average", "mean": "average", "reported": "average", "approximate": "average",
              "target": "nominal", "designed": "nominal"},
    ConjugationMethod: {
        "lysine": "stochastic_lysine", "cysteine": "stochastic_cysteine",
        "interchain cysteine": "stochastic_cysteine", "engineered cysteine": "site_cysteine",
        "thiomab": "site_cysteine", "glycan": "site_glycan", "n297": "site_glycan",
        "glycan site-specific": "site_glycan", "nnaa": "site_nnaa", "non-natural amino acid": "site_nnaa",
        "site-specific": "site_other", "site-specific glycan": "site_glycan", "glycan-based": "site_glycan",
        "glycoengineered": "site_glycan", "enzymatic glycan": "site_glycan", "site-specific cysteine": "site_cysteine",
        "stochastic": "other", "random lysine": "stochastic_lysine", "random cysteine": "stochastic_cysteine",
    },
    PayloadClass: {
        "topoisomerase i": "topo1", "topo i": "topo1", "topoisomerase": "topo1",
        "microtubule inhibitor": "tubulin", "tubulin": "tubulin", "dna": "dna_damaging",
        "pbd": "dna_damaging", "dna damaging agent": "dna_damaging", "dna-damaging agent": "dna_damaging",
        "dna-damaging": "dna_damaging", "dna alkylator": "dna_damaging", "calicheamicin": "dna_damaging",
        "topoisomerase i inhibitor": "topo1", "topoisomerase-i inhibitor": "topo1", "top1": "topo1",
        "antimitotic": "tubulin", "microtubule disruptor": "tubulin",
    },
    DealKind: {"license": "licence", "licensing": "licence", "collaboration": "research",
               "manufacturing": "cdmo", "service": "cdmo", "m&a": "acquisition"},
    DealRole: {"cdmo": "service_provider", "cro": "service_provider", "partner": "collaborator",
               "option": "option_holder", "codeveloper": "co_developer"},
    Phase: {"p1": "phase1", "phase i": "phase1", "phase ii": "phase2", "phase iii": "phase3",
            "phase 1b": "phase1", "phase 1a": "phase1", "phase i/ii": "phase1_2",
            "phase ii/iii": "phase2_3", "bla": "filed", "nda": "filed", "marketed": "approved",
            "on hold": "suspended", "withdrawn": "discontinued"},
}


@functools.cache
def _choice_keys(choices: type[models.TextChoices]) -> dict[str, str]:
    """Stored value and label (lower case) -> stored value, built once per vocabulary: an import of
    10,000 rows parses each choice column 10,000 times. The first choice to claim a key keeps it."""
    keys: dict[str, str] = {}
    for value, label in choices.choices:
        keys.setdefault(str(value).lower().replace("_", " "), str(value))
        keys.setdefault(str(label).lower(), str(value))
    return keys


def parse_choice(choices: type[models.TextChoices], text: str) -> str:
    """Map a stored value, a label or a known synonym (case-insensitive) to the stored value.

    Raises ``ValueError`` naming the accepted values when nothing matches.
    """
    key = " ".join(str(text).strip().lower().replace("_", " ").split())
    found = _choice_keys(choices).get(key)
    if found is not None:
        return found
    synonym = SYNONYMS.get(choices, {}).get(key)
    if synonym:
        return synonym
    accepted = ", ".join(str(label) for _, label in choices.choices)
    raise ValueError(f"{text!r} is not one of: {accepted}")
