"""Reference targets shipped with adctrack (loaded by a data migration).

Each entry: HGNC symbol, full (HGNC approved) name, the names people search by, and for an isoform the
parent gene symbol. Aliases are matched case-insensitively, ignoring spaces/hyphens/dots by the app.
"""

from __future__ import annotations

from typing import NamedTuple


class ReferenceTarget(NamedTuple):
    symbol: str  # HGNC symbol, or isoform name such as "CLDN18.2"
    name: str  # full name
    aliases: tuple[str, ...]
    parent: str | None = None  # for an isoform: the gene symbol it is an isoform of


RT = ReferenceTarget

REFERENCE_TARGETS: tuple[ReferenceTarget, ...] = (
    # --- HER family / receptor tyrosine kinases ---
    RT("ERBB2", "erb-b2 receptor tyrosine kinase 2", ("HER2", "HER-2", "neu", "CD340", "HER2/neu")),
    RT("ERBB3", "erb-b2 receptor tyrosine kinase 3", ("HER3",)),
    RT("EGFR", "epidermal growth factor receptor", ("HER1", "ERBB1")),
    RT(
        "MET",
        "MET proto-oncogene, receptor tyrosine kinase",
        ("c-Met", "HGFR", "hepatocyte growth factor receptor"),
    ),
    RT("AXL", "AXL receptor tyrosine kinase", ("UFO", "Axl receptor")),
    RT("ROR1", "receptor tyrosine kinase like orphan receptor 1", ("NTRKR1",)),
    RT("ROR2", "receptor tyrosine kinase like orphan receptor 2", ("NTRKR2",)),
    RT("PTK7", "protein tyrosine kinase 7 (inactive)", ("CCK4", "colon carcinoma kinase 4")),
    RT("FGFR2", "fibroblast growth factor receptor 2", ("CD332", "KGFR", "BEK")),
    RT("FGFR3", "fibroblast growth factor receptor 3", ("CD333",)),
    RT("IGF1R", "insulin like growth factor 1 receptor", ("CD221", "IGF-IR")),
    RT("KIT", "KIT proto-oncogene, receptor tyrosine kinase", ("CD117", "c-Kit", "SCFR")),
    RT("FLT3", "fms related receptor tyrosine kinase 3", ("CD135", "FLK2")),
    RT("EPHA2", "EPH receptor A2", ("ECK", "EphA2 receptor")),
    # --- epithelial / solid-tumour antigens ---
    RT(
        "TACSTD2",
        "tumor associated calcium signal transducer 2",
        ("TROP2", "TROP-2", "TROP 2", "EGP-1", "GA733-1"),
    ),
    RT(
        "EPCAM",
        "epithelial cell adhesion molecule",
        ("TROP1", "CD326", "ESA", "KSA", "EGP-2", "TACSTD1", "GA733-2", "17-1A"),
    ),
    RT("NECTIN4", "nectin cell adhesion molecule 4", ("Nectin-4", "PVRL4", "LNIR")),
    RT("CD276", "CD276 molecule", ("B7-H3", "B7RP-2")),
    RT("VTCN1", "V-set domain containing T cell activation inhibitor 1", ("B7-H4", "B7x", "B7S1")),
    RT("CD274", "CD274 molecule", ("PD-L1", "B7-H1", "programmed death-ligand 1")),
    RT(
        "FOLR1",
        "folate receptor alpha",
        ("FR\u03b1", "FRalpha", "folate receptor alpha", "folate receptor 1", "FBP"),
    ),
    RT("CLDN18", "claudin 18", ("claudin 18",)),
    RT(
        "CLDN18.2",
        "claudin 18 isoform 2",
        ("Claudin18.2", "CLDN18-2", "Claudin 18.2", "CLDN18 isoform 2"),
        "CLDN18",
    ),
    RT("CLDN6", "claudin 6", ("claudin-6",)),
    RT("CLDN9", "claudin 9", ("claudin-9",)),
    RT("CEACAM5", "CEA cell adhesion molecule 5", ("CEA", "CD66e", "carcinoembryonic antigen")),
    RT("CEACAM6", "CEA cell adhesion molecule 6", ("CD66c", "NCA")),
    RT("F3", "coagulation factor III, tissue factor", ("tissue factor", "TF", "CD142", "thromboplastin")),
    RT("MUC1", "mucin 1, cell surface associated", ("CA15-3", "EMA", "CD227", "PEM", "episialin")),
    RT("MUC16", "mucin 16, cell surface associated", ("CA125", "CA-125")),
    RT("MUC17", "mucin 17, cell surface associated", ()),
    RT("MSLN", "mesothelin", ("mesothelin", "CAK1")),
    RT("CDH6", "cadherin 6", ("cadherin-6", "K-cadherin", "KCAD")),
    RT("CDH3", "cadherin 3", ("P-cadherin", "PCAD", "cadherin-3")),
    RT("GPC3", "glypican 3", ("glypican-3",)),
    RT("DLL3", "delta like canonical Notch ligand 3", ("delta-like 3", "delta-like ligand 3")),
    RT("DLK1", "delta like non-canonical Notch ligand 1", ("Pref-1", "FA1")),
    RT("SLC34A2", "solute carrier family 34 member 2", ("NaPi2b", "NaPi-IIb", "NPT2b")),
    RT("SLC39A6", "solute carrier family 39 member 6", ("LIV-1", "ZIP6")),
    RT("SLC44A4", "solute carrier family 44 member 4", ("CTL4", "AGS-5")),
    RT("SLC1A5", "solute carrier family 1 member 5", ("ASCT2", "ATB0")),
    RT("ENPP3", "ectonucleotide pyrophosphatase/phosphodiesterase 3", ("CD203c", "NPP3", "AGS-16")),
    RT("CA9", "carbonic anhydrase 9", ("CAIX", "G250", "MN antigen")),
    RT("GPNMB", "glycoprotein nmb", ("osteoactivin", "HGFIN", "DC-HIL")),
    RT("LRRC15", "leucine rich repeat containing 15", ("LIB",)),
    RT("ALCAM", "activated leukocyte cell adhesion molecule", ("CD166",)),
    RT("FOLH1", "folate hydrolase 1", ("PSMA", "prostate-specific membrane antigen", "GCPII", "FOLH")),
    RT("STEAP1", "STEAP family member 1", ("STEAP", "six-transmembrane epithelial antigen of prostate 1")),
    RT("TPBG", "trophoblast glycoprotein", ("5T4", "WAIF1")),
    RT("EFNA4", "ephrin A4", ("ephrin-A4", "EFL4", "LERK4")),
    RT("ITGB6", "integrin subunit beta 6", ("integrin beta-6", "avb6", "alphavbeta6")),
    RT("ITGAV", "integrin subunit alpha V", ("CD51", "integrin alpha-V")),
    RT("SLITRK6", "SLIT and NTRK like family member 6", ()),
    RT("SEZ6", "seizure related 6 homolog", ("seizure 6",)),
    RT("ADAM9", "ADAM metallopeptidase domain 9", ("MDC9", "meltrin gamma")),
    RT("EDNRB", "endothelin receptor type B", ("ETB", "ETBR")),
    RT("NOTCH3", "notch receptor 3", ()),
    RT("LY6E", "lymphocyte antigen 6 family member E", ("TSA-1", "SCA-2", "RIG-E")),
    RT("ALPP", "alkaline phosphatase, placental", ("PLAP", "placental alkaline phosphatase")),
    RT("ALPG", "alkaline phosphatase, germ cell", ("ALPPL2", "ALPPL", "GCAP")),
    RT("CDCP1", "CUB domain containing protein 1", ("CD318", "TRASK", "SIMA135")),
    RT("TM4SF1", "transmembrane 4 L six family member 1", ("L6", "L6 antigen", "TAAL6")),
    RT("PLAUR", "plasminogen activator, urokinase receptor", ("uPAR", "CD87")),
    RT("CD46", "CD46 molecule", ("MCP", "membrane cofactor protein")),
    RT("PRLR", "prolactin receptor", ()),
    RT("GUCY2C", "guanylate cyclase 2C", ("GCC", "guanylyl cyclase C")),
    RT("SSTR2", "somatostatin receptor 2", ("SST2", "sst2 receptor")),
    RT("KAAG1", "kidney associated antigen 1", ("RU2AS",)),
    RT("ENG", "endoglin", ("CD105", "endoglin")),
    RT("CD44", "CD44 molecule (Indian blood group)", ("HCAM", "Pgp-1")),
    RT("CD44v6", "CD44 variant 6", ("CD44 variant 6", "CD44-v6 isoform"), "CD44"),
    RT("IL13RA2", "interleukin 13 receptor subunit alpha 2", ("CD213a2", "IL13Ralpha2")),
    RT("GPR20", "G protein-coupled receptor 20", ()),
    RT(
        "TMEFF2",
        "transmembrane protein with EGF like and two follistatin like domains 2",
        ("TENB2", "TPEF", "HPP1"),
    ),
    RT("LYPD3", "LY6/PLAUR domain containing 3", ("C4.4A", "C4.4a antigen")),
    RT("MELTF", "melanotransferrin", ("CD228", "MFI2", "p97")),
    RT("HAVCR1", "hepatitis A virus cellular receptor 1", ("TIM-1", "KIM-1", "CD365")),
    RT("TDGF1", "teratocarcinoma-derived growth factor 1", ("Cripto", "Cripto-1", "CR-1")),
    RT("FAP", "fibroblast activation protein alpha", ("FAPalpha", "FAP\u03b1", "seprase")),
    RT("LAMP1", "lysosomal associated membrane protein 1", ("CD107a",)),
    # --- haematological targets ---
    RT("TNFRSF17", "TNF receptor superfamily member 17", ("BCMA", "CD269")),
    RT("TFRC", "transferrin receptor", ("CD71", "TfR1", "TfR", "transferrin receptor 1")),
    RT("CD19", "CD19 molecule", ("B4", "Leu-12")),
    RT("CD22", "CD22 molecule", ("Siglec-2", "BL-CAM")),
    RT("TNFRSF8", "TNF receptor superfamily member 8", ("CD30", "Ki-1")),
    RT("CD33", "CD33 molecule", ("Siglec-3",)),
    RT("CD79B", "CD79b molecule", ("Ig-beta", "B29")),
    RT("MS4A1", "membrane spanning 4-domains A1", ("CD20",)),
    RT("CD70", "CD70 molecule", ("CD27L", "CD27 ligand", "TNFSF7")),
    RT("IL3RA", "interleukin 3 receptor subunit alpha", ("CD123", "IL-3R alpha")),
    RT("CD38", "CD38 molecule", ("ADP-ribosyl cyclase 1",)),
    RT("CD37", "CD37 molecule", ("TSPAN26", "tetraspanin-26")),
    RT("IL2RA", "interleukin 2 receptor subunit alpha", ("CD25", "IL-2R alpha", "Tac antigen")),
    RT("CD74", "CD74 molecule", ("invariant chain", "Ii")),
    RT("SDC1", "syndecan 1", ("CD138", "syndecan-1")),
    RT("NCAM1", "neural cell adhesion molecule 1", ("CD56", "NCAM")),
    RT("GPRC5D", "G protein-coupled receptor class C group 5 member D", ()),
    RT("FCRL5", "Fc receptor like 5", ("FCRH5", "CD307", "IRTA2")),
    RT("CLEC12A", "C-type lectin domain family 12 member A", ("CLL-1", "MICL", "CD371")),
    RT("CD7", "CD7 molecule", ("GP40", "Leu-9")),
    RT("PTPRC", "protein tyrosine phosphatase receptor type C", ("CD45", "LCA", "leukocyte common antigen")),
    RT("SLAMF7", "SLAM family member 7", ("CS1", "CD319", "CRACC")),
    RT("SLAMF6", "SLAM family member 6", ("CD352", "NTB-A", "Ly108")),
    RT("CD48", "CD48 molecule", ("BLAST-1", "SLAMF2")),
    RT("LY75", "lymphocyte antigen 75", ("CD205", "DEC-205")),
    RT("CCR7", "C-C motif chemokine receptor 7", ("CD197", "EBI1")),
)
