"""The Slack app: `/coach`, the card's buttons, the reply-check modal, DMs and mentions.

Every listener acknowledges first (Slack's 3-second rule), then asks Rasa and answers
through `response_url`, the modal, or the Web API. Rasa being down or slow always gives
the agent a clear message.
"""

import json
import re
import uuid
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from api.admission import Admission, QueueFull
from api.db.database import Database
from api.db.models import Relabel
from api.db.relabels import record_relabels
from api.db.slack_events import first_delivery
from api.rasa_client import RasaClient, RasaUnavailable
from api.settings import Settings
from api.slack.blocks import (
    CARD_KINDS,
    check_modal,
    coaching_card_blocks,
    context_block,
    escape,
    help_blocks,
    messages_blocks,
    result_modal,
    section,
    type_name,
    type_tips_blocks,
)
from api.slack.commands import draft_check_payload, parse_command, rasa_message, unescape_slack
from api.slack.texts import text
from api.turns import admitted_send
from bot.coaching_codes import TYPE_CODES
from bot.conversation import current_customer, customer_lines
from bot.language import DEFAULT_LANG, Lang, detect_language, normalize_lang
from bot.limits import MAX_MESSAGE_CHARS
from bot.user_messages import refusal

MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def build_slack_app(settings: Settings) -> AsyncApp:
    """Bolt verifies every request's signature and refuses stale timestamps (> 5 min)."""
    assert settings.slack_bot_token is not None and settings.slack_signing_secret is not None
    client = AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(), base_url=str(settings.slack_api_url)
    )
    app = AsyncApp(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        process_before_response=False,
    )
    app.middleware(_skip_retried_events)
    app.command("/coach")(_coach_command)
    app.action("coach_check_reply")(_open_check_modal)
    app.action("coach_share")(_share_card)
    app.action("coach_relabel")(_relabel)
    app.action(re.compile(r"^rasa_button_\d+$"))(_press_rasa_button)
    app.view("coach_check_reply")(_check_submitted)
    app.event("message")(_direct_message)
    app.event("app_mention")(_mention)
    return app


# Why a message got no answer: Rasa or its coach did not handle it, or the line was full.
NOT_ANSWERED = (RasaUnavailable, QueueFull)


def _rasa(context: AsyncBoltContext) -> RasaClient:
    rasa: RasaClient = context["rasa"]
    return rasa


async def _send(
    context: AsyncBoltContext, sender: str, message: str, deadline: float | None = None
) -> list[dict[str, Any]]:
    """Through the same line as the web chat's turns (api/admission.py)."""
    admission: Admission = context["admission"]
    return await admitted_send(
        _rasa(context), admission, sender, message, uuid.uuid4().hex, deadline, deadline
    )


def _db(context: AsyncBoltContext) -> Database:
    db: Database = context["db"]
    return db


def _deadline(context: AsyncBoltContext) -> float:
    settings: Settings = context["settings"]
    return settings.slack_rasa_timeout_seconds


async def _skip_retried_events(
    body: dict[str, Any], context: AsyncBoltContext, next: Any
) -> BoltResponse | None:
    """Slack re-sends an event it thinks was missed (`X-Slack-Retry-Num`); answer it once."""
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if event_id and not await _db(context).run(lambda s: first_delivery(s, str(event_id))):
        return BoltResponse(status=200, body="")
    await next()
    return None


async def _coach_command(
    ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
) -> None:
    await ack()
    parsed = parse_command(command.get("text") or "")
    if parsed.kind == "help":
        await respond(blocks=help_blocks(parsed.lang), text=text("help", parsed.lang))
        return
    if parsed.kind in ("too_long", "empty_draft"):
        await respond(text=text(parsed.kind, parsed.lang, limit=MAX_MESSAGE_CHARS))
        return
    if refusal(rasa_message(parsed)) is not None:
        await respond(text=text("refused", parsed.lang))
        return
    conversation = f"slack-cmd-{uuid.uuid4().hex}"
    try:
        messages = await _send(context, conversation, rasa_message(parsed), _deadline(context))
    except NOT_ANSWERED:
        await respond(text=text("unavailable", parsed.lang))
        return
    draft = parsed.text if parsed.kind == "check" else None
    blocks, plain = messages_blocks(messages, {"c": conversation}, draft=draft)
    await respond(blocks=blocks, text=plain)


async def _open_check_modal(
    ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
) -> None:
    await ack()
    card = json.loads(action["value"])
    lang = normalize_lang(card.get("l"))
    metadata = {"t": card.get("t"), "l": lang}
    modal = check_modal(card.get("t"), lang, metadata, MAX_MESSAGE_CHARS)
    await client.views_open(trigger_id=body["trigger_id"], view=modal)


async def _check_submitted(ack: AsyncAck, view: dict[str, Any], context: AsyncBoltContext) -> None:
    """The analysis replaces the modal's form; a failure is shown under the input."""
    metadata = json.loads(view.get("private_metadata") or "{}")
    draft = str(view["state"]["values"]["draft"]["draft"].get("value") or "").strip()
    lang = detect_language(draft) or normalize_lang(metadata.get("l"))
    customer_type = metadata.get("t") if metadata.get("t") in TYPE_CODES else None
    try:
        messages = await _send(
            context,
            f"slack-cmd-{uuid.uuid4().hex}",
            draft_check_payload(draft, customer_type, lang),
            _deadline(context),
        )
    except NOT_ANSWERED:
        await ack(response_action="errors", errors={"draft": text("unavailable", lang)})
        return
    blocks, _ = messages_blocks(messages, {}, with_card_actions=False, draft=draft)
    await ack(response_action="update", view=result_modal(blocks, lang))


