"""First versions for content rows that have none, so an editor's first change can be reverted.

`loaddata` writes rows raw, without history, and rows loaded before a model was put under
history have none either. simple-history's `populate_history --auto` skips a whole model as
soon as any of its rows has a version; this fills in exactly the rows that lack one.
"""

from django.db import models, transaction
from simple_history.models import registered_models
from simple_history.utils import get_history_manager_for_model


def rows_without_history(model: type[models.Model]) -> models.QuerySet:
    history = get_history_manager_for_model(model).model
    pk = model._meta.pk.attname
    return model._default_manager.exclude(pk__in=history._default_manager.values(pk))


@transaction.atomic
def record_first_versions() -> dict[str, int]:
    """Record each history-tracked row without a version as it is now; model label → rows."""
    recorded = {}
    for model in registered_models.values():
        rows = list(rows_without_history(model))
        if rows:
            get_history_manager_for_model(model).bulk_history_create(rows, batch_size=500)
            recorded[model._meta.label] = len(rows)
    return recorded
