"""What a trainee can do besides replying during role-play: guess the type, switch exam
mode, give up."""

from abc import ABC, abstractmethod
from typing import Any, Literal

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.entities import entity_value
from actions.messages import say
from bot.coaching_codes import as_customer_type
from bot.customer_types import type_named_in
from bot.language import normalize_lang
from bot.payloads import PracticeExamPayload, PracticeGuessPayload
from bot.practice_card import ending_text, practice_text, type_name
from bot.practice_session import PracticeSession, as_session, give_up, guess


class PracticeControl(Action, ABC):
    """A control that only makes sense while a session runs; otherwise it says how to start."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        session = as_session(tracker.get_slot("practice"))
        if session is None or session["status"] not in ("active", "awaiting_guess"):
            lang = normalize_lang(tracker.get_slot("lang"))
            dispatcher.utter_message(text=practice_text("no_session", lang))
            return []
        return self.act(session, dispatcher, tracker)

    @abstractmethod
    def act(
        self, session: PracticeSession, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]]:
        """The control's work on the running session."""


class ActionPracticeGuess(PracticeControl):
    """Only the first guess counts; in exam mode the answer waits for the scorecard."""

    def name(self) -> str:
        return "action_practice_guess"

    def act(
        self, session: PracticeSession, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]]:
        lang = session["lang"]
        guessed = as_customer_type(entity_value(tracker, "customer_type")) or type_named_in(
            tracker.latest_message.get("text") or ""
        )
        if guessed is None:
            dispatcher.utter_message(text=practice_text("guess_unclear", lang))
            return []
        session, result = guess(session, guessed)
        recorded = session["guess"]
        assert recorded is not None  # guess() always leaves one
        values = {"turn": recorded["turn"], "guess": type_name(recorded["type"], lang)}
        if result == "again":
            dispatcher.utter_message(text=practice_text("guess_again", lang, **values))
            return []
        if session["exam"]:
            text = practice_text("guess_recorded", lang, **values)
            shown: Literal["right", "wrong", "recorded"] = "recorded"
        elif result == "right":
            text = practice_text("guess_right", lang, type=values["guess"], turn=values["turn"])
            shown = result
        else:
            text, shown = practice_text("guess_wrong", lang, guess=values["guess"]), result
        say(
            dispatcher,
            PracticeGuessPayload(kind="practice_guess", turn=recorded["turn"], result=shown),
            text,
        )
        if session["status"] != "active":  # the guess the case was waiting for: the form ends
            return [SlotSet("practice", session), SlotSet("practice_reply", "-")]
        return [SlotSet("practice", session)]


class ActionPracticeExamMode(PracticeControl):
    """Exam mode is chosen when a session starts; switching it halfway would let a trainee see
    the coaching of an exam, so the session keeps it."""

    def name(self) -> str:
        return "action_practice_exam_mode"

    def act(
        self, session: PracticeSession, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]]:
        say(
            dispatcher,
            PracticeExamPayload(kind="practice_exam", exam=session["exam"]),
            practice_text("exam_fixed", session["lang"]),
        )
        return []


class ActionPracticeGiveUp(PracticeControl):
    def name(self) -> str:
        return "action_practice_give_up"

    def act(
        self, session: PracticeSession, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]]:
        session = give_up(session)
        dispatcher.utter_message(text=ending_text(session))
        return [SlotSet("practice", session)]
