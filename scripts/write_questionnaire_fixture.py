"""Write fixtures/questionnaire.json: the questionnaire, its rules and verdicts.

The support lines are site-wide, not the questionnaire's: fixtures/support_resources.json,
each row as the team's list of helplines gives it (with its source and the day checked).

The questions are written from the article, in the reader's own words. Each answer gives
points to the article items it speaks to (by slug, see fixtures/article.json). Run again
after changing this file: `python scripts/write_questionnaire_fixture.py`, then
`python -m scripts.translate_questionnaire_fixture` for the Spanish. Editors' later
changes live in the database, not here.
"""

import json
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "questionnaire.json"

WAYS_TOGETHER = [
    "way-dont-make-it-about-you",
    "way-give-him-space",
    "way-keep-communicating",
    "way-listen-and-learn",
    "way-dont-annoy-him",
    "way-dont-introduce-family-yet",
    "way-is-he-scared-of-commitment",
]
WAYS_AFTER_HE_LEFT = [
    "way-get-on-with-your-life",
    "way-love-your-own-life",
    "way-pretend-its-no-big-deal",
    "way-smile",
    "way-tell-him-youre-busy",
    "way-go-on-a-date",
    "way-be-sure-you-want-him-back",
]
# The article's items 1-7 speak to a reader still with him; 8-14 to one he has left.
NOT_FOR_HER = -4


def penalise(slugs):
    return dict.fromkeys(slugs, NOT_FOR_HER)


