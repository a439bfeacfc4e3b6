"""Demo data, transcribed from the three seed texts (shared/seeds) and the BMS press release.

Dates keep exactly the precision the text gives ("" = not stated). Figures are as quoted, each with
its source; where one is disputed (the press's "$84 billion" for the Biokin/BMS deal against BMS's
"up to US$8.4 billion"), both are kept and the company's own figure stands.
"""

from __future__ import annotations

from typing import Any

_REPRO = "Article text kept in the adctrack demo set; URL as catalogued, not re-verified."
# Every URL below was transcribed, none re-checked against the publication it names: each source says
# so (``verified=False``) and pages mark it "unverified" rather than looking authoritative.
_UNVERIFIED = {"verified": False}

SOURCES: dict[str, dict[str, Any]] = {
    "neok": {
        "url": "https://www.biocytogen.com/news/neok002-fda-ind-clearance",
        "title": "Biocytogen partner NEOK Bio receives US FDA IND clearance for NEOK002, an EGFR/MUC1 bispecific ADC",
        "publisher": "Biocytogen (press coverage)", "notes": _REPRO, **_UNVERIFIED,
    },
    "js212": {
        "url": "https://www.medpath.com/news/junshi-biosciences-receives-ind-approval-for-novel-bispecific-adc-targeting-egfr-and-her3",
        "title": "Junshi Biosciences Receives IND Approval for Novel Bispecific ADC Targeting EGFR and HER3",
        "publisher": "MedPath", "notes": _REPRO, **_UNVERIFIED,
    },
    "vcbeat": {
        "url": "https://www.vcbeat.top/news/adc-safety-site-specific-bispecific-prodrug-2025",
        "title": "ADC safety turn: site-specific conjugation, bispecific and prodrug ADCs (ChemPartner, ICE Bioscience, "
                 "GlycanLink interviews)",
        "publisher": "VCBeat", "notes": _REPRO + " Cross-trial comparisons as quoted by the article.",
        **_UNVERIFIED,
    },
    "bms": {
        "url": "https://news.bms.com/news/corporate-financial/2023/Bristol-Myers-Squibb-and-SystImmune-Announce-"
               "Global-Strategic-Collaboration-Agreement-for-the-Development-and-Commercialization-of-BL-B01D1/"
               "default.aspx",
        "title": "Bristol Myers Squibb and SystImmune announce global strategic collaboration for BL-B01D1",
        "publisher": "Bristol Myers Squibb", "published_on": "2023-12-11", "notes": "Company press release.",
        **_UNVERIFIED,
    },
    "fda-kadcyla": {
        "url": "https://www.accessdata.fda.gov/drugsatfda_docs/label/2013/125427lbl.pdf",
        "title": "KADCYLA (ado-trastuzumab emtansine) prescribing information, BLA 125427",
        "publisher": "US FDA", "published_on": "2013-02-22", **_UNVERIFIED,
    },
    "fda-enhertu": {
        "url": "https://www.accessdata.fda.gov/drugsatfda_docs/label/2019/761139s000lbl.pdf",
        "title": "ENHERTU (fam-trastuzumab deruxtecan-nxki) prescribing information, BLA 761139",
        "publisher": "US FDA", "published_on": "2019-12-20", **_UNVERIFIED,
    },
    "cytomx": {
        "url": "https://www.globenewswire.com/news-release/2025/05/12/3078935/37704/en/CytomX-Announces-Positive-"
               "Interim-Data-From-Phase-1-Dose-Escalation-Study-of-EpCAM-Antibody-Drug-Conjugate-CX-2051-"
               "Candidate-in-Patients-with-Advanced-Colorectal-Cancer-CRC.html",
        "title": "CytomX announces positive interim data from Phase 1 dose-escalation study of EpCAM antibody-drug "
                 "conjugate CX-2051 in patients with advanced colorectal cancer",
        "publisher": "CytomX Therapeutics", "published_on": "2025-05-12",
        "notes": "Names Varseta-M's code (CX-2051) and target (EpCAM); URL as cited by press coverage.",
        **_UNVERIFIED,
    },
}

