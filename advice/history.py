"""Content rows' history (django-simple-history), where simple-history alone falls short.

First versions: `loaddata` writes rows raw, without history, and rows loaded before a model
was put under history have none either. simple-history's `populate_history --auto` skips a
whole model as soon as any of its rows has a version; `record_first_versions` fills in
exactly the rows that lack one, so an editor's first change can be reverted.

Link tables: simple-history registers the table of each many-to-many field it records (an
article's related articles) beside the models it tracks. Those tables have no history of
their own (their links are kept with each version of the row they belong to), so
`tracked_models` leaves them out.

Names of deleted rows: an old version's foreign keys may point at rows deleted since (a
choice's question), and reading such a key raises DoesNotExist; `related_name` names the
row from its last version instead.

Reasons for a version (simple-history's `history_change_reason`, at most 100 characters):
a short code is stored, never a sentence, and `change_reason` says it in the language of
the editor reading the history. A reason stored as words before (or one this code does not
know) is shown as it was written.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.utils.translation import gettext, gettext_noop
from simple_history.models import registered_models
from simple_history.utils import get_history_manager_for_model

RESTORED = "restored"
LINK_RESTORED = "link-restored"
CHANGE_REASONS = {
    RESTORED: gettext_noop("Restored"),
    LINK_RESTORED: gettext_noop("Link restored"),
}


def change_reason(reason: str | None) -> str:
    """A version's reason in the reader's language (see the module's doc)."""
    if reason in CHANGE_REASONS:
        return gettext(CHANGE_REASONS[reason])
    return reason or ""


def tracked_models() -> list[type[models.Model]]:
    """Every model whose rows have a history (not the link tables of recorded m2m fields)."""
    return [
        model
        for model in registered_models.values()
        if hasattr(model._meta, "simple_history_manager_attribute")
    ]


def rows_without_history(model: type[models.Model]) -> models.QuerySet:
    history = get_history_manager_for_model(model).model
    pk = model._meta.pk.attname
    return model._default_manager.exclude(pk__in=history._default_manager.values(pk))


@transaction.atomic
def record_first_versions() -> dict[str, int]:
    """Record each history-tracked row without a version as it is now; model label → rows."""
    recorded = {}
    for model in tracked_models():
        rows = list(rows_without_history(model))
        if rows:
            get_history_manager_for_model(model).bulk_history_create(rows, batch_size=500)
            recorded[model._meta.label] = len(rows)
    return recorded


def versions_of(model: type[models.Model], pk) -> models.QuerySet:
    """Every recorded version of one row of `model`, deleted or not, the latest first."""
    versions = get_history_manager_for_model(model).filter(**{model._meta.pk.attname: pk})
    return versions.order_by("-history_id")


def related_name(row: models.Model, field: str, attribute: str) -> str:
    """`row.<field>.<attribute>`, also once that related row has been deleted: then as its
    last version has it. For `__str__`: history pages show old versions of rows whose
    parent is gone, and a name that raised would take the page down."""
    try:
        related = getattr(row, field)
    except ObjectDoesNotExist:
        key = row._meta.get_field(field)
        related = versions_of(key.related_model, getattr(row, key.attname)).first()
        if related is None:
            return gettext("(deleted %(row)s)") % {"row": key.related_model._meta.verbose_name}
    return getattr(related, attribute)
