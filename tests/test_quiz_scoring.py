"""quiz.scoring: from answers to a result, as plain functions. No database here."""

from hypothesis import given, settings
from hypothesis import strategies as st

from advice.kinds import ItemKind
from quiz import flow
from quiz.scoring import (
    Choice,
    ChoiceRule,
    Item,
    Question,
    ReasonRule,
    Rules,
    Thresholds,
    Verdict,
    max_points,
    score,
    visible_questions,
)


def q(id, position, choices, multiple=False, show_if=None):
    return Question(
        id=id,
        position=position,
        text=f"Question {id}",
        multiple=multiple,
        show_if_choice_id=show_if,
        choices=tuple(
            Choice(id=cid, question_id=id, text=f"Choice {cid}", raises_safety_notice=safe)
            for cid, safe in choices
        ),
    )


# A small questionnaire that exercises every rule:
#   Q1 (single): 11 together | 12 he left
#   Q2 (multiple): 21 working late | 22 quiet after closeness | 23 none
#   Q3 (single, only if 12): 31 waiting for him | 32 dating again
#   Q4 (multiple): 41 cancels plans | 42 ex is back | 43 makes me doubt myself (safety)
RULES = Rules(
    questions=(
        q(1, 10, [(11, False), (12, False)]),
        q(2, 20, [(21, False), (22, False), (23, False)], multiple=True),
        q(3, 30, [(31, False), (32, False)], show_if=12),
        q(4, 40, [(41, False), (42, False), (43, True)], multiple=True),
    ),
    items=(
        Item("reason-stressed", ItemKind.REASONS, 1),
        Item("reason-falling", ItemKind.REASONS, 2),
        Item("way-space", ItemKind.WAYS, 3),
        Item("way-listen", ItemKind.WAYS, 4),
        Item("way-date", ItemKind.WAYS, 5),
        Item("sign-ditching", ItemKind.SIGNS, 6),
        Item("sign-ex", ItemKind.SIGNS, 7),
        Item("sign-gaslighting", ItemKind.SIGNS, 8),
    ),
    choice_rules=(
        ChoiceRule(11, "way-space", 1),
        ChoiceRule(12, "way-space", -4),
        ChoiceRule(21, "reason-stressed", 3),
        ChoiceRule(22, "reason-falling", 2),
        ChoiceRule(22, "reason-stressed", -1),
        ChoiceRule(32, "way-date", 3),
        ChoiceRule(41, "sign-ditching", 3),
        ChoiceRule(42, "sign-ex", 3),
        ChoiceRule(43, "sign-gaslighting", 2),
    ),
    reason_rules=(
        ReasonRule("reason-stressed", "way-listen", 2),
        ReasonRule("reason-falling", "way-space", 2),
    ),
    verdicts=(
        Verdict("talk", "Give him space, and keep talking", 0),
        Verdict("yourself", "Look after yourself first", 3),
        Verdict("walk", "It may be time to walk away", 6),
    ),
    thresholds=Thresholds(
        likely_reason_score=2, recommend_way_score=2, max_ways=5, sign_score=2, safety_min_level=3
    ),
)


def slugs(scored_items):
    return [s.slug for s in scored_items]


def test_working_late_makes_stress_the_likely_reason_and_recommends_listening():
    """21 gives reason-stressed 3 points (≥ 2: likely); a likely stress passes 2 to way-listen."""
    result = score(RULES, {1: [11], 2: [21], 4: []})
    assert slugs(result.likely_reasons) == ["reason-stressed"]
    assert result.reasons[0].score == 3
    assert slugs(result.ways) == ["way-listen"]  # way-space has 1 point: below 2
    (cause,) = result.ways[0].causes
    assert cause.reason_slug == "reason-stressed"
    assert result.verdict.slug == "talk"
    assert not result.safety_notice


def test_reasons_are_ranked_by_points_and_strength_is_share_of_the_maximum():
    """22 and 21: falling 2 of 2 possible (100%), stressed 3 - 1 = 2 of 3 possible (67%)."""
    result = score(RULES, {1: [11], 2: [21, 22]})
    assert [(r.slug, r.score, r.strength) for r in result.reasons] == [
        ("reason-stressed", 2, 0.6667),
        ("reason-falling", 2, 1.0),
    ]
    # A tie on points goes to the reason that comes first in the article.
    assert max_points(RULES)["reason-stressed"] == 3


def test_ways_that_do_not_fit_her_situation_are_left_out():
    """Together: way-space 1 + 2 from the likely falling reason = 3. He left: -4 + 2 = -2."""
    together = score(RULES, {1: [11], 2: [22]})
    left = score(RULES, {1: [12], 2: [22], 3: [31]})
    assert "way-space" in slugs(together.ways)
    assert "way-space" not in slugs(left.ways)


def test_a_conditional_question_counts_only_when_shown():
    shown = score(RULES, {1: [12], 3: [32]})
    assert slugs(shown.ways) == ["way-date"]
    hidden = score(RULES, {1: [11], 3: [32]})  # an old answer from before she changed Q1
    assert "way-date" not in slugs(hidden.ways)
    assert [q.id for q in visible_questions(RULES, {1: [11]})] == [1, 2, 4]
    assert [q.id for q in visible_questions(RULES, {1: [12]})] == [1, 2, 3, 4]