# name, kind, country, website, aliases, platforms [(name, kind)]
COMPANIES: list[dict[str, Any]] = [
    {"name": "Biocytogen", "kind": "biotech", "country": "CN", "website": "https://www.biocytogen.com",
     "aliases": ["Biocytogen Pharmaceuticals (Beijing) Co., Ltd."],
     "platforms": [("RenLite/RenMice", "antibody_discovery")], "source": "neok"},
    {"name": "NEOK Bio", "kind": "biotech", "country": "US", "aliases": ["NEOK Bio, Inc."], "source": "neok"},
    {"name": "Junshi Biosciences", "kind": "pharma", "country": "CN", "aliases": ["Junshi"], "source": "js212"},
    {"name": "BioDlink", "kind": "cdmo", "country": "CN", "source": "js212"},
    {"name": "Biokin Pharmaceutical", "kind": "pharma", "country": "CN",
     "aliases": ["Sichuan Biokin Pharmaceutical", "Biokin"], "source": "vcbeat"},
    {"name": "SystImmune", "kind": "biotech", "country": "US", "source": "bms"},
    {"name": "Bristol Myers Squibb", "kind": "pharma", "country": "US", "website": "https://www.bms.com",
     "aliases": ["BMS", "Bristol-Myers Squibb"], "source": "bms"},
    {"name": "Alphamab Oncology", "kind": "biotech", "country": "CN", "aliases": ["Alphamab"], "source": "vcbeat"},
    {"name": "Boan Biotech", "kind": "biotech", "country": "CN", "aliases": ["Boan"],
     "platforms": [("C-Lock", "conjugation")], "source": "vcbeat"},
    {"name": "CytomX Therapeutics", "kind": "biotech", "country": "US", "aliases": ["CytomX"],
     "platforms": [("Probody", "masking")], "source": "vcbeat"},
    {"name": "Adagene", "kind": "biotech", "country": "CN", "platforms": [("SAFEbody", "masking")], "source": "vcbeat"},
    {"name": "Exelixis", "kind": "pharma", "country": "US", "source": "vcbeat"},
    {"name": "AbbVie", "kind": "pharma", "country": "US", "source": "vcbeat"},
    {"name": "Astellas", "kind": "pharma", "country": "JP", "aliases": ["Astellas Pharma"], "source": "vcbeat"},
    {"name": "Daiichi Sankyo", "kind": "pharma", "country": "JP", "source": "vcbeat"},
    {"name": "Innovent Biologics", "kind": "pharma", "country": "CN", "aliases": ["Innovent"], "source": "vcbeat"},
    {"name": "GlycanLink", "kind": "biotech", "country": "CN", "platforms": [("N297 glycan conjugation", "conjugation")],
     "source": "vcbeat"},
    {"name": "ChemPartner", "kind": "cro", "country": "CN", "platforms": [("CP-C2LP", "linker_payload")],
     "source": "vcbeat"},
    {"name": "ICE Bioscience", "kind": "cro", "country": "CN", "source": "vcbeat"},
    # Roche is Genentech's parent, not another name of it: a parent link belongs to the company's rights.
    {"name": "Genentech", "kind": "pharma", "country": "US", "source": "vcbeat"},
]

# name, class, mechanism
PAYLOADS: list[tuple[str, str, str]] = [
    ("DXd", "topo1", "topoisomerase I inhibitor (exatecan derivative)"),
    ("SN-38", "topo1", "topoisomerase I inhibitor"),
    ("Ed-04", "topo1", "topoisomerase I inhibitor"),
    ("MMAE", "tubulin", "tubulin inhibitor (auristatin)"),
    ("DM1", "tubulin", "tubulin inhibitor (maytansinoid)"),
    ("PBD", "dna_damaging", "DNA cross-linker (pyrrolobenzodiazepine dimer)"),
    ("Glucocorticoid receptor modulator", "non_cytotoxic", "glucocorticoid receptor agonist"),
    ("Oligonucleotide", "non_cytotoxic", "gene regulation"),
    ("Undisclosed payload A", "other", "cytotoxic payload, not disclosed"),
    ("Undisclosed payload B", "other", "cytotoxic payload, not disclosed"),
]

