"""What the editors' admin classes are built on: input that cannot take a page down.

- `IdLookups` (model admins and inlines with `autocomplete_fields`): a lookup field sent
  something that is no id ("abc", "1.5", a number past the database's integers) shows
  the form again with "Select a valid choice", where Django's widget raised (a 500).
- `EditorsAdmin`: the list pages' search and date links take any text and any number.
- `ContentAdmin` (every model under django-simple-history): history pages answer 404 to
  addresses with no id in them.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model


def is_value_of(field, value) -> bool:
    """Whether `value`, as sent, can be stored in `field` (type and the database's range)."""
    try:
        field.clean(value, None)
    except ValidationError:
        return False
    return True


class AutocompleteSelectOfIds(AutocompleteSelect):
    """Django's autocomplete widget, showing as chosen only sent values that can be ids.

    A form sent back with an error shows each field's value again. Django's widget looks
    the value up as it came, and one that is no id raised an exception there (its query
    cannot be built) instead of showing the field's own "Select a valid choice".
    """

    def optgroups(self, name, value, attr=None):
        ids = [v for v in value if is_value_of(self.field.target_field, v)]
        return super().optgroups(name, ids, attr)


class IdLookups:
    """For admin classes (model admins and inlines) with `autocomplete_fields`."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectOfIds(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ListOfAnyInput(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            # A date link's year or day past what a date can hold (?started_at__year=1e30
            # written out): Django turns the ValueError of a day that does not exist into
            # "invalid lookup", but lets this one through.
            raise IncorrectLookupParameters(error) from error


class EditorsAdmin(IdLookups, admin.ModelAdmin):
    def get_changelist(self, request, **kwargs):
        return ListOfAnyInput

    def get_search_results(self, request, queryset, search_term):
        # PostgreSQL refuses a NUL character in a query (Django ticket #30064); no text
        # saved through a form holds one, so leaving it out changes no result.
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))


class ContentAdmin(EditorsAdmin, SimpleHistoryAdmin):
    """Admin for content rows whose every change is kept (django-simple-history)."""

    def pk_in_address(self, object_id: str):
        """The primary key an address names; 404 when it names none ("abc")."""
        pk_field = self.opts.pk
        value = unquote(object_id)
        if not is_value_of(pk_field, value):
            raise Http404(f"No {self.opts.verbose_name} has the number “{value}”.")
        return pk_field.to_python(value)

    def history_view(self, request, object_id, extra_context=None):
        self.pk_in_address(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.pk_in_address(object_id)
        if not is_value_of(get_history_model_for_model(self.model)._meta.pk, version_id):
            raise Http404("No such version.")
        return super().history_form_view(request, object_id, version_id, extra_context)