async def _share_card(
    ack: AsyncAck,
    action: dict[str, Any],
    body: dict[str, Any],
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    """Posts the card, without its buttons, as a new message everyone in the channel sees."""
    await ack()
    card = json.loads(action["value"])
    lang = normalize_lang(card.get("l"))
    events = await _card_events(context, respond, card["c"], lang)
    if events is None:
        return
    payload = _latest_card(events)
    if payload is None:
        await respond(text=text("card_expired", lang), replace_original=False)
        return
    blocks = (
        coaching_card_blocks(payload)
        if payload["kind"] == "coaching_card"
        else type_tips_blocks(payload)
    )
    blocks.append(context_block(text("shared_by", lang, user=body["user"]["id"])))
    await respond(
        blocks=blocks, text=text("share", lang), response_type="in_channel", replace_original=False
    )


async def _relabel(
    ack: AsyncAck,
    action: dict[str, Any],
    body: dict[str, Any],
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    """ "Not this type": the customer's words with the right type, for the training data."""
    await ack()
    choice = json.loads(action["selected_option"]["value"])
    lang = normalize_lang(choice.get("l"))
    events = await _card_events(context, respond, choice["c"], lang)
    if events is None:
        return
    lines = [line.text for line in current_customer(customer_lines(events))]
    if not lines or choice.get("label") not in TYPE_CODES:
        await respond(text=text("nothing_to_relabel", lang), replace_original=False)
        return
    author = f"{body.get('team', {}).get('id', '')}:{body['user']['id']}"
    relabels = [
        Relabel(
            source="slack",
            author=author,
            text=line,
            lang=detect_language(line) or lang,
            model_type=str(choice.get("t")),
            label=choice["label"],
            conversation_id=choice["c"],
        )
        for line in lines
    ]
    await _db(context).run(lambda session: record_relabels(session, relabels))
    saved = text("relabel_saved", lang, type=type_name(choice["label"], lang))
    await respond(text=saved, replace_original=False)


async def _press_rasa_button(
    ack: AsyncAck,
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """A button the bot offered: its payload goes to the conversation it came from."""
    await ack()
    where = json.loads(action["value"])
    payload = str(where.pop("p", ""))
    await _converse(context, client, respond, where, payload, DEFAULT_LANG)


async def _direct_message(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """One Rasa conversation per Slack user in DMs; a thread's messages answer in it."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    where = {
        "c": f"slack-dm-{context.team_id or ''}-{event['user']}",
        "ch": event["channel"],
        "th": event.get("thread_ts"),
    }
    await _converse(context, client, None, where, unescape_slack(event.get("text") or ""), None)


async def _mention(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """One Rasa conversation per thread; a mention outside a thread starts one."""
    if event.get("bot_id"):
        return
    thread = event.get("thread_ts") or event["ts"]
    where = {
        "c": f"slack-thread-{context.team_id or ''}-{event['channel']}-{thread}",
        "ch": event["channel"],
        "th": thread,
    }
    words = MENTION.sub("", unescape_slack(event.get("text") or "")).strip()
    await _converse(context, client, None, where, words, None)


async def _converse(
    context: AsyncBoltContext,
    client: AsyncWebClient,
    respond: AsyncRespond | None,
    where: dict[str, Any],
    message: str,
    lang: Lang | None,
) -> None:
    """Send one message to the conversation in `where`; post the answer back there."""
    lang = lang or detect_language(message) or DEFAULT_LANG
    if not message:
        return
    if len(message) > MAX_MESSAGE_CHARS:
        blocks, plain = [section(escape(text("too_long", lang, limit=MAX_MESSAGE_CHARS)))], ""
    elif refusal(message) is not None:
        blocks, plain = [section(escape(text("refused", lang)))], text("refused", lang)
    else:
        try:
            messages = await _send(context, where["c"], message)
            blocks, plain = messages_blocks(messages, where)
        except NOT_ANSWERED:
            blocks, plain = [section(escape(text("unavailable", lang)))], text("unavailable", lang)
    if not blocks:
        return
    if where.get("ch"):
        await client.chat_postMessage(
            channel=where["ch"], thread_ts=where.get("th"), blocks=blocks, text=plain or "…"
        )
    elif respond is not None:
        await respond(blocks=blocks, text=plain or "…", replace_original=False)


async def _card_events(
    context: AsyncBoltContext, respond: AsyncRespond, conversation: str, lang: Lang
) -> list[dict[str, Any]] | None:
    """The events of the conversation a card came from; None (the agent told why) if Rasa
    can't be reached."""
    try:
        return await _rasa(context).events(conversation)
    except RasaUnavailable:
        await respond(text=text("unavailable", lang), replace_original=False)
        return None


def _latest_card(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The newest coaching or type card the bot sent in a conversation."""
    for event in reversed(events):
        custom = (event.get("data") or {}).get("custom") if event.get("event") == "bot" else None
        if isinstance(custom, dict) and custom.get("kind") in CARD_KINDS:
            return custom
    return None