# (key, text, help text, multiple?, shown only after "question.choice", choices)
# choice: (key, text, safety-critical?, {item slug: points})
QUESTIONS = [
    (
        "stand",
        "Where do things stand between you two right now?",
        "Pick the one closest to how it feels.",
        False,
        None,
        [
            (
                "together",
                "We’re together, but he feels far away",
                False,
                {
                    **penalise(WAYS_AFTER_HE_LEFT),
                    "way-dont-make-it-about-you": 1,
                    "way-give-him-space": 1,
                    "way-keep-communicating": 1,
                },
            ),
            (
                "unsure",
                "He’s asked for a break, or I’m not sure where we stand",
                False,
                {
                    "way-give-him-space": 2,
                    "way-keep-communicating": 1,
                    "way-be-sure-you-want-him-back": 1,
                },
            ),
            (
                "left",
                "He has ended it",
                False,
                {
                    **penalise(WAYS_TOGETHER),
                    "way-get-on-with-your-life": 2,
                    "way-love-your-own-life": 1,
                    "way-be-sure-you-want-him-back": 1,
                },
            ),
        ],
    ),
    (
        "length",
        "How long have you been seeing each other?",
        "",
        False,
        None,
        [
            (
                "weeks",
                "A few weeks or months",
                False,
                {"reason-moving-too-fast": 1, "way-dont-introduce-family-yet": 1},
            ),
            ("year", "Around a year or two", False, {"reason-unsure-of-next-move": 1}),
            (
                "years",
                "Several years",
                False,
                {"reason-unsure-of-next-move": 1, "reason-not-sure-about-relationship": 1},
            ),
        ],
    ),
    (
        "changed",
        "What has changed lately?",
        "",
        True,
        None,
        [
            ("tired", "He’s working long hours or seems worn out", False, {"reason-stressed": 2}),
            (
                "feelings",
                "He seems to care, but says less about his feelings",
                False,
                {"reason-falling-for-you": 2},
            ),
            (
                "quiet-after-close",
                "He goes quiet right after we’ve been really close",
                False,
                {"reason-falling-for-you": 1, "reason-moving-too-fast": 2},
            ),
            (
                "cancels",
                "He cancels plans, often at the last minute",
                False,
                {"sign-keeps-ditching-you": 3},
            ),
            (
                "weeks-ahead",
                "I only get to see him if I plan it weeks ahead",
                False,
                {"sign-book-him-weeks-ahead": 3},
            ),
            ("none", "None of these", False, {}),
        ],
    ),
    (
        "weighing",
        "Is anything weighing on him that you know of?",
        "",
        False,
        None,
        [
            (
                "pressure",
                "Yes: work, money, health or family",
                False,
                {"reason-stressed": 3},
            ),
            (
                "ex",
                "He’s not long out of a hard relationship",
                False,
                {"reason-not-sure-about-relationship": 2, "reason-moving-too-fast": 1},
            ),
            (
                "wont-say",
                "He won’t tell me, but I can tell something is up",
                False,
                {"reason-stressed": 1, "sign-keeping-things-from-you": 1},
            ),
            ("nothing", "Not that I know of", False, {}),
        ],
    ),
    (
        "future",
        "When the future comes up, how does he react?",
        "",
        False,
        None,
        [
            (
                "vague",
                "He gets vague or changes the subject",
                False,
                {"reason-not-sure-about-relationship": 2},
            ),
            (
                "nervous",
                "He seems nervous, as if something big is on his mind",
                False,
                {"reason-unsure-of-next-move": 3},
            ),
            (
                "too-fast",
                "He says things are moving too fast",
                False,
                {"reason-moving-too-fast": 3},
            ),
            ("easy", "We talk about it easily", False, {"reason-falling-for-you": 1}),
            ("not-yet", "It hasn’t really come up", False, {}),
        ],
    ),
    (
        "family",
        "Have you asked him to meet your family or close friends, or planned to soon?",
        "You said he feels things are moving too fast.",
        False,
        "future.too-fast",
        [
            ("yes", "Yes", False, {"way-dont-introduce-family-yet": 3}),
            ("no", "Not yet", False, {}),
        ],
    ),
    (
        "commitment",
        "How does he feel about commitment, as far as you can tell?",
        "",
        False,
        None,
        [
            (
                "freedom",
                "He has always liked his freedom, or never really settled down",
                False,
                {"reason-not-sure-about-relationship": 1, "way-is-he-scared-of-commitment": 3},
            ),
            (
                "scared",
                "He wants it, but it seems to scare him",
                False,
                {"reason-falling-for-you": 1, "way-is-he-scared-of-commitment": 2},
            ),
            ("ready", "He seems ready for it", False, {}),
            ("dont-know", "I don’t know", False, {}),
        ],
    ),
    (
        "reaction",
        "When he pulls back, what do you usually do?",
        "There’s no wrong answer: most of us do one of these.",
        False,
        None,
        [
            (
                "message-more",
                "Message or call more, to find out what’s wrong",
                False,
                {"way-dont-annoy-him": 3, "way-give-him-space": 1},
            ),
            (
                "blame-myself",
                "Wonder what I did wrong",
                False,
                {"way-dont-make-it-about-you": 3},
            ),
            ("fix", "Try to fix things for him", False, {"way-listen-and-learn": 3}),
            ("go-quiet", "Go quiet too, and wait", False, {"way-keep-communicating": 3}),
            ("carry-on", "Give him room and get on with my day", False, {}),
        ],
    ),
    (
        "deserve",
        "Has he said things like “you deserve better” or “I’m not good enough for you”?",
        "",
        False,
        None,
        [
            ("often", "Yes, more than once", False, {"sign-says-he-doesnt-deserve-you": 3}),
            ("once", "Once, I think", False, {"sign-says-he-doesnt-deserve-you": 1}),
            ("no", "No", False, {}),
        ],
    ),
    (
        "noticed",
        "Have you noticed any of these?",
        "",
        True,
        None,
        [
            ("ex-back", "An ex has come back into the picture", False, {"sign-old-flame": 3}),
            (
                "secrets",
                "He keeps plans, people or places from me",
                False,
                {"sign-keeping-things-from-you": 3},
            ),
            (
                "stories",
                "His story changes when I ask about things",
                False,
                {"sign-story-changes": 3},
            ),
            (
                "fights",
                "We argue a lot and never really make up",
                False,
                {"sign-no-make-up-sex": 3},
            ),
            ("none", "None of these", False, {}),
        ],
    ),
    (
        "safety",
        "Do any of these sound familiar?",
        "These are about how safe you feel. Answer only if you can do so safely.",
        True,
        None,
        [
            (
                "imagining",
                "He tells me I’m imagining things, or that something is wrong with me for worrying",
                True,
                {"sign-gaslighting": 3},
            ),
            (
                "doubt",
                "After we talk, I doubt my own memory or feelings",
                True,
                {"sign-gaslighting": 2},
            ),
            ("afraid", "I feel afraid of how he might react", True, {}),
            (
                "threats",
                "He has threatened me, or threatened to hurt himself if I leave",
                True,
                {},
            ),
            ("none", "None of these", False, {}),
        ],
    ),
    (
        "since",
        "Since he ended it, how are you spending your days?",
        "You said he has ended it.",
        False,
        "stand.left",
        [
            (
                "waiting",
                "Mostly waiting to hear from him",
                False,
                {"way-tell-him-youre-busy": 3, "way-get-on-with-your-life": 2},
            ),
            (
                "crying",
                "Crying a lot, and hiding it from people",
                False,
                {"way-smile": 3, "way-pretend-its-no-big-deal": 2},
            ),
            (
                "busy",
                "Getting back to friends, work and things I love",
                False,
                {"way-love-your-own-life": 1, "way-be-sure-you-want-him-back": 1},
            ),
            ("dating", "Thinking about dating again", False, {"way-go-on-a-date": 3}),
        ],
    ),
    (
        "own-life",
        "Apart from him, how is your own life going?",
        "",
        False,
        None,
        [
            ("full", "Full: work, friends and things I enjoy", False, {}),
            (
                "smaller",
                "It has got smaller since I met him",
                False,
                {"way-love-your-own-life": 3},
            ),
            (
                "last",
                "I’ve been putting myself last",
                False,
                {"way-love-your-own-life": 2, "way-get-on-with-your-life": 1},
            ),
        ],
    ),
    (
        "stay",
        "If things stayed as they are now, would you want to stay with him?",
        "",
        False,
        None,
        [
            ("yes", "Yes, I want to make it work", False, {}),
            (
                "dont-know",
                "I honestly don’t know any more",
                False,
                {"way-be-sure-you-want-him-back": 3},
            ),
            (
                "no",
                "Probably not",
                False,
                {"way-be-sure-you-want-him-back": 2, "way-get-on-with-your-life": 1},
            ),
        ],
    ),
]

