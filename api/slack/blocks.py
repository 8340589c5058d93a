"""Rasa's messages as Block Kit: the coaching card, a type's card, a reply check, buttons.

Coaching content (type, phrasings, flags) comes from the bot's payloads; the labels come
from the bot's own card texts, so Slack says what the web app and the bot say.
"""

import json
from collections.abc import Sequence
from typing import Any

from api.slack.texts import text
from bot.coaching_card import coaching_card_texts
from bot.coaching_codes import TYPE_CODES
from bot.customer_reading import shown_percent
from bot.customer_types import load_customer_types
from bot.language import Lang, normalize_lang

Block = dict[str, Any]
SECTION_LIMIT = 2900  # Slack allows 3,000 characters per section
MAX_MESSAGE_BLOCKS = 50
CARD_KINDS = ("coaching_card", "type_tips")


def escape(raw: str) -> str:
    """Slack's mrkdwn escaping: user text can't ping a channel or forge a link."""
    return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(mrkdwn: str) -> Block:
    if len(mrkdwn) > SECTION_LIMIT:
        mrkdwn = mrkdwn[: SECTION_LIMIT - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def context_block(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn}]}


def header(plain: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": plain[:150], "emoji": True}}


def type_name(customer_type: str, lang: Lang) -> str:
    return load_customer_types()[customer_type].name[lang]


def card_texts(lang: Lang) -> dict[str, str]:
    return {key: value[lang] for key, value in coaching_card_texts().items()}


def quadrant(axes: dict[str, float], lang: Lang) -> str:
    """A 2×2 picture: rows direct / indirect, columns fact / people; 🔵 marks the customer."""
    texts = card_texts(lang)
    row = 0 if axes.get("directness", 0.0) >= 0 else 1
    column = 1 if axes.get("orientation", 0.0) >= 0 else 0
    grid = [["⚪", "⚪"], ["⚪", "⚪"]]
    grid[row][column] = "🔵"
    columns = text("quadrant_columns", lang, facts=texts["facts"], people=texts["people"])
    return (
        f"{''.join(grid[0])}  {texts['direct']}\n{''.join(grid[1])}  {texts['indirect']}\n{columns}"
    )


def advice_blocks(payload: dict[str, Any], lang: Lang) -> list[Block]:
    """Three phrasings, three things to avoid and the feedback style."""
    texts = card_texts(lang)
    phrasings = [
        item["text"] if isinstance(item, dict) else str(item) for item in payload["phrasings"]
    ][:3]
    avoid = [item["text"] for item in payload["avoid"]][:3]
    feedback = payload["feedback"]
    return [
        section(
            f"*{escape(texts['phrasings'])}*\n" + "\n".join(f"• {escape(p)}" for p in phrasings)
        ),
        section(f"*{escape(texts['avoid'])}*\n" + "\n".join(f"• {escape(a)}" for a in avoid)),
        section(
            escape(texts["feedback"].format(style=texts[feedback["style"]], how=feedback["how"]))
        ),
    ]


def coaching_card_blocks(payload: dict[str, Any]) -> list[Block]:
    lang = normalize_lang(payload.get("lang"))
    texts = card_texts(lang)
    customer_type = payload.get("customer_type")
    blocks = [header(texts["title"])]
    if customer_type not in TYPE_CODES:
        reason = (
            texts["types_close"]
            if payload.get("reason") == "types_close"
            else texts["no_style_yet"]
        )
        ask = texts[f"settle_{payload.get('ask') or 'directness'}"]
        if payload.get("reason") == "types_close":
            ranked = sorted(payload["scores"], key=payload["scores"].__getitem__, reverse=True)
            reason = reason.format(
                first=type_name(ranked[0], lang), second=type_name(ranked[1], lang)
            )
        return [*blocks, section(escape(f"{reason} {ask}"))]
    confidence = shown_percent(float(payload.get("confidence", 0.0)))
    name = f"*{type_name(customer_type, lang)}*"
    verdict = escape(texts["verdict"]).format(type=name, confidence=confidence)
    blocks += [section(verdict), context_block(quadrant(payload["axes"], lang))]
    clues = list(dict.fromkeys(found["text"] for found in payload.get("evidence", [])))[:6]
    if clues:
        separator = "、" if lang == "zh" else ", "
        blocks.append(context_block(escape(texts["evidence"].format(words=separator.join(clues)))))
    return blocks + advice_blocks(payload, lang)


def type_tips_blocks(payload: dict[str, Any]) -> list[Block]:
    lang = normalize_lang(payload.get("lang"))
    customer_type = payload["customer_type"]
    profile = load_customer_types()[customer_type]
    texts = card_texts(lang)
    recognise = "\n".join(f"• {escape(item)}" for item in payload.get("recognise", [])[:2])
    return [
        header(texts["tips_title"].format(type=profile.name[lang])),
        section(escape(profile.summary[lang])),
        context_block(
            quadrant({"directness": profile.directness, "orientation": profile.orientation}, lang)
        ),
        section(f"*{escape(texts['recognise'])}*\n{recognise}"),
        *advice_blocks(payload, lang),
    ]


def highlighted_draft(draft: str, flags: Sequence[dict[str, Any]]) -> str:
    """The draft with every flagged span in bold (problems) or italics (good moves)."""
    marks = sorted(
        (flag for flag in flags if 0 <= flag.get("start", -1) < flag.get("end", -1) <= len(draft)),
        key=lambda flag: flag["start"],
    )
    out, position = [], 0
    for flag in marks:
        if flag["start"] < position:
            continue  # overlapping spans: the first one is shown
        style = "_" if flag.get("severity") == "good" else "*"
        out += [escape(draft[position : flag["start"]])]
        out += [f"{style}{escape(draft[flag['start'] : flag['end']])}{style}"]
        position = flag["end"]
    out.append(escape(draft[position:]))
    return "".join(out)


def review_blocks(payload: dict[str, Any], rasa_text: str, draft: str | None) -> list[Block]:
    lang = normalize_lang(payload.get("lang"))
    blocks: list[Block] = []
    if draft:
        quoted = "\n".join(
            f"> {line}" for line in highlighted_draft(draft, payload["flags"]).split("\n")
        )
        blocks.append(section(f"{escape(text('your_reply', lang))}\n{quoted}"))
    return [*blocks, section(escape(rasa_text))]


def card_actions(value: dict[str, Any], customer_type: str | None, lang: Lang) -> Block:
    """Buttons under a card; `value` says which Rasa conversation the card came from."""
    encoded = json.dumps(value, separators=(",", ":"))
    elements: list[Block] = [
        _button(text("check_reply", lang), "coach_check_reply", encoded, primary=True),
        _button(text("share", lang), "coach_share", encoded),
    ]
    if customer_type in TYPE_CODES:
        elements.append(
            {
                "type": "static_select",
                "action_id": "coach_relabel",
                "placeholder": {"type": "plain_text", "text": text("not_this_type", lang)},
                "options": [
                    {
                        "text": {"type": "plain_text", "text": type_name(code, lang)},
                        "value": json.dumps({**value, "label": code}, separators=(",", ":")),
                    }
                    for code in TYPE_CODES
                    if code != customer_type
                ],
            }
        )
    return {"type": "actions", "block_id": "coach_card_actions", "elements": elements}


def rasa_buttons(buttons: Sequence[dict[str, Any]], where: dict[str, Any]) -> Block:
    """Rasa's buttons; a press sends the button's payload to the same conversation."""
    return {
        "type": "actions",
        "elements": [
            _button(
                str(button.get("title", ""))[:75],
                f"rasa_button_{index}",
                json.dumps({**where, "p": button.get("payload", "")}, separators=(",", ":")),
            )
            for index, button in enumerate(buttons[:25])
        ],
    }


def messages_blocks(
    messages: Sequence[dict[str, Any]],
    where: dict[str, Any],
    *,
    with_card_actions: bool = True,
    draft: str | None = None,
) -> tuple[list[Block], str]:
    """Every message of one Rasa answer, in order; also the plain text for notifications."""
    blocks: list[Block] = []
    plain: list[str] = []
    for message in messages:
        raw = message.get("custom")
        custom: dict[str, Any] = raw if isinstance(raw, dict) else {}
        kind = custom.get("kind")
        if kind in CARD_KINDS:
            lang = normalize_lang(custom.get("lang"))
            blocks += (
                coaching_card_blocks(custom)
                if kind == "coaching_card"
                else type_tips_blocks(custom)
            )
            if with_card_actions and custom.get("customer_type") in TYPE_CODES:
                value = {**where, "t": custom["customer_type"], "l": lang}
                blocks.append(card_actions(value, custom["customer_type"], lang))
        elif kind == "reply_review":
            blocks += review_blocks(custom, str(message.get("text") or ""), draft)
        elif message.get("text"):
            blocks.append(section(escape(str(message["text"]))))
        if message.get("text"):
            plain.append(str(message["text"]))
        if message.get("buttons"):
            blocks.append(rasa_buttons(message["buttons"], where))
    return blocks[:MAX_MESSAGE_BLOCKS], "\n".join(plain)[:3000] or "…"


def help_blocks(lang: Lang) -> list[Block]:
    return [section(text("help", lang))]


def check_modal(
    customer_type: str | None, lang: Lang, metadata: dict[str, Any], limit: int
) -> Block:
    hint = (
        text("modal_hint", lang, type=type_name(customer_type, lang), limit=limit)
        if customer_type in TYPE_CODES
        else text("modal_hint_no_type", lang, limit=limit)
    )
    return {
        "type": "modal",
        "callback_id": "coach_check_reply",
        "private_metadata": json.dumps(metadata, separators=(",", ":")),
        "title": {"type": "plain_text", "text": text("modal_title", lang)[:24]},
        "submit": {"type": "plain_text", "text": text("modal_submit", lang)},
        "close": {"type": "plain_text", "text": text("modal_close", lang)},
        "blocks": [
            {
                "type": "input",
                "block_id": "draft",
                "label": {"type": "plain_text", "text": text("modal_label", lang)},
                "hint": {"type": "plain_text", "text": hint},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "draft",
                    "multiline": True,
                    "min_length": 1,
                    "max_length": limit,
                },
            }
        ],
    }


def result_modal(blocks: list[Block], lang: Lang) -> Block:
    return {
        "type": "modal",
        "callback_id": "coach_check_result",
        "title": {"type": "plain_text", "text": text("modal_title", lang)[:24]},
        "close": {"type": "plain_text", "text": text("modal_close", lang)},
        "blocks": blocks[:100],
    }


def _button(label: str, action_id: str, value: str, primary: bool = False) -> Block:
    button: Block = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label[:75], "emoji": True},
        "value": value[:2000],
    }
    if primary:
        button["style"] = "primary"
    return button
