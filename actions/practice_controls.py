"""What a trainee can do besides replying during role-play: guess the type, switch exam
mode, give up."""

from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from bot.customer_types import type_named_in
from bot.language import normalize_lang
from bot.practice_card import ending_text, practice_text, type_name
from bot.practice_options import exam_requested
from bot.practice_session import give_up, guess


def _active_session(tracker: Tracker) -> dict[str, Any] | None:
    session = tracker.get_slot("practice")
    return session if session and session["status"] == "active" else None


class ActionPracticeGuess(Action):
    """Only the first guess counts; in exam mode the answer waits for the scorecard."""

    def name(self) -> str:
        return "action_practice_guess"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        session = _active_session(tracker)
        if session is None:
            lang = normalize_lang(tracker.get_slot("lang"))
            dispatcher.utter_message(text=practice_text("no_session", lang))
            return []
        lang = session["lang"]
        guessed = type_named_in(tracker.latest_message.get("text") or "")
        entity = next(
            (
                entity.get("value")
                for entity in tracker.latest_message.get("entities") or []
                if entity.get("entity") == "customer_type"
            ),
            None,
        )
        guessed = entity or guessed
        if guessed is None:
            dispatcher.utter_message(text=practice_text("guess_unclear", lang))
            return []
        session, result = guess(session, guessed)
        recorded = session["guess"]
        values = {"turn": recorded["turn"], "guess": type_name(recorded["type"], lang)}
        if result == "again":
            dispatcher.utter_message(text=practice_text("guess_again", lang, **values))
            return []
        if session["exam"]:
            text = practice_text("guess_recorded", lang, **values)
        elif result == "right":
            text = practice_text("guess_right", lang, type=values["guess"], turn=values["turn"])
        else:
            text = practice_text("guess_wrong", lang, guess=values["guess"])
        dispatcher.utter_message(
            text=text,
            json_message={"kind": "practice_guess", "turn": recorded["turn"], "result": result}
            if not session["exam"]
            else {"kind": "practice_guess", "turn": recorded["turn"], "result": "recorded"},
        )
        return [SlotSet("practice", session)]


class ActionPracticeExamMode(Action):
    def name(self) -> str:
        return "action_practice_exam_mode"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        session = _active_session(tracker)
        if session is None:
            lang = normalize_lang(tracker.get_slot("lang"))
            dispatcher.utter_message(text=practice_text("no_session", lang))
            return []
        exam = exam_requested(tracker.latest_message.get("text") or "")
        for entity in tracker.latest_message.get("entities") or []:
            if entity.get("entity") == "exam":
                exam = str(entity.get("value")).lower() in ("true", "on", "1")
        exam = not session["exam"] if exam is None else exam
        session = {**session, "exam": exam}
        dispatcher.utter_message(
            text=practice_text("exam_on" if exam else "exam_off", session["lang"]),
            json_message={"kind": "practice_exam", "exam": exam},
        )
        return [SlotSet("practice", session)]


class ActionPracticeGiveUp(Action):
    def name(self) -> str:
        return "action_practice_give_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        session = _active_session(tracker)
        if session is None:
            lang = normalize_lang(tracker.get_slot("lang"))
            dispatcher.utter_message(text=practice_text("no_session", lang))
            return []
        session = give_up(session)
        dispatcher.utter_message(text=ending_text(session))
        return [SlotSet("practice", session)]
