"""quiz.moved: what moved between two check-ins, as a pure function. No database here."""

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.moved import Direction, Reading, compare
from quiz.scoring import score

from .test_quiz_scoring import RULES, SIGN_CHOICES, answer_sets


@settings(max_examples=300, deadline=None)
@given(answer_sets(), st.randoms(use_true_random=False))
def test_the_same_answers_again_mean_nothing_moved(answers, random):
    """However she orders them, answering as last time moves nothing."""
    reordered = {q: random.sample(c, len(c)) for q, c in reversed(list(answers.items()))}
    what = compare(score(RULES, answers), score(RULES, reordered))
    assert what.nothing_moved
    assert what.reading is Reading.SAME
    assert what.level_direction is Direction.SAME
    assert not (what.signs_appeared or what.signs_gone or what.reasons_grew)


@settings(max_examples=300, deadline=None)
@given(answer_sets(), answer_sets())
def test_a_new_warning_sign_never_reads_as_better(earlier, later):
    what = compare(score(RULES, earlier), score(RULES, later))
    if what.signs_appeared or what.safety_appeared:
        assert what.reading in (Reading.WORSE, Reading.MIXED)


@settings(max_examples=300, deadline=None)
@given(answer_sets(), st.sampled_from(SIGN_CHOICES))
def test_adding_a_warning_sign_answer_never_reads_as_better(answers, sign_choice):
    more = {**answers, 4: sorted({*answers.get(4, []), sign_choice})}
    what = compare(score(RULES, answers), score(RULES, more))
    assert what.reading is not Reading.BETTER
    assert what.level_direction is not Direction.LOWER


@settings(max_examples=300, deadline=None)
@given(answer_sets(), answer_sets())
def test_what_moved_one_way_moves_back_the_other_way(earlier, later):
    """From A to B, then from B to A: appeared and went away swap, so do grew and faded."""
    a, b = score(RULES, earlier), score(RULES, later)
    there, back = compare(a, b), compare(b, a)
    assert set(there.signs_appeared) == set(back.signs_gone)
    assert set(there.signs_gone) == set(back.signs_appeared)
    assert {m.slug for m in there.reasons_grew} == {m.slug for m in back.reasons_faded}
    assert (
        there.level_direction
        == {
            Direction.HIGHER: Direction.LOWER,
            Direction.LOWER: Direction.HIGHER,
            Direction.SAME: Direction.SAME,
        }[back.level_direction]
    )
    assert there.nothing_moved == back.nothing_moved


def test_signs_gone_and_the_verdict_coming_down_read_as_better():
    """Cancelled plans (3 points to a sign: level 3, "look after yourself") then none."""
    before = score(RULES, {1: [11], 2: [23], 4: [41]})
    after = score(RULES, {1: [11], 2: [23], 4: []})
    what = compare(before, after)
    assert what.signs_gone == ("sign-ditching",)
    assert (what.verdict_before, what.verdict_after) == ("yourself", "talk")
    assert what.verdict_direction is Direction.LOWER
    assert what.reading is Reading.BETTER


def test_one_sign_gone_and_another_appeared_reads_as_mixed():
    before = score(RULES, {1: [11], 2: [23], 4: [41]})
    after = score(RULES, {1: [11], 2: [23], 4: [42]})
    what = compare(before, after)
    assert (what.signs_appeared, what.signs_gone) == (("sign-ex",), ("sign-ditching",))
    assert what.level_direction is Direction.SAME
    assert what.reading is Reading.MIXED


def test_a_reason_grows_and_another_fades_with_their_percentages():
    """Working late only: stressed 3 of 3 (100%). Then quiet too: stressed 2 of 3 (67%),
    falling 2 of 2 (100%)."""
    what = compare(score(RULES, {1: [11], 2: [21]}), score(RULES, {1: [11], 2: [21, 22]}))
    assert [(m.slug, m.before_percent, m.after_percent) for m in what.reasons_grew] == [
        ("reason-falling", 0, 100)
    ]
    assert [(m.slug, m.before_percent, m.after_percent) for m in what.reasons_faded] == [
        ("reason-stressed", 100, 67)
    ]
    assert what.reading is Reading.SAME  # reasons alone are neither better nor worse
    assert not what.nothing_moved