def test_signs_set_the_walk_away_level_and_the_verdict():
    """41 and 42 give 3 + 3 = 6 points to signs: the verdict starting at 6."""
    one = score(RULES, {1: [11], 4: [41]})
    assert one.walk_away_level == 3 and one.verdict.slug == "yourself"
    two = score(RULES, {1: [11], 4: [41, 42]})
    assert two.walk_away_level == 6 and two.verdict.slug == "walk"
    assert slugs(two.signs) == ["sign-ditching", "sign-ex"]


def test_a_safety_answer_raises_the_notice_whatever_the_totals():
    result = score(RULES, {1: [11], 2: [21], 4: [43]})
    assert result.safety_notice
    assert result.safety_causes[0].choice_id == 43
    assert result.walk_away_level >= 3
    assert result.verdict.slug != "talk"


def test_every_shown_item_says_which_answers_led_to_it():
    result = score(RULES, {1: [11], 2: [21], 4: [41]})
    (sign,) = result.signs
    assert [(c.question_id, c.choice_id) for c in sign.causes] == [(4, 41)]
    (reason,) = result.reasons
    assert [(c.question_id, c.choice_id) for c in reason.causes] == [(2, 21)]


def test_choices_of_another_question_and_unknown_ids_are_ignored():
    honest = score(RULES, {1: [11]})
    tampered = score(RULES, {1: [11, 41, 999], 77: [21]})
    assert tampered == honest


def test_no_answers_give_an_empty_result_with_the_gentlest_verdict():
    result = score(RULES, {})
    assert (result.reasons, result.ways, result.signs) == ((), (), ())
    assert result.verdict.slug == "talk"


def test_at_most_max_ways_are_recommended():
    rules = Rules(
        questions=(q(1, 1, [(1, False)]),),
        items=tuple(Item(f"way-{n}", ItemKind.WAYS, n) for n in range(8)),
        choice_rules=tuple(ChoiceRule(1, f"way-{n}", 2 + n % 3) for n in range(8)),
        thresholds=Thresholds(max_ways=3),
    )
    ways = score(rules, {1: [1]}).ways
    assert [(w.slug, w.score) for w in ways] == [("way-2", 4), ("way-5", 4), ("way-1", 3)]


def test_progress_counts_only_the_questions_she_is_shown():
    step = flow.step_for(RULES, {1: [11]}, 4)
    assert (step.number, step.total) == (3, 3)
    step = flow.step_for(RULES, {1: [12]}, 4)
    assert (step.number, step.total) == (4, 4)
    assert flow.step_for(RULES, {1: [11]}, 3) is None


def test_she_can_open_answered_questions_and_the_next_one_only():
    answers = {1: [11]}
    assert flow.is_reachable(RULES, answers, 1)
    assert flow.is_reachable(RULES, answers, 2)
    assert not flow.is_reachable(RULES, answers, 4)
    assert flow.first_unanswered(RULES, answers).id == 2


# --- Properties ------------------------------------------------------------------------

QUESTION_IDS = [q.id for q in RULES.questions]


@st.composite
def answer_sets(draw):
    answers = {}
    for question in RULES.questions:
        ids = [c.id for c in question.choices]
        if question.multiple:
            chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
        else:
            chosen = draw(st.lists(st.sampled_from(ids), min_size=0, max_size=1))
        if chosen:
            answers[question.id] = chosen
    return answers


@settings(max_examples=300, deadline=None)
@given(answer_sets(), st.randoms(use_true_random=False))
def test_scoring_is_deterministic_and_independent_of_answer_order(answers, random):
    shuffled_questions = list(answers.items())
    random.shuffle(shuffled_questions)
    reordered = {qid: random.sample(chosen, len(chosen)) for qid, chosen in shuffled_questions}
    assert score(RULES, answers) == score(RULES, answers)
    assert score(RULES, reordered) == score(RULES, answers)


SIGN_CHOICES = [41, 42, 43]


@settings(max_examples=300, deadline=None)
@given(answer_sets(), st.sampled_from(SIGN_CHOICES))
def test_adding_a_warning_sign_answer_never_lowers_the_walk_away_level(answers, sign_choice):
    before = score(RULES, answers)
    more = {**answers, 4: sorted({*answers.get(4, []), sign_choice})}
    after = score(RULES, more)
    assert after.walk_away_level >= before.walk_away_level
    assert after.verdict.min_level >= before.verdict.min_level


@settings(max_examples=200, deadline=None)
@given(answer_sets())
def test_results_only_show_items_with_enough_points(answers):
    result = score(RULES, answers)
    assert all(s.score >= 2 for s in result.ways + result.signs + result.likely_reasons)
    assert all(0 <= s.strength <= 1 for s in result.reasons)
    assert len(result.ways) <= RULES.thresholds.max_ways
