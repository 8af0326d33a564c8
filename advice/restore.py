"""Deleted is not lost: a deleted row comes back from its history, with what went with it.

django-simple-history records a deletion as a version of its own ("-") holding the row's
last values. Deleting a row deletes its children in the same moment (CASCADE: a question's
answers and their rules, an article item's rules), each recording its own deletion, and
clears links to it (SET_NULL: a question shown only after one of those answers) without
recording anything.

`plan(deletion)` works out what restoring one deletion brings back; `restore()` does it:

- the row as its deletion version has it, with the same primary key: published versions,
  readers' sessions and answers name rows by id, so they line up again;
- every child deleted with it (rows of a CASCADE relation whose deletion was recorded
  within CASCADE_WINDOW of the row's), and their children in turn; a child an editor
  deleted on its own before stays deleted;
- the links the deletion cleared, on rows nobody has changed since (their latest version
  still names the restored row).

A restored row must fit what is there now. A row whose parent is gone, or whose place a
newer row has taken (a unique constraint), stays deleted: the row asked for is refused
with the reason (CannotRestore), a child is left out and named. A link to a row that stays
deleted is cleared, if it may be empty. Every row restored or relinked gets a version of
its own, by the editor, with the reason. Readers' data (sessions, answers) has no history
and does not come back.
"""

from collections import Counter, defaultdict
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import OuterRef, Subquery
from django.utils.text import get_text_list
from django.utils.translation import gettext
from simple_history.utils import get_history_model_for_model

from .history import LINK_RESTORED, RESTORED, tracked_models, versions_of

# A deletion and the deletions it cascades to are recorded in one database transaction,
# milliseconds apart. Ten seconds leaves room for a slow one and still tells them apart
# from a child an editor deleted on its own, before deleting its parent.
CASCADE_WINDOW = timedelta(seconds=10)


