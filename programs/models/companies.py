"""Companies and the technology platforms they own."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django_countries.fields import CountryField

from programs.models.base import TrackedModel
from programs.text import normalize_name
from programs.vocab import CompanyKind, PlatformKind


class Company(TrackedModel):
    """A biotech, pharma, CDMO, CRO or academic group that originates, licenses or makes ADCs."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=CompanyKind.choices, default=CompanyKind.UNKNOWN)
    country = CountryField(blank=True, help_text="Headquarters country (ISO 3166-1 alpha-2).")
    website = models.URLField(blank=True)
    sources = models.ManyToManyField("programs.Source", blank=True, related_name="companies")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        indexes = [models.Index(fields=["country"], name="company_country_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:company_detail", args=[self.slug])


class CompanyAlias(TrackedModel):
    """Another name of a company ("BMS", "Bristol-Myers Squibb"); ``normalized`` is unique across all."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "company aliases"

    def __str__(self) -> str:
        return self.name

    def before_write(self) -> None:
        # Here, not in save(): forms and serializers call it to check the unique key before saving.
        super().before_write()
        self.normalized = normalize_name(self.name)


class Platform(TrackedModel):
    """A named technology a company owns: RenLite/RenMice, C-Lock, SAFEbody, CP-C2LP, ..."""

    name = models.CharField(max_length=200)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="platforms")
    kind = models.CharField(max_length=30, choices=PlatformKind.choices, default=PlatformKind.OTHER)
    description = models.TextField(blank=True)
    source = models.ForeignKey(
        "programs.Source", on_delete=models.PROTECT, null=True, blank=True, related_name="platforms"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="platform_unique_per_company"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.company})"
