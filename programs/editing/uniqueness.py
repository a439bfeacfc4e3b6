"""Every unique rule of a model, read from its ``_meta`` at run time, checked before a write.

Why it exists: Django's ModelForm and DRF's ModelSerializer check only the unique rules whose fields
they edit. A rule on a field the code fills itself (``Company.slug`` from the name, ``normalized``
from a designation or alias) was left to the database, whose ``IntegrityError`` became a 500. Here
every rule (``unique=True``, ``unique_together``, ``UniqueConstraint`` on fields or expressions,
with or without a condition) is checked on the instance about to be saved, with its derived fields
filled, and a clash is reported beside the input field that feeds the rule, naming the record it
clashes with. Rules added to a model later are picked up without touching this module.

What it must not do: write anything, or guess which input a derived field comes from (forms and
serializers say so in ``derived_fields``). Messages are templates with parameters: no user value is
ever part of a template.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import DEFAULT_DB_ALIAS, models, router
from django.db.models import F, Q, UniqueConstraint, Value
from django.db.models.expressions import BaseExpression
from django.utils.text import get_text_list


@dataclass(frozen=True)
class UniqueRule:
    """One unique rule of ``model``, as a ``UniqueConstraint`` whatever way the model declared it."""

    model: type[models.Model]
    name: str
    constraint: UniqueConstraint
    fields: tuple[str, ...]  # the model fields compared (from ``fields`` or the expressions)
    condition_fields: tuple[str, ...]  # fields the rule's condition reads (``stands`` of "one standing")

    @property
    def all_fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.fields, *self.condition_fields)))

    @property
    def custom_message(self) -> bool:
        """The model author worded the violation (``violation_error_message``): say it as written."""
        c = self.constraint
        return bool(c.violation_error_message) and c.violation_error_message != c.default_violation_error_message


def _expression_fields(expression: Any) -> Iterator[str]:
    """Model field names an expression (``F("asset")``, ``Coalesce(F("indication"), 0)``) reads."""
    if isinstance(expression, F):
        yield str(expression.name).split("__")[0]  # type: ignore[attr-defined]
    elif isinstance(expression, Q):
        yield from _condition_fields(expression)
    elif isinstance(expression, BaseExpression):
        for source in expression.get_source_expressions():
            yield from _expression_fields(source)


def _condition_fields(condition: Q) -> Iterator[str]:
    children: list[Any] = list(condition.children)
    for child in children:
        if isinstance(child, Q):
            yield from _condition_fields(child)
        else:
            lookup, value = child
            yield lookup.split("__")[0]
            yield from _expression_fields(value)


def _field_name(model: type[models.Model], name: str) -> str:
    """``deal_id`` and ``deal`` both name the field ``deal``."""
    try:
        return model._meta.get_field(name).name
    except FieldDoesNotExist:
        return name


def unique_rules(model: type[models.Model]) -> list[UniqueRule]:
    """Every unique rule of ``model`` (and its concrete parents), in declaration order."""
    opts = model._meta
    rules: list[UniqueRule] = []
    for field in opts.concrete_fields:
        if field.unique and not field.primary_key:
            name = f"{opts.label_lower}.{field.name}"
            rules.append(UniqueRule(model, name, UniqueConstraint(fields=[field.name], name=name), (field.name,), ()))
    for together in opts.unique_together:
        name = f"{opts.label_lower}.{'_'.join(together)}"
        rules.append(UniqueRule(model, name, UniqueConstraint(fields=list(together), name=name), tuple(together), ()))
    for parent in [model, *opts.get_parent_list()]:
        for constraint in parent._meta.constraints:
            if not isinstance(constraint, UniqueConstraint):
                continue
            fields = constraint.fields or tuple(
                dict.fromkeys(f for e in constraint.expressions for f in _expression_fields(e))
            )
            condition = tuple(dict.fromkeys(_condition_fields(constraint.condition))) if constraint.condition else ()
            rules.append(UniqueRule(
                model, constraint.name, constraint, tuple(_field_name(model, f) for f in fields),
                tuple(_field_name(model, f) for f in condition),
            ))
    return rules


def _value(instance: models.Model, name: str) -> Any:
    return getattr(instance, instance._meta.get_field(name).attname)  # type: ignore[union-attr]


def _clashing(rule: UniqueRule, instance: models.Model, using: str) -> models.Model | None:
    """The saved record ``instance`` clashes with under ``rule`` (after ``rule`` reported a clash).

    For a rule on expressions the record is looked up by the fields they read: exact for plain field
    references, close enough to name the record otherwise (only the message uses it).
    """
    lookups: dict[str, Any] = {}
    for name in rule.fields:
        value = _value(instance, name)
        lookups[f"{name}__isnull" if value is None else name] = True if value is None else value
    queryset = rule.model._default_manager.using(using).filter(**lookups)
    if rule.constraint.condition is not None:
        queryset = queryset.filter(rule.constraint.condition)
    if not instance._state.adding and instance.pk is not None:
        queryset = queryset.exclude(pk=instance.pk)
    return queryset.order_by("pk").first()


def _label(model: type[models.Model], names: Iterable[str]) -> str:
    labels = [str(model._meta.get_field(n).verbose_name) for n in names]  # type: ignore[union-attr]
    return str(get_text_list(labels, "and"))


def rule_error(rule: UniqueRule, instance: models.Model, using: str, source: str | None = None) -> ValidationError:
    """The message for a clash under ``rule``; ``source`` names the input a derived field comes from."""
    existing = _clashing(rule, instance, using)
    opts = rule.model._meta
    params: dict[str, Any] = {
        "rule": rule.name, "model": str(opts.verbose_name), "fields": _label(rule.model, rule.fields),
        "existing": f"{existing} ({opts.verbose_name} {existing.pk})" if existing is not None else "",
    }
    if rule.custom_message:
        params["message"] = str(rule.constraint.get_violation_error_message())
        template = "%(message)s It is %(existing)s." if existing is not None else "%(message)s"
    elif source is not None and len(rule.fields) == 1:
        params["value"] = _value(instance, rule.fields[0])
        params["source"] = source
        template = ("%(existing)s already has the %(fields)s %(value)r, which this %(source)s gives too: "
                    "make the %(source)s more distinct." if existing is not None else
                    "Another %(model)s already has the %(fields)s %(value)r, which this %(source)s gives too.")
    elif len(rule.fields) == 1:
        template = ("%(existing)s already has this %(fields)s." if existing is not None
                    else "Another %(model)s already has this %(fields)s.")
    else:
        template = ("%(existing)s already has the same %(fields)s." if existing is not None
                    else "Another %(model)s already has the same %(fields)s.")
    return ValidationError(template, code="unique", params=params)


def feeding_inputs(rule: UniqueRule, inputs: Collection[str], derived: Mapping[str, str],
                   parents: Collection[str] = ()) -> list[str]:
    """The input fields (form or serializer) whose values make up ``rule``; the parent link excluded."""
    found = []
    for name in rule.all_fields:
        if name in parents:
            continue
        if name in derived:
            found.append(derived[name])
        elif name in inputs:
            found.append(name)
    return list(dict.fromkeys(found))


def error_key(rule: UniqueRule, inputs: Collection[str], derived: Mapping[str, str],
              parents: Collection[str] = ()) -> str:
    """Where a clash under ``rule`` is shown: beside the one input that feeds it, else on top."""
    feeding = feeding_inputs(rule, inputs, derived, parents)
    return feeding[0] if len(feeding) == 1 else NON_FIELD_ERRORS


def unique_errors(instance: models.Model, *, inputs: Collection[str], derived: Mapping[str, str] | None = None,
                  exclude: Collection[str] = (), parents: Collection[str] = ()) -> dict[str, list[ValidationError]]:
    """Clashes of ``instance`` with saved records under every unique rule of its model.

    ``inputs``: model fields the caller's input sets directly; ``derived``: model field -> the input
    it is computed from; ``exclude``: fields not to check (their input is already in error);
    ``parents``: the link to a parent record of an inline formset (never an input of its own).
    One EXISTS query per rule, plus one to name the record for each clash.
    """
    derived = dict(derived or {})
    using = router.db_for_write(type(instance), instance=instance) or DEFAULT_DB_ALIAS
    errors: dict[str, list[ValidationError]] = {}
    for rule in unique_rules(type(instance)):
        if any(name in exclude for name in rule.all_fields):
            continue
        try:
            rule.constraint.validate(rule.model, instance, exclude=set(exclude), using=using)
        except ValidationError:
            key = error_key(rule, inputs, derived, parents)
            derived_from = [derived[f] for f in rule.fields if f in derived]
            error = rule_error(rule, instance, using, derived_from[0] if derived_from else None)
            errors.setdefault(key, []).append(error)
    return errors


def condition_holds(rule: UniqueRule, instance: models.Model, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether ``instance`` falls under a conditional rule (``stands=True``); True without a condition."""
    condition = rule.constraint.condition
    if condition is None:
        return True
    against = {
        f.name: Value(getattr(instance, f.attname), output_field=f) for f in instance._meta.concrete_fields
    }
    return bool(condition.check(against, using=using))