ASSETS: list[dict[str, Any]] = [
    {"code": "NEOK002", "originator": "Biocytogen", "targets": ["EGFR", "MUC1"], "antibody_format": "bispecific",
     "indications": ["Solid tumours"], "sources": ["neok"],
     "description": "EGFR/MUC1 ADC built from a bispecific antibody originally developed by Biocytogen; "
                    "licensed to NEOK Bio in 2024."},
    {"code": "JS212", "originator": "Junshi Biosciences", "targets": ["EGFR", "ERBB3"],
     # No indications: the text says where EGFR and HER3 are expressed, and that JS212's target
     # indications "have not yet been disclosed".
     "antibody_format": "bispecific", "sources": ["js212"],
     "description": "First-in-class EGFR x HER3 bispecific ADC; BioDlink provided development and manufacturing."},
    {"code": "BL-B01D1", "inn": "izalontamab brengitecan", "aliases": ["iza-bren"], "originator": "Biokin Pharmaceutical",
     "targets": ["EGFR", "ERBB3"], "antibody_format": "bispecific", "payloads": ["Ed-04"], "sources": ["vcbeat", "bms"],
     "description": "EGFR x HER3 bispecific ADC; first bispecific ADC to publish Phase 3 results."},
    {"code": "JSKN021", "originator": "Alphamab Oncology", "targets": ["EGFR", "ERBB3"], "antibody_format": "bispecific",
     "conjugation_method": "site_glycan", "conjugation_technology": "Glycan-specific Fc conjugation",
     "payloads": ["Undisclosed payload A", "Undisclosed payload B"], "sources": ["vcbeat"],
     "description": "Dual-payload EGFR/HER3 bispecific ADC; two cytotoxic payloads conjugated site-specifically "
                    "to Fc glycans."},
    {"code": "BA1301", "originator": "Boan Biotech", "targets": ["CLDN18.2"], "antibody_format": "monospecific_igg",
     "conjugation_method": "site_other", "conjugation_technology": "C-Lock", "conjugation_platform": "C-Lock",
     "sources": ["vcbeat"], "description": "CLDN18.2 ADC using C-Lock site-specific conjugation."},
    {"code": "Varseta-M", "aliases": ["CX-2051"], "originator": "CytomX Therapeutics", "targets": ["EPCAM"],
     "antibody_format": "monospecific_igg", "masked": True, "masking_platform": "Probody",
     "indications": ["Colorectal cancer"], "sources": ["vcbeat", "cytomx"],
     "description": "Masked (prodrug) EpCAM ADC (CX-2051); CytomX's lead programme."},
    {"code": "T-DM1", "inn": "trastuzumab emtansine", "brands": ["Kadcyla"], "originator": "Genentech",
     "targets": ["ERBB2"], "conjugation_method": "stochastic_lysine", "dar": "3.5", "dar_kind": "average",
     "linker_type": "non_cleavable", "linker_cleavable": False, "linker_chemistry": "thioether (SMCC)",
     "linker_payload": "emtansine", "payloads": ["DM1"], "sources": ["vcbeat", "fda-kadcyla"]},
    {"code": "T-DXd", "inn": "trastuzumab deruxtecan", "brands": ["Enhertu"], "aliases": ["DS-8201"],
     "originator": "Daiichi Sankyo", "targets": ["ERBB2"], "conjugation_method": "stochastic_cysteine", "dar": "8",
     "linker_type": "cleavable_peptide", "linker_cleavable": True, "linker_chemistry": "GGFG tetrapeptide",
     "linker_payload": "deruxtecan", "payloads": ["DXd"], "sources": ["vcbeat", "fda-enhertu"]},
]

# asset, kind, agency, phase, status, date ("" = not stated), indication, source
MILESTONES: list[dict[str, Any]] = [
    {"asset": "NEOK002", "kind": "ind_cleared", "agency": "FDA", "date": "", "source": "neok",
     "indication": "Solid tumours"},
    {"asset": "NEOK002", "kind": "phase_started", "agency": "FDA", "phase": "phase1", "status": "planned",
     "date": "Q2 2026", "source": "neok", "indication": "Solid tumours"},
    {"asset": "JS212", "kind": "ind_cleared", "agency": "NMPA", "date": "", "source": "js212"},
    {"asset": "BL-B01D1", "kind": "phase_started", "phase": "phase3", "date": "", "source": "vcbeat"},
    {"asset": "JSKN021", "kind": "ind_accepted", "agency": "NMPA", "date": "Mar 2025", "source": "vcbeat"},
    {"asset": "BA1301", "kind": "phase_started", "phase": "phase1", "date": "", "source": "vcbeat"},
    {"asset": "Varseta-M", "kind": "phase_started", "phase": "phase1", "date": "", "source": "vcbeat",
     "indication": "Colorectal cancer"},
    {"asset": "T-DM1", "kind": "approval", "agency": "FDA", "date": "2013-02-22", "source": "fda-kadcyla",
     "indication": "HER2-positive metastatic breast cancer"},
    {"asset": "T-DXd", "kind": "approval", "agency": "FDA", "date": "2019-12-20", "source": "fda-enhertu",
     "indication": "HER2-positive metastatic breast cancer"},
]

