"""Tiny builders: each sets only what a test does not care about."""

from itertools import count

from advice.kinds import ItemKind
from advice.models import Article, Item, Section
from quiz.models import Choice, Question, Questionnaire

_numbers = count(1)


def make_article(**fields) -> Article:
    n = next(_numbers)
    fields.setdefault("title", f"Article {n}")
    fields.setdefault("slug", f"article-{n}")
    fields.setdefault("meta_description", "A test article.")
    fields.setdefault("is_published", True)
    return Article.objects.create(**fields)


def make_section(**fields) -> Section:
    n = next(_numbers)
    if "article" not in fields:
        fields["article"] = make_article()
    fields.setdefault("kind", ItemKind.REASONS)
    fields.setdefault("title", f"Section {n}")
    fields.setdefault("slug", f"section-{n}")
    fields.setdefault("position", n)
    fields.setdefault("is_published", True)
    return Section.objects.create(**fields)


def make_item(**fields) -> Item:
    n = next(_numbers)
    if "section" not in fields:
        fields["section"] = make_section()
    fields.setdefault("title", f"Item {n}")
    fields.setdefault("slug", f"item-{n}")
    fields.setdefault("body", f"Body of item {n}.")
    fields.setdefault("position", n)
    fields.setdefault("is_published", True)
    return Item.objects.create(**fields)


def make_questionnaire(**fields) -> Questionnaire:
    """A questionnaire (on a new article unless given one) with `questions` questions of
    two answers each; published, as its article is."""
    n = next(_numbers)
    questions = fields.pop("questions", 1)
    if "article" not in fields:
        fields["article"] = make_article()
    fields.setdefault("title", f"Questionnaire {n}")
    fields.setdefault("slug", f"questionnaire-{n}")
    fields.setdefault("intro", "What it is.")
    fields.setdefault("cannot_know", "What it cannot know.")
    fields.setdefault("safety_text", "Your safety.")
    fields.setdefault("is_published", True)
    questionnaire = Questionnaire.objects.create(**fields)
    for position in range(1, questions + 1):
        make_question(questionnaire=questionnaire, position=position)
    return questionnaire


def make_question(**fields) -> Question:
    n = next(_numbers)
    fields.setdefault("text", f"Question {n}?")
    question = Question.objects.create(**fields)
    for position, text in enumerate(("Yes", "No"), start=1):
        Choice.objects.create(question=question, position=position, text=f"{text} ({n})")
    return question