def row_key(rule: UniqueRule, instance: models.Model, parents: Collection[str] = (),
            using: str = DEFAULT_DB_ALIAS) -> tuple[Any, ...] | None:
    """The values ``rule`` compares for ``instance``, or None when the rule cannot clash (a NULL, a
    condition that does not hold). Used to find two rows of one formset that would clash: they share
    their parent (``parents``), which a new parent does not even have an id for yet."""
    values = tuple(_value(instance, name) for name in rule.fields if name not in parents)
    if rule.constraint.nulls_distinct is not False and any(v is None for v in values):
        return None
    return values if condition_holds(rule, instance, using) else None


def check_constraints(instance: models.Model, exclude: Collection[str] = ()) -> None:
    """Validate the model's other constraints (check constraints) with derived fields included.

    Raises one ``ValidationError`` (non-field) listing each violated constraint's message.
    """
    using = router.db_for_write(type(instance), instance=instance) or DEFAULT_DB_ALIAS
    errors: list[ValidationError] = []
    for model, constraints in instance.get_constraints():
        for constraint in constraints:
            if isinstance(constraint, UniqueConstraint):
                continue  # unique_errors reports these, beside their field
            try:
                constraint.validate(model, instance, exclude=set(exclude), using=using)
            except ValidationError as exc:
                errors.append(exc)
    if errors:
        raise ValidationError({NON_FIELD_ERRORS: errors})