SAFETY: list[dict[str, Any]] = [
    {"asset": "BL-B01D1", "category": "ild", "term": "interstitial lung disease", "grade_band": "any",
     "max_grade": 1, "incidence_percent": "0.6", "study": "BL-B01D1 clinical study", "source": "vcbeat",
     "population": "All grade 1, as quoted"},
    {"asset": "T-DM1", "category": "ild", "term": "interstitial lung disease", "grade_band": "any",
     "incidence_percent": "9.49", "source": "vcbeat", "population": "As quoted for comparison (cross-trial)"},
    {"asset": "T-DXd", "category": "ild", "term": "interstitial lung disease", "grade_band": "any",
     "incidence_percent": "68.43", "source": "vcbeat", "population": "As quoted for comparison (cross-trial)"},
    # One figure, as the text gives it: "anemia and neutropenia incidence rate was only 1.7%".
    {"asset": "BA1301", "category": "hematological", "term": "anemia and neutropenia", "incidence_percent": "1.7",
     "study": "Phase 1 (ESMO 2025)", "source": "vcbeat"},
    {"asset": "BA1301", "category": "gastrointestinal", "term": "vomiting", "incidence_percent": "1.7",
     "study": "Phase 1 (ESMO 2025)", "source": "vcbeat"},
    {"asset": "BA1301", "category": "gastrointestinal", "term": "nausea", "incidence_percent": "0",
     "study": "Phase 1 (ESMO 2025)", "source": "vcbeat"},
]

SAFETY_MEASURES: list[dict[str, Any]] = [
    {"asset": "BA1301", "name": "free payload release", "value": "0.002", "unit": "%",
     "study": "Phase 1 (ESMO 2025), pharmacokinetics", "source": "vcbeat"},
]

EFFICACY: list[dict[str, Any]] = [
    {"asset": "Varseta-M", "endpoint": "orr", "value": "32", "unit": "percent", "dose_group": "high dose",
     "population": "later-line metastatic colorectal cancer", "line_of_therapy": "3L+",
     "indication": "Colorectal cancer", "source": "vcbeat"},
    {"asset": "Varseta-M", "endpoint": "dcr", "value": "88", "unit": "percent", "dose_group": "high dose",
     "population": "later-line metastatic colorectal cancer", "line_of_therapy": "3L+",
     "indication": "Colorectal cancer", "source": "vcbeat"},
    {"asset": "Varseta-M", "endpoint": "mpfs", "value": "7.1", "unit": "months", "dose_group": "high dose",
     "population": "later-line metastatic colorectal cancer", "line_of_therapy": "3L+",
     "indication": "Colorectal cancer", "source": "vcbeat"},
]

# The BMS release: upfront + the contingent near-term payment + milestones add up to the total
# (tests check the arithmetic). An earlier demo set had no field for the near-term payment.
TERMS_NOTE = "Up to US$8.4 billion = US$800M upfront + US$500M contingent near-term payment + up to US$7.1B milestones."
_NOTE_WITHOUT_NEAR_TERM = (
    "Up to US$8.4 billion = US$800M upfront + US$500M contingent near-term payment (no field of its "
    "own: the 500 missing from upfront + milestones) + up to US$7.1B milestones.")

# Deals: natural key is the title. terms: list of reported money, one per source.
DEALS: list[dict[str, Any]] = [
    {"title": "Biocytogen licenses NEOK002 to NEOK Bio", "kind": "licence", "announced": "2024",
     "parties": [("Biocytogen", "licensor"), ("NEOK Bio", "licensee")], "assets": ["NEOK002"], "source": "neok"},
    {"title": "BioDlink CDMO services for JS212", "kind": "cdmo", "announced": "",
     "parties": [("BioDlink", "service_provider"), ("Junshi Biosciences", "collaborator")], "assets": ["JS212"],
     "source": "js212"},
    {"title": "Biokin/SystImmune and Bristol Myers Squibb global collaboration on BL-B01D1", "kind": "co_development",
     # The BMS release of 11 December 2023: an exclusive licence (BMS alone outside the US and mainland
     # China) and a collaboration (the two develop and commercialise it together in the US). One company,
     # its two roles; pages show it once.
     "announced": "2023-12-11", "territory": "Worldwide (co-development; BMS ex-China rights)",
     "parties": [("Biokin Pharmaceutical", "licensor"), ("SystImmune", "licensor"),
                 ("Bristol Myers Squibb", "licensee"), ("Bristol Myers Squibb", "co_developer")],
     "assets": ["BL-B01D1"], "source": "bms",
     "terms": [
         {"source": "bms", "currency": "USD", "upfront": "800", "total_value": "8400", "stands": True,
          "near_term": "500", "milestones": "7100", "note": TERMS_NOTE},
         {"source": "vcbeat", "currency": "USD", "total_value": "84000", "stands": False,
          "note": "\"$84 billion\" as quoted by VCBeat; disputed by the company's own figure."},
     ]},
    {"title": "Adagene SAFEbody collaboration with Exelixis", "kind": "platform", "announced": "",
     "parties": [("Adagene", "licensor"), ("Exelixis", "licensee")], "platform": ("Adagene", "SAFEbody"),
     "summary": "Masked ADCs against targets nominated by Exelixis, using the SAFEbody platform.", "source": "vcbeat"},
    {"title": "CytomX masked antibody collaboration with AbbVie", "kind": "research", "announced": "",
     "status": "terminated", "parties": [("CytomX Therapeutics", "licensor"), ("AbbVie", "collaborator")],
     "source": "vcbeat"},
    {"title": "CytomX masked antibody collaboration with Astellas", "kind": "research", "announced": "",
     "status": "terminated", "parties": [("CytomX Therapeutics", "licensor"), ("Astellas", "collaborator")],
     "source": "vcbeat"},
    {"title": "CytomX masked antibody collaboration with Bristol Myers Squibb", "kind": "research", "announced": "",
     "status": "terminated", "parties": [("CytomX Therapeutics", "licensor"), ("Bristol Myers Squibb", "collaborator")],
     "source": "vcbeat"},
]