# When a reason seems likely, these ways to handle it get points.
REASON_RULES = {
    "reason-falling-for-you": {"way-give-him-space": 2, "way-listen-and-learn": 1},
    "reason-stressed": {
        "way-dont-make-it-about-you": 2,
        "way-listen-and-learn": 2,
        "way-dont-annoy-him": 1,
    },
    "reason-not-sure-about-relationship": {
        "way-keep-communicating": 2,
        "way-is-he-scared-of-commitment": 2,
    },
    "reason-unsure-of-next-move": {"way-keep-communicating": 2, "way-dont-make-it-about-you": 1},
    "reason-moving-too-fast": {"way-give-him-space": 2, "way-dont-introduce-family-yet": 2},
}

VERDICTS = [
    (
        "space-and-talk",
        "Give him space, and keep talking",
        0,
        "Nothing in your answers matches the article’s signs that it is time to walk away. "
        "Whatever is going on for him, the article’s advice fits: give him room, stay in "
        "touch in an easy, relaxed way, and ask him what’s going on when the moment is "
        "right.",
    ),
    (
        "look-after-yourself",
        "Look after yourself first",
        3,
        "Some of what you describe matches the article’s warning signs. That doesn’t have "
        "to mean it’s over, but it does mean your own wellbeing needs attention now: keep "
        "your life full, talk to people you trust, and notice whether things get better or "
        "worse.",
    ),
    (
        "time-to-walk-away",
        "It may be time to walk away",
        7,
        "Several of the article’s warning signs showed up in your answers. The article is "
        "clear that when they pile up, it may be time to walk away, and to take your pride "
        "and your dignity with you. You deserve someone who makes you feel secure, not "
        "second-guessed.",
    ),
]

