"""Optimistic locking for edit forms of shared data: no lost update.

Two people open the same record (one changes the phone number, the other the e-mail address);
whoever saves second must not silently undo the first. The pieces:

- an `edit_version` column on the model (`VERSION_FIELD()`; ConsentText's `version` is its text number), raised by one on every save through a form;
- `VersionedFormMixin` on the edit form: a hidden `version` field with the version the form was
  read at, and the value of each field as read (signed, hidden), so that on a conflict we know
  which fields each person changed;
- `locked_for_update(model, pk, version)` in the service: locks the row and raises
  `StaleVersion` when someone saved in between (the check and the write are one transaction);
- `conflict_form(form, current)` in the view: the form again, refused, with the current version;
  fields only the other person changed show their new value, fields only you changed keep yours,
  and a field you both changed keeps yours with theirs shown beside it. Nothing was written; a
  second save (against the new version) is a deliberate choice.
"""

from __future__ import annotations

from django import forms
from django.core import signing
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

VERSION = "edit_version"
BASE = "edit_base"


def VERSION_FIELD() -> models.PositiveIntegerField:  # noqa: N802 - reads as a field declaration
    return models.PositiveIntegerField(gettext_lazy("bewerkversie"), default=1, editable=False)


class StaleVersion(Exception):
    """Someone saved the record after this form was read; `current` is the row as it is now."""

    def __init__(self, current):
        super().__init__(f"stale version of {current!r}")
        self.current = current


def locked_for_update(queryset_or_model, pk, version: int | None):
    """The row, locked until the transaction ends; StaleVersion when its version moved on.
    A None version (a caller without a form, e.g. a service or a script) skips the check."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("locked_for_update needs a transaction (use @transaction.atomic)")
    manager = getattr(queryset_or_model, "_base_manager", None) or queryset_or_model
    current = manager.select_for_update().get(pk=pk)
    if version is not None and current.edit_version != version:
        raise StaleVersion(current)
    return current


def bump(instance) -> None:
    """Raise the version of an instance about to be saved (add VERSION to update_fields)."""
    instance.edit_version = (instance.edit_version or 0) + 1


class VersionedFormMixin:
    """For a ModelForm (or a Form given `version_instance=`): carries the version it was read at
    (hidden `edit_version`) and the value of each field as read (hidden, signed `edit_base`), so a
    conflict can tell who changed what. `version_fields` limits the fields compared. A template
    that renders fields one by one renders `{{ form.edit_version }}{{ form.edit_base }}` too."""

    version_fields: tuple[str, ...] | None = None

    def __init__(self, *args, version_instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = version_instance if version_instance is not None else getattr(self, "instance", None)
        read_at = getattr(instance, VERSION, None) if instance is not None and instance.pk else None
        base = {
            name: _serial(self.fields[name].prepare_value(self.get_initial_for_field(self.fields[name], name)))
            for name in self.tracked_fields()
        }
        self.fields[VERSION] = forms.IntegerField(widget=forms.HiddenInput, required=False, initial=read_at)
        self.fields[BASE] = forms.CharField(widget=forms.HiddenInput, required=False, initial=signing.dumps(base))

    def tracked_fields(self) -> list[str]:
        names = self.version_fields if self.version_fields is not None else list(self.fields)
        return [n for n in names if n in self.fields and n not in (VERSION, BASE)]

    def full_clean(self):
        super().full_clean()
        # The two hidden fields are bookkeeping, not data: callers pass cleaned_data on as it is.
        cleaned = getattr(self, "cleaned_data", {})
        self._read_version = cleaned.pop(VERSION, None)
        cleaned.pop(BASE, None)

    @property
    def read_version(self) -> int | None:
        """The version the form was read at (after is_valid)."""
        return getattr(self, "_read_version", None)

    # -- on a conflict ----------------------------------------------------------------------

    def _base(self) -> dict:
        try:
            return signing.loads(self.data.get(self.add_prefix(BASE), ""))
        except signing.BadSignature:
            return {}

    def _data_value(self, name):
        bound = self[name]
        return bound.field.widget.value_from_datadict(self.data, self.files, bound.html_name)


def _python(field, value):
    """A value as `Field.has_changed` wants its `initial`: the field's own Python value."""
    try:
        return field.to_python(value)
    except forms.ValidationError:
        return value


def _serial(value):
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return "" if value is None else str(value)


def _display(form, name, value) -> str:
    field = form.fields[name]
    if isinstance(field, forms.ModelChoiceField):
        value = getattr(value, "pk", value)
        return str(field.queryset.filter(pk=value).first() or "—") if value not in (None, "") else "—"
    choices = {str(k): v for k, v in (getattr(field, "choices", None) or [])}
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(str(v), v)) for v in value) or "—"
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    return str(choices.get(str(value), value))


def conflict_form(form, current, **form_kwargs):
    """The form again, bound to a merge of the two edits against the current row, refused.

    `form_kwargs` are what the view passes to the form besides data and instance."""
    form_class = type(form)
    fresh = form_class(instance=current, **form_kwargs) if hasattr(form, "instance") else None
    if fresh is None:
        fresh = form_class(version_instance=current, **form_kwargs)
    data = form.data.copy()
    base = form._base()
    clashes: dict[str, str] = {}
    new_base = {}
    for name in form.tracked_fields():
        field = form.fields[name]
        theirs = fresh[name].value()
        mine = form._data_value(name)
        new_base[name] = _serial(field.prepare_value(fresh[name].initial))
        if name not in base:
            continue  # no value as read (an old form): keep what was typed
        as_read = _python(field, base[name])
        they_changed = field.has_changed(as_read, theirs)
        i_changed = field.has_changed(as_read, mine)
        if they_changed and not i_changed:
            _set(data, form, name, theirs)  # only they changed it: show what is stored now
        elif they_changed and i_changed and field.has_changed(_python(field, theirs), mine):
            clashes[name] = _display(form, name, fresh[name].initial)
    # What is stored now becomes the value as read: a second save compares against it.
    data[form.add_prefix(VERSION)] = str(current.edit_version)
    data[form.add_prefix(BASE)] = signing.dumps(new_base)
    again = form_class(data=data, instance=current, **form_kwargs) if hasattr(form, "instance") else None
    if again is None:
        again = form_class(data=data, version_instance=current, **form_kwargs)
    again.is_valid()
    again.add_error(
        None,
        _(
            "Iemand anders heeft dit intussen opgeslagen. Uw wijzigingen zijn nog niet bewaard. Wat alleen de "
            "ander wijzigde, staat nu in het formulier; wat u wijzigde, staat er nog. Controleer en sla opnieuw op."
        ),
    )
    for name, theirs_shown in clashes.items():
        again.add_error(
            name,
            _("De ander maakte hiervan: “%(theirs)s”. Uw waarde staat in het veld; kies en sla opnieuw op.")
            % {"theirs": theirs_shown},
        )
    again.conflicts = clashes
    return again


def _set(data, form, name, value) -> None:
    key = form[name].html_name
    if isinstance(value, list | tuple):
        data.setlist(key, [str(v) for v in value])
    elif isinstance(form.fields[name].widget, forms.CheckboxInput):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    else:
        data[key] = "" if value is None else str(value)