# --- corrections of earlier versions of this set ----------------------------------------------------------------
# An earlier demo set wrote these values; they misstated their sources. ``seed_demo`` on such a database
# sets the new value where the record still holds exactly the old one (an editor's own change is left
# alone, and the loader then reports it as a conflict), and deletes the retired rows. A second run finds
# nothing to correct. (model label, lookup, field, old value, new value)
_OLD_BMS_NOTE = "Up to US$8.4 billion: US$800M upfront, US$500M contingent, up to US$7.1B milestones."
_BMS_DEAL = "Biokin/SystImmune and Bristol Myers Squibb global collaboration on BL-B01D1"
CORRECTIONS: list[tuple[str, dict[str, Any], str, Any, Any]] = [
    *(("programs.Source", {"url": s["url"]}, "verified", True, False) for s in SOURCES.values()),
    ("programs.Asset", {"code": "NEOK002"}, "description",
     "EGFR/MUC1 bispecific-derived ADC from Biocytogen's RenLite/RenMice platform; licensed to NEOK Bio in 2024.",
     ASSETS[0]["description"]),
    ("programs.Asset", {"code": "Varseta-M"}, "description", "Masked (prodrug) ADC; CytomX's lead programme.",
     ASSETS[5]["description"]),
    ("programs.Asset", {"code": "T-DM1"}, "linker_type", "unknown", "non_cleavable"),
    ("programs.Asset", {"code": "T-DM1"}, "linker_payload", "", "emtansine"),
    ("programs.Asset", {"code": "T-DXd"}, "linker_type", "unknown", "cleavable_peptide"),
    ("programs.Asset", {"code": "T-DXd"}, "linker_payload", "", "deruxtecan"),
    ("programs.AssetDesignation", {"name": "Kadcyla", "asset__code": "T-DM1"}, "kind", "alias", "brand"),
    ("programs.AssetDesignation", {"name": "Enhertu", "asset__code": "T-DXd"}, "kind", "alias", "brand"),
    ("programs.Deal", {"title": _BMS_DEAL}, "announced_on", "2023-12-01", "2023-12-11"),
    ("programs.Deal", {"title": _BMS_DEAL}, "announced_precision", "month", "day"),
    ("programs.DealTerms", {"deal__title": _BMS_DEAL, "source__url": SOURCES["bms"]["url"]}, "note", _OLD_BMS_NOTE,
     TERMS_NOTE),
    ("programs.DealTerms", {"deal__title": _BMS_DEAL, "source__url": SOURCES["bms"]["url"]}, "note",
     _NOTE_WITHOUT_NEAR_TERM, TERMS_NOTE),
    ("programs.DealTerms", {"deal__title": _BMS_DEAL, "source__url": SOURCES["bms"]["url"]}, "near_term", None, "500"),
]
# Rows an earlier version wrote that no source supports: (model label, lookup). Deleted where present.
RETIRED: list[tuple[str, dict[str, Any]]] = [
    ("programs.CompanyAlias", {"name": "Roche", "company__name": "Genentech"}),
    *(("programs.Asset_indications", {"asset__code": "JS212", "indication__name": name})
      for name in ("Lung cancer", "Breast cancer", "Head and neck cancer")),
    *(("milestones.SafetyEvent", {"asset__code": "BA1301", "term": term, "incidence_percent": "1.7",
                                  "source__url": SOURCES["vcbeat"]["url"]}) for term in ("anaemia", "neutropenia")),
]
