"""What the editors' admin classes are built on: input that cannot take a page down, and
deleted rows kept within reach.

- `IdLookups` (model admins and inlines with `autocomplete_fields`): a lookup field sent
  something that is no id ("abc", "1.5", a number past the database's integers) shows
  the form again with "Select a valid choice", where Django's widget raised (a 500).
- `EditorsAdmin`: the list pages' search and date links take any text and any number.
- `ContentAdmin` (every model under django-simple-history): history pages answer 404 to
  addresses with no id in them, and list the reviews of the row (advice/review.py); the
  list links to the model's deleted rows, which editors who may add rows restore with
  what was deleted with them (advice/restore.py).
- `short_column`: a list column whose long texts are cut short, so that every list fits
  a 1280-pixel screen (tests/browser/test_admin_fits.py).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model

from .admin_translation import TranslatedAdmin
from .restore import CannotRestore, deletions, plan, restore
from .review import steps_about

DELETED_PER_PAGE = 50
LIST_TEXT_CHARS = 40


def short_column(path: str, description: str, chars: int = LIST_TEXT_CHARS):
    """A change-list column showing the text at `path` ("question.text") cut to `chars`
    characters; the whole text shows when the pointer rests on it."""

    def column(self, row) -> str:
        value = row
        for name in path.split("."):
            value = getattr(value, name) if value is not None else None
        text = "" if value is None else str(value)
        if len(text) <= chars:
            return text
        return format_html('<span title="{}">{}</span>', text, Truncator(text).chars(chars))

    return admin.display(description=description, ordering=path.replace(".", "__"))(column)


def row_named(model, value):
    """The row an id from a form or an address names; None for none (or for no id)."""
    try:
        return model.objects.filter(pk=value).first() if value else None
    except (ValueError, TypeError, ValidationError):
        return None


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


class RestoreForm(forms.Form):
    """Restore one deleted row: its deletion version, by number."""

    deletion = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, model, **kwargs):
        super().__init__(*args, **kwargs)
        self.model = model

    def clean_deletion(self):
        deletion = deletions(self.model).filter(history_id=self.cleaned_data["deletion"]).first()
        if deletion is None:
            raise ValidationError(
                gettext("No deleted %(row)s has this number: it may have been restored already.")
                % {"row": self.model._meta.verbose_name}
            )
        return deletion


class ContentAdmin(TranslatedAdmin, EditorsAdmin, SimpleHistoryAdmin):
    """Admin for content rows whose every change is kept (django-simple-history)."""

    change_list_template = "admin/content_change_list.html"
    object_history_template = "admin/content_history.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_deleted"
        deleted = self.admin_site.admin_view(self.deleted_view)
        return [path("deleted/", deleted, name=name), *super().get_urls()]

    def pk_in_address(self, object_id: str):
        """The primary key an address names; 404 when it names none ("abc")."""
        pk_field = self.opts.pk
        value = unquote(object_id)
        if not is_value_of(pk_field, value):
            raise Http404(
                gettext("No %(row)s has the number “%(pk)s”.")
                % {"row": self.opts.verbose_name, "pk": value}
            )
        return pk_field.to_python(value)

    def history_view(self, request, object_id, extra_context=None):
        pk = self.pk_in_address(object_id)
        deletion = deletions(self.model).filter(**{self.opts.pk.attname: pk}).first()
        # Approvals, send-backs and their comments about this row (advice/review.py).
        reviews = steps_about(self.model, pk)
        return super().history_view(
            request, object_id, {**(extra_context or {}), "deletion": deletion, "reviews": reviews}
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.pk_in_address(object_id)
        if not is_value_of(get_history_model_for_model(self.model)._meta.pk, version_id):
            raise Http404(gettext("No such version."))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def may_restore(self, request, restoration) -> bool:
        """Restoring adds rows (of every model it brings back) and relinks others."""

        def may(action: str, model) -> bool:
            codename = get_permission_codename(action, model._meta)
            return request.user.has_perm(f"{model._meta.app_label}.{codename}")

        return all(may("add", model) for model in restoration.restored_models()) and all(
            may("change", model) for model in restoration.relinked_models()
        )

    def deleted_view(self, request):
        """Deleted rows of this model, the latest first, each with what comes back with it;
        Restore (POST) for editors who may add rows."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = RestoreForm(request.POST or None, model=self.model)
        if request.method == "POST":
            if not self.has_add_permission(request):
                raise PermissionDenied
            if form.is_valid():
                deletion = form.cleaned_data["deletion"]
                try:
                    if not self.may_restore(request, plan(deletion)):
                        raise PermissionDenied
                    restoration = restore(deletion, request.user)
                except CannotRestore as refused:
                    form.add_error(None, refused.message)
                else:
                    return self.restored(request, restoration)
        paginator = Paginator(deletions(self.model), DELETED_PER_PAGE)
        page = paginator.get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Deleted %(rows)s") % {"rows": self.opts.verbose_name_plural},
            "form": form,
            "page": page,
            "rows": [self.deleted_row(request, deletion) for deletion in page],
        }
        return TemplateResponse(
            request,
            "admin/deleted_rows.html",
            context,
            status=400 if form.errors else 200,
        )

    def deleted_row(self, request, deletion) -> dict:
        """One line of the deleted list: the row, and what restoring it would do."""
        row = {"deletion": deletion, "pk": deletion.instance.pk, "name": str(deletion.instance)}
        try:
            restoration = plan(deletion)
        except CannotRestore as refused:
            return {**row, "problem": refused.message}
        return {
            **row,
            "summary": restoration.summary(),
            "notes": restoration.notes,
            "may_restore": self.may_restore(request, restoration),
        }

    def restored(self, request, restoration):
        row = restoration.deletion.instance
        names = {"row": self.opts.verbose_name, "name": row, "rows": restoration.summary()}
        if names["rows"]:
            logged = gettext("Restored with %(rows)s.") % names
            said = gettext(
                "Restored the %(row)s “%(name)s” with %(rows)s, as it was when deleted. "
                "Readers see it from the next published version."
            )
        else:
            logged = gettext("Restored.")
            said = gettext(
                "Restored the %(row)s “%(name)s”, as it was when deleted. Readers see it from "
                "the next published version."
            )
        self.log_addition(request, row, logged)  # admin's Recent actions
        self.message_user(request, said % names, messages.SUCCESS)
        for note in restoration.notes:
            self.message_user(request, note, messages.WARNING)
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", row.pk)