class CannotRestore(Exception):
    """The row cannot come back as it was; the message says why, in an editor's words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ParentDeleted(CannotRestore):
    """A row it belongs to is deleted too (a choice's question): `field` names the link,
    `parent` the row."""

    def __init__(self, field, parent: str):
        self.field, self.parent = field, parent
        super().__init__(
            gettext("Its %(field)s %(parent)s is deleted: restore that first.") % self.names()
        )

    def names(self) -> dict:
        return {"field": self.field.verbose_name, "parent": self.parent}


def is_tracked(model: type[models.Model]) -> bool:
    return model in tracked_models()


def relations_to(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Every relation pointing at `model`, hidden ones (related_name="+") too."""
    fields = model._meta.get_fields(include_hidden=True)
    return [field for field in fields if isinstance(field, models.ForeignObjectRel)]


def pk_of(version: models.Model):
    """The primary key of the row a version is of."""
    return getattr(version, version.instance_type._meta.pk.attname)


def key(version: models.Model) -> tuple[type[models.Model], object]:
    return version.instance_type, pk_of(version)


def deletions(model: type[models.Model]) -> models.QuerySet:
    """The deletion version of every row of `model` that is deleted now, the latest first."""
    history = get_history_model_for_model(model)
    pk = model._meta.pk.attname
    latest = versions_of(model, OuterRef(pk)).values("history_id")[:1]
    return (
        history._default_manager.filter(history_type="-", history_id=Subquery(latest))
        # A row loaded back by hand (loaddata) is there, whatever its history says.
        .exclude(**{f"{pk}__in": model._default_manager.values(pk)})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def name_of(model: type[models.Model], pk) -> str:
    """A row's name, as it is now or as its last version had it."""
    row = model._default_manager.filter(pk=pk).first()
    if row is None:
        last = versions_of(model, pk).first()
        row = last.instance if last is not None else None
    if row is None:
        return gettext("number %(pk)s") % {"pk": pk}
    return gettext("“%(row)s”") % {"row": row}


def conflict(version: models.Model) -> str:
    """Why the row cannot stand beside today's rows (a unique constraint), or ""."""
    try:
        version.instance.validate_unique()
        version.instance.validate_constraints()
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


class Restoration:
    """What restoring one deletion brings back: `rows` (deletion versions, the one asked
    for first, parents before children), `links` to make again, and `notes` on what does
    not come back as it was."""

    def __init__(self, deletion: models.Model):
        self.deletion = deletion
        self.rows: list[models.Model] = []
        self.links: list[tuple[models.Model, models.ForeignKey, object]] = []
        # What does not come back as it was, in an editor's words.
        self.notes: list[str] = []
        # Links of restored rows to rows that stay deleted: cleared when restoring.
        self.cleared: dict[tuple, list[models.ForeignKey]] = {}
        self.planned: set[tuple] = set()

    def restored_models(self) -> set[type[models.Model]]:
        return {version.instance_type for version in self.rows}

    def relinked_models(self) -> set[type[models.Model]]:
        return {type(row) for row, _field, _pk in self.links}

    def summary(self) -> str:
        """What comes back with the row, e.g. "4 choices and 9 choice rules" ("" if only
        the row)."""
        counts = Counter(version.instance_type for version in self.rows[1:])
        parts = [
            gettext("%(count)s %(rows)s")
            % {
                "count": n,
                "rows": model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural,
            }
            for model, n in counts.items()
        ]
        return get_text_list(parts, gettext("and")) if parts else ""

    def take(self, version: models.Model) -> None:
        """Add `version` to the rows if it can come back as it was; else CannotRestore."""
        cleared = []
        for field in version.instance_type._meta.concrete_fields:
            if not field.many_to_one:
                continue
            target = getattr(version, field.attname)
            if target is None or self.stays(field.related_model, target):
                continue
            parent = name_of(field.related_model, target)
            if not field.null:
                raise ParentDeleted(field, parent)
            note = gettext(
                "“%(row)s” comes back without its link to %(parent)s (%(field)s), which stays "
                "deleted."
            ) % {"row": version.instance, "parent": parent, "field": field.verbose_name}
            cleared.append((field, note))
        problem = conflict(version)
        if problem:
            raise CannotRestore(problem)
        self.rows.append(version)
        self.planned.add(key(version))
        self.cleared[key(version)] = [field for field, _note in cleared]
        self.notes += [note for _field, note in cleared]

    def stays(self, model: type[models.Model], pk) -> bool:
        """Whether the row will be there after restoring: it is, or it comes back."""
        return (model, pk) in self.planned or model._default_manager.filter(pk=pk).exists()

    def take_children(self, version: models.Model) -> None:
        moment = self.deletion.history_date  # one moment for grandchildren too
        window = (moment - CASCADE_WINDOW, moment + CASCADE_WINDOW)
        for relation in relations_to(version.instance_type):
            child = relation.related_model
            cascades = relation.one_to_many and relation.on_delete is models.CASCADE
            if not cascades or not is_tracked(child):
                continue
            deleted_with_it = deletions(child).filter(
                **{relation.field.attname: pk_of(version), "history_date__range": window}
            )
            for child_version in deleted_with_it.order_by("history_id"):
                if key(child_version) in self.planned:
                    continue
                try:
                    self.take(child_version)
                except ParentDeleted as missing:
                    text = gettext(
                        "The %(model)s “%(row)s” stays deleted: its %(field)s %(parent)s is "
                        "deleted."
                    )
                    self.notes.append(text % {**self.child_names(child_version), **missing.names()})
                except CannotRestore as problem:
                    text = gettext("The %(model)s “%(row)s” stays deleted: %(problem)s")
                    names = self.child_names(child_version)
                    self.notes.append(text % {**names, "problem": problem.message})
                else:
                    self.take_children(child_version)

    @staticmethod
    def child_names(version) -> dict:
        return {"model": version.instance_type._meta.verbose_name, "row": version.instance}

    def take_links(self) -> None:
        """Live rows whose link to a restored row the deletion cleared, unchanged since."""
        restored = defaultdict(set)
        for version in self.rows:
            restored[version.instance_type].add(pk_of(version))
        for model, pks in restored.items():
            for relation in relations_to(model):
                other, field = relation.related_model, relation.field
                if relation.on_delete is not models.SET_NULL or not is_tracked(other):
                    continue
                last_link = versions_of(other, OuterRef("pk")).values(field.attname)[:1]
                rows = (
                    other._default_manager.filter(**{f"{field.attname}__isnull": True})
                    .annotate(last_link=Subquery(last_link))
                    .filter(last_link__in=pks)
                )
                self.links += [(row, field, row.last_link) for row in rows]


def plan(deletion: models.Model) -> Restoration:
    """What restoring `deletion` (a "-" version) brings back; CannotRestore if it cannot."""
    restoration = Restoration(deletion)
    try:
        restoration.take(deletion)
    except ParentDeleted as missing:
        raise CannotRestore(missing.message) from None
    restoration.take_children(deletion)
    restoration.take_links()
    return restoration


def restore(deletion: models.Model, user=None) -> Restoration:
    """Bring the deleted row back with what was deleted with it (see the module's doc)."""
    try:
        with transaction.atomic():
            restoration = plan(deletion)
            for version in restoration.rows:
                row = version.instance
                for field in restoration.cleared[key(version)]:
                    setattr(row, field.attname, None)
                note_change(row, user, RESTORED)
                row.save(force_insert=True)
            for row, field, pk in restoration.links:
                setattr(row, field.attname, pk)
                note_change(row, user, LINK_RESTORED)
                row.save(update_fields=[field.name])
    except IntegrityError:
        # Another editor restored it (or added a row in its place) a moment ago.
        raise CannotRestore(
            gettext("It changed while restoring: reload the page and look again.")
        ) from None
    return restoration


def note_change(row: models.Model, user, reason: str) -> None:
    """Who and why (a code of `history.CHANGE_REASONS`), for the version simple-history
    records when `row` is saved."""
    if user is not None:  # else simple-history's middleware names the request's user
        row._history_user = user
    row._change_reason = reason