QUESTIONNAIRE = {
    "title": "Why is he pulling away? A few questions",
    "slug": "why-is-he-pulling-away",
    "article": 1,
    "intro": (
        "These questions walk through the article with you. From your answers, we pick out "
        "the reasons he may be pulling away that most likely apply to you, the ways to "
        "handle it that fit where you are, and any signs that it may be time to walk away, "
        "and we show you which of your answers led to each."
    ),
    "minutes": 5,
    "cannot_know": (
        "A questionnaire only knows what you tell it, and only the parts it asks about. It "
        "can’t know him, your history together, or what he is thinking. Take the results "
        "as a way to think things through, not as an answer. If you feel unsafe, trust that "
        "feeling over anything a website says."
    ),
    "safety_title": "Your safety comes first",
    "safety_text": (
        "Some of your answers suggest that you may feel unsafe, or that he makes you doubt "
        "yourself. Being made to feel like “the crazy one” is what the article calls "
        "gaslighting, and fear in a relationship is never something you have to put up "
        "with. You don’t have to decide anything today, but please talk to someone. These "
        "services are free and confidential:"
    ),
    "likely_reason_score": 2,
    "recommend_way_score": 2,
    "max_ways": 5,
    "sign_score": 2,
    "safety_min_level": 3,
    "is_published": True,
    "updated_at": "2026-11-24T00:00:00Z",
}


def main() -> None:
    records = [{"model": "quiz.questionnaire", "pk": 1, "fields": QUESTIONNAIRE}]
    choice_pks: dict[str, int] = {}
    choice_pk = rule_pk = 0
    for position, (key, text, help_text, multiple, condition, choices) in enumerate(
        QUESTIONS, start=1
    ):
        records.append(
            {
                "model": "quiz.question",
                "pk": position,
                "fields": {
                    "questionnaire": 1,
                    "position": position * 10,
                    "text": text,
                    "help_text": help_text,
                    "kind": "multiple" if multiple else "single",
                    "show_if_choice": choice_pks[condition] if condition else None,
                },
            }
        )
        for choice_position, (choice_key, choice_text, safety, weights) in enumerate(
            choices, start=1
        ):
            choice_pk += 1
            # Later questions' conditions name choices as "question.choice".
            choice_pks[f"{key}.{choice_key}"] = choice_pk
            records.append(
                {
                    "model": "quiz.choice",
                    "pk": choice_pk,
                    "fields": {
                        "question": position,
                        "position": choice_position * 10,
                        "text": choice_text,
                        "raises_safety_notice": safety,
                    },
                }
            )
            for slug, weight in weights.items():
                rule_pk += 1
                records.append(
                    {
                        "model": "quiz.choicerule",
                        "pk": rule_pk,
                        "fields": {"choice": choice_pk, "item": [slug], "weight": weight},
                    }
                )
    reason_rule_pk = 0
    for reason, ways in REASON_RULES.items():
        for way, weight in ways.items():
            reason_rule_pk += 1
            records.append(
                {
                    "model": "quiz.reasonrule",
                    "pk": reason_rule_pk,
                    "fields": {
                        "questionnaire": 1,
                        "reason": [reason],
                        "way": [way],
                        "weight": weight,
                    },
                }
            )
    for pk, (slug, title, level, body) in enumerate(VERDICTS, start=1):
        records.append(
            {
                "model": "quiz.verdict",
                "pk": pk,
                "fields": {
                    "questionnaire": 1,
                    "slug": slug,
                    "title": title,
                    "min_level": level,
                    "body": body,
                },
            }
        )
    FIXTURE.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE.name}: {len(QUESTIONS)} questions, {choice_pk} choices, {rule_pk} rules")


if __name__ == "__main__":
    main()
