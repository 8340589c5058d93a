"""Load every knowledge file once at start-up, so a broken file stops the process at once
with a message naming the file, the line and the problem."""

from bot.coaching_card import coaching_card_texts
from bot.complaint_steps import complaint_steps
from bot.customer_types import load_customer_types
from bot.evidence import evidence_finder
from bot.help_card import build_help_card
from bot.playbook import load_playbook
from bot.practice_card import practice_texts
from bot.practice_session import practice_knowledge
from bot.reply_analyzer import reply_analyzer
from bot.review_card import review_card_texts
from bot.scenarios import load_library
from bot.ui_texts import check_flag_names, ui_catalogue


def check_knowledge() -> None:
    load_customer_types()
    build_help_card("zh")
    evidence_finder()
    coaching_card_texts()
    load_playbook()
    reply_analyzer()
    review_card_texts()
    load_library()
    practice_knowledge()
    complaint_steps()
    practice_texts()
    ui_catalogue()
    check_flag_names()
