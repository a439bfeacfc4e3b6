"""The Jinja2 environment for the hot page fragments (``templates/jinja2/``).

Why a second engine: the asset list and asset page are rendered on every cache miss (after any
edit), and Django's template language spent more time walking 50 rows x 10 cells than the
database spent finding them. Jinja2 compiles a template to Python once, so the same markup renders
several times faster. Everything else stays in Django templates. Render with
``render_to_string(name, context, request=request, using="jinja2")``; the context processors do not
run, so a fragment gets ``perms`` (and anything else) from its view.

``StrictUndefined``: a misspelt name fails the test that renders it instead of printing nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date as django_date
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import localize
from django.utils.text import Truncator
from django.utils.timezone import template_localtime
from jinja2 import Environment, StrictUndefined


def url(name: str, *args: Any) -> str:
    return reverse(name, args=args or None)


def pluralize(count: int, suffix: str = "s") -> str:
    return "" if count == 1 else suffix


def truncatechars(value: Any, length: int) -> str:
    return Truncator(str(value)).chars(length)


def truncatewords(value: Any, length: int) -> str:
    return Truncator(str(value)).words(length, truncate=" …")


def date(value: Any, fmt: str | None = None) -> str:
    """Django's ``date`` filter, with the reader's time zone applied first as Django's templates do."""
    return django_date(template_localtime(value), fmt)


def environment(**options: Any) -> Environment:
    options["undefined"] = StrictUndefined
    env = Environment(**options)
    env.globals.update(url=url, static=static)
    # ``localize``: what ``{{ value }}`` prints in a Django template (dates in the locale's format,
    # decimals without exponent: 1E+1 prints as 10); Jinja2 alone prints ``str(value)``.
    env.filters.update(intcomma=intcomma, pluralize=pluralize, truncatechars=truncatechars,
                       truncatewords=truncatewords, localize=localize, date=date)
    return env
