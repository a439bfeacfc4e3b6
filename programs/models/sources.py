"""Sources: where every fact comes from."""

from __future__ import annotations

from django.db import models

from programs.models.base import TrackedModel


def source_name(title: str, url: str) -> str:
    """``str(source)`` from its two columns, for pages that read sources with ``.values()``."""
    return title or url


def source_label(publisher: str, title: str, url: str) -> str:
    """What a fact's source link shows: its publisher, else the source's name (``Source.label``)."""
    return publisher or source_name(title, url)


class Source(TrackedModel):
    """A publication a fact cites: a press release, a news story, a registry record, a congress abstract.

    The URL is the natural key (imports upsert by it). Two sources may disagree; each fact keeps its
    own source, and where a figure is disputed the record that stands is marked (``DealTerms.stands``).
    """

    url = models.URLField(max_length=1000, unique=True)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    verified = models.BooleanField(
        default=True, help_text="Off when the URL was not checked against the publication it names: pages "
                                "say so instead of looking authoritative.",
    )

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return source_name(self.title, self.url)

    @property
    def label(self) -> str:
        return source_label(self.publisher, self.title, self.url)

    def fill_title(self, title: str) -> bool:
        """Give an untitled source ``title``; a known title is never overwritten. True when it changed."""
        if title and not self.title:
            self.title = title
            return True
        return False
