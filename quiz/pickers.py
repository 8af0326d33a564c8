"""Admin's pickers for what a rule or a condition points at: only what it may point at,
labelled so an editor can tell the rows apart.

A scoring rule (and a reason rule) scores items of its questionnaire's own article, so
its picker offers that article's items, as "Article › Section › Item". A condition ("show
only when") is an answer to an earlier question of the same questionnaire, so its picker
offers those, as "Q3 › Yes" (Q3: the third question asked). Where the form cannot know the
questionnaire yet (an add page), everything is offered, and the model's clean() checks it
when saved.

A picker accepts any row of its field, not only those it offers: a row sent from
elsewhere (an old tab, a hand-made request) then gets the model's message, which names it,
rather than a bare "Select a valid choice".
"""

from django import forms
from django.db.models import Q
from django.forms.models import BaseInlineFormSet, ModelChoiceIterator

from advice.admin_base import row_named
from advice.models import Item

from .models import Choice, ChoiceRule, Question, Questionnaire, ReasonRule


class OfferedChoices(ModelChoiceIterator):
    def __init__(self, field):
        super().__init__(field)
        if field.offered is not None:
            self.queryset = field.offered


class Picker(forms.ModelChoiceField):
    iterator = OfferedChoices
    offered = None  # None: the whole queryset

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        if self.offered is not None:
            result.offer(self.offered)
        return result

    def offer(self, rows) -> None:
        self.offered = rows.all()
        self.widget.choices = self.choices


class ItemPicker(Picker):
    def __init__(self, queryset, **kwargs):
        queryset = queryset.select_related("section__article").order_by(
            "section__article__title", "section__article_id", "section__position", "position"
        )
        super().__init__(queryset, **kwargs)

    def offer_article(self, article_id: int, current_id: int | None) -> None:
        """The article's items, and the one chosen now (whatever it is: it stays shown)."""
        self.offer(self.queryset.filter(Q(section__article_id=article_id) | Q(pk=current_id)))

    def label_from_instance(self, item: Item) -> str:
        label = f"{item.section.article.title} › {item.section.title} › {item.title}"
        return label if item.is_published else f"{label} (not published)"


class ConditionPicker(Picker):
    def __init__(self, queryset, **kwargs):
        queryset = queryset.select_related("question__questionnaire").order_by(
            "question__questionnaire_id", "question__position", "question_id", "position"
        )
        super().__init__(queryset, **kwargs)
        self.numbers: dict[int, int] | None = None
        self.one_questionnaire = False

    def offer_earlier(self, question: Question, current_id: int | None) -> None:
        """Answers to the questions asked before `question` (all of its questionnaire's,
        for a question not saved yet), and the one chosen now."""
        earlier = Q(question__questionnaire_id=question.questionnaire_id)
        if question.pk is not None:
            earlier &= Q(question__position__lt=question.position) | Q(
                question__position=question.position, question_id__lt=question.pk
            )
        self.offer(self.queryset.filter(earlier | Q(pk=current_id)))
        self.one_questionnaire = True

    def label_from_instance(self, choice: Choice) -> str:
        if self.numbers is None:
            self.numbers = question_numbers()
        label = f"Q{self.numbers.get(choice.question_id, '?')} › {choice.text}"
        if self.one_questionnaire:
            return label
        return f"{choice.question.questionnaire.title} › {label}"


def question_numbers() -> dict[int, int]:
    """question id → its number in its questionnaire, in the order questions are asked."""
    numbers, count = {}, {}
    rows = Question.objects.order_by("questionnaire_id", "position", "pk")
    for pk, questionnaire_id in rows.values_list("pk", "questionnaire_id"):
        count[questionnaire_id] = numbers[pk] = count.get(questionnaire_id, 0) + 1
    return numbers


class WithParent(BaseInlineFormSet):
    """Every row's form, the "add another" one too, knows the row the formset edits."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "parent": self.instance}


class PickerForm(forms.ModelForm):
    """A form whose pickers (`pickers`) depend on the row above it (`parent_field`)."""

    parent_field = ""
    pickers: tuple[str, ...] = ()

    def __init__(self, *args, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not any(name in self.fields for name in self.pickers):
            return  # a list's editable columns, say
        if parent is None:
            field = self.instance._meta.get_field(self.parent_field)
            parent_id = getattr(self.instance, field.attname) or self.initial.get(field.name)
            parent = row_named(field.related_model, parent_id)
        self.narrow(parent)

    def narrow(self, parent) -> None:
        raise NotImplementedError


def article_of(questionnaire: Questionnaire | None) -> int | None:
    return questionnaire.article_id if questionnaire is not None else None


class ChoiceRuleForm(PickerForm):
    parent_field = "choice"
    pickers = ("item",)

    class Meta:
        model = ChoiceRule
        fields = ["choice", "item", "weight"]
        field_classes = {"item": ItemPicker}

    def narrow(self, choice: Choice | None) -> None:
        questionnaire = None
        if choice is not None and choice.question_id:
            questionnaire = choice.question.questionnaire
        if article_of(questionnaire) and "item" in self.fields:
            self.fields["item"].offer_article(questionnaire.article_id, self.instance.item_id)


class ReasonRuleForm(PickerForm):
    parent_field = "questionnaire"
    pickers = ("reason", "way")

    class Meta:
        model = ReasonRule
        fields = ["questionnaire", "reason", "way", "weight"]
        field_classes = {"reason": ItemPicker, "way": ItemPicker}

    def narrow(self, questionnaire: Questionnaire | None) -> None:
        if not article_of(questionnaire):
            return
        for name in self.pickers:
            if name in self.fields:
                current = getattr(self.instance, f"{name}_id")
                self.fields[name].offer_article(questionnaire.article_id, current)


class QuestionForm(PickerForm):
    parent_field = "questionnaire"
    pickers = ("show_if_choice",)

    class Meta:
        model = Question
        fields = ["questionnaire", "position", "text", "help_text", "kind", "show_if_choice"]
        field_classes = {"show_if_choice": ConditionPicker}

    def narrow(self, questionnaire: Questionnaire | None) -> None:
        if questionnaire is None:
            return
        question = self.instance
        if question.pk is None:
            question = Question(questionnaire=questionnaire)
        self.fields["show_if_choice"].offer_earlier(question, self.instance.show_if_choice_id)
