"""The review pages: inbox with filters, transcript with comments, tags, "reviewed",
relabelling, exports and the training-data export.

Trainees see their own conversations here (read-only, with the coaches' comments); coaches
see their teams' trainees; admins everyone. A conversation nobody may see answers 404.
"""

import json
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, status
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api.auth.accounts import Principal
from api.db.database import Database
from api.db.models import Conversation
from api.db.relabels import all_relabels, relabels_as_nlu_yaml
from api.deps import DatabaseDep, RasaDep, require_role
from api.form_error import ReviewError
from api.params import PageNumber, RowId, TurnNumber, strict_int
from api.progress import CHART_HEIGHT, CHART_WIDTH, progress_of, team_progress, trainees_visible
from api.rasa_client import RasaClient, RasaUnavailable
from api.review_desk import (
    TRANSCRIPT_PAGE,
    InboxFilter,
    add_comment,
    add_tag,
    all_rows,
    attach_comments,
    attach_relabels,
    export_csv,
    export_records,
    inbox,
    mark_reviewed,
    relabel_line,
    remove_relabel,
    remove_tag,
    tags_of,
    visible_conversation,
)
from api.routes.pages import PagePrincipal
from api.web.i18n import page_lang
from api.web.templating import render
from bot.coaching_codes import TYPE_CODES
from bot.scenarios import load_library
from bot.scorecard import WEIGHTS
from bot.transcript import build_transcript
from bot.ui_texts import mood_names

router = APIRouter(include_in_schema=False)
Coach = Annotated[Principal, Depends(require_role("coach", "admin"))]
Commenter = Annotated[Principal, Depends(require_role("trainee", "coach", "admin"))]
NOT_FOUND = "No conversation of yours has this number."
SAVED_NOTICES = ("relabel", "relabel_removed", "comment")


def inbox_filter(
    trainee: Annotated[str, Query(max_length=64)] = "",
    team: Annotated[str, Query(max_length=64)] = "",
    mode: Annotated[str, Query(pattern="^(coach|practice)?$")] = "",
    scenario: Annotated[str, Query(max_length=64)] = "",
    customer_type: Annotated[str, Query(pattern="^(power|social|harmonious|thinking)?$")] = "",
    date_from: Annotated[str, Query(max_length=10)] = "",
    date_to: Annotated[str, Query(max_length=10)] = "",
    score_min: Annotated[str, Query(max_length=3)] = "",
    score_max: Annotated[str, Query(max_length=3)] = "",
    reviewed: Annotated[str, Query(pattern="^(yes|no)?$")] = "",
    tag: Annotated[str, Query(max_length=32)] = "",
) -> InboxFilter:
    """The filter form sends every field, blank ones included: blank means "any"."""
    return InboxFilter(
        trainee=trainee or None,
        team=team or None,
        mode=mode or None,
        scenario=scenario or None,
        customer_type=customer_type or None,
        date_from=_day(date_from, "date_from"),
        date_to=_day(date_to, "date_to"),
        score_min=_score(score_min, "score_min"),
        score_max=_score(score_max, "score_max"),
        reviewed={"yes": True, "no": False}.get(reviewed),
        tag=tag or None,
    )


def _day(value: str, name: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, f"{name}: a date as YYYY-MM-DD"
        ) from exc


def _score(value: str, name: str) -> int | None:
    if not value:
        return None
    score = strict_int(value, 0, 100)
    if score is None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"{name}: a whole number 0–100")
    return score


Filter = Annotated[InboxFilter, Depends(inbox_filter)]


@router.get("/review")
async def inbox_page(
    request: Request,
    principal: PagePrincipal,
    db: DatabaseDep,
    wanted: Filter,
    page: PageNumber = 1,
) -> Response:
    rows, total = await db.run(lambda s: inbox(s, principal, wanted, page))
    query = request.url.query
    return render(
        request,
        "inbox.html",
        principal=principal,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // 50)),
        wanted=wanted,
        query=_without_page(query),
        scenarios=sorted(load_library().scenarios),
        types=TYPE_CODES,
    )


@router.get("/review/export.csv")
async def export_as_csv(principal: Coach, db: DatabaseDep, wanted: Filter) -> Response:
    rows = await db.run(lambda s: all_rows(s, principal, wanted))
    return PlainTextResponse(
        export_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="conversations.csv"'},
    )


@router.get("/review/export.json")
async def export_as_json(principal: Coach, db: DatabaseDep, wanted: Filter) -> Response:
    rows = await db.run(lambda s: all_rows(s, principal, wanted))
    return Response(
        json.dumps(export_records(rows), ensure_ascii=False, indent=1),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="conversations.json"'},
    )


@router.get("/review/{pk}")
async def transcript_page(
    request: Request,
    pk: RowId,
    principal: PagePrincipal,
    db: DatabaseDep,
    rasa: RasaDep,
    page: PageNumber = 1,
) -> Response:
    conversation = await _visible(db, principal, pk)
    return await _transcript(request, principal, db, rasa, conversation, page)


async def _transcript(
    request: Request,
    principal: Principal,
    db: Database,
    rasa: RasaClient,
    conversation: Conversation,
    page: int,
    form_error: ReviewError | None = None,
    typed: tuple[int, str] | None = None,
) -> Response:
    """The transcript page; after a refused change, with the reason and the typed text."""
    error = None
    try:
        entries = build_transcript(await rasa.events(conversation.rasa_sender, whole_history=True))
    except RasaUnavailable:
        entries, error = [], "unavailable_transcript"
    await db.run(lambda s: attach_comments(s, conversation, principal, entries))
    await db.run(lambda s: attach_relabels(s, conversation, entries))
    pages = max(1, -(-len(entries) // TRANSCRIPT_PAGE))
    shown = entries[(page - 1) * TRANSCRIPT_PAGE : page * TRANSCRIPT_PAGE]
    lang = page_lang(request)
    return render(
        request,
        "transcript.html",
        status_code=422 if form_error else 200,
        principal=principal,
        conversation=conversation,
        trainee=conversation.user.name,
        tags=await db.run(lambda s: tags_of(s, conversation.id)),
        entries=shown,
        attempts=[entry.scorecard for entry in entries if entry.scorecard],
        page=page,
        pages=pages,
        error=error,
        form_error=form_error.text(lang) if form_error else None,
        typed=typed,
        can_edit=principal.role in ("coach", "admin"),
        is_owner=principal.user_id == conversation.user_id,
        types=TYPE_CODES,
        saved=_saved(request),
        moods=mood_names(lang),
        score_weights=WEIGHTS,
    )


@router.post("/review/{pk}/comments")
async def comment(
    request: Request,
    pk: RowId,
    principal: Commenter,
    db: DatabaseDep,
    rasa: RasaDep,
    turn: TurnNumber,
    text: Annotated[str, Form(max_length=2000)],
) -> Response:
    """A coach's comment on a message, or the trainee's answer under one."""
    conversation = await _visible(db, principal, pk)
    work = partial(
        add_comment, conversation=conversation, principal=principal, turn=turn, text=text
    )
    return await _change(request, principal, db, rasa, conversation, work, turn, text, "comment")


@router.post("/review/{pk}/tags")
async def tag(
    request: Request,
    pk: RowId,
    principal: Coach,
    db: DatabaseDep,
    rasa: RasaDep,
    tag: Annotated[str, Form(max_length=64)],
) -> Response:
    conversation = await _visible(db, principal, pk)
    return await _change(
        request,
        principal,
        db,
        rasa,
        conversation,
        lambda s: add_tag(s, conversation, tag),
        None,
        tag,
        None,
    )


@router.post("/review/{pk}/tags/{tag}/remove")
async def untag(pk: RowId, tag: str, principal: Coach, db: DatabaseDep) -> Response:
    conversation = await _visible(db, principal, pk)
    await db.run(lambda s: remove_tag(s, conversation, tag))
    return _back(pk)


@router.post("/review/{pk}/reviewed")
async def reviewed(pk: RowId, principal: Coach, db: DatabaseDep) -> Response:
    conversation = await _visible(db, principal, pk)
    await db.run(lambda s: mark_reviewed(s, conversation.id))
    return _back(pk)


@router.post("/review/{pk}/relabel")
async def relabel(
    request: Request,
    pk: RowId,
    principal: Coach,
    db: DatabaseDep,
    rasa: RasaDep,
    turn: TurnNumber,
    label: Annotated[str, Form(max_length=16)],
) -> Response:
    conversation = await _visible(db, principal, pk)
    entries = build_transcript(await rasa.events(conversation.rasa_sender, whole_history=True))
    if turn >= len(entries):
        refused = ReviewError("no_message")
        return await _transcript(request, principal, db, rasa, conversation, 1, refused)
    work = partial(
        relabel_line,
        conversation=conversation,
        principal=principal,
        entry=entries[turn],
        label=label,
    )
    return await _change(request, principal, db, rasa, conversation, work, turn, None, "relabel")


async def _change(
    request: Request,
    principal: Principal,
    db: Database,
    rasa: RasaClient,
    conversation: Conversation,
    work: Callable[[Session], object],
    turn: int | None,
    typed: str | None,
    saved: str | None,
) -> Response:
    """Save, then back to the transcript with a confirmation; a refusal re-renders the page
    with the reason and what was typed."""
    try:
        await db.run(work)
    except ReviewError as exc:
        page = turn // TRANSCRIPT_PAGE + 1 if turn is not None else 1
        kept = (turn if turn is not None else -1, typed or "")
        return await _transcript(request, principal, db, rasa, conversation, page, exc, kept)
    return _back(conversation.id, turn, saved=saved)


@router.post("/review/{pk}/relabels/{relabel_id}/delete")
async def unrelabel(pk: RowId, relabel_id: RowId, principal: Coach, db: DatabaseDep) -> Response:
    await _visible(db, principal, pk)
    await _remove_relabel(db, principal, relabel_id)
    return _back(pk, saved="relabel_removed")


@router.post("/training-data/{relabel_id}/delete")
async def drop_training_line(relabel_id: RowId, principal: Coach, db: DatabaseDep) -> Response:
    await _remove_relabel(db, principal, relabel_id)
    return RedirectResponse("/training-data?saved=relabel_removed", status_code=303)


async def _remove_relabel(db: Database, principal: Principal, relabel_id: int) -> None:
    try:
        await db.run(lambda s: remove_relabel(s, principal, relabel_id))
    except LookupError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc


@router.get("/progress")
async def progress_page(
    request: Request,
    principal: PagePrincipal,
    db: DatabaseDep,
    trainee: Annotated[str | None, Query(max_length=64)] = None,
    view: Annotated[str, Query(pattern="^(team)?$")] = "",
) -> Response:
    """A trainee sees their own progress; a coach picks one of their teams' trainees, or
    sees them all side by side (`view=team`)."""
    names = await db.run(lambda s: trainees_visible(s, principal))
    team = view == "team" and principal.role != "trainee"
    chosen = principal.name if principal.role == "trainee" else trainee or next(iter(names), "")
    progress = None
    if chosen and not team:
        progress = await db.run(lambda s: progress_of(s, principal, chosen))
    return render(
        request,
        "progress.html",
        principal=principal,
        trainees=names,
        progress=progress,
        team=await db.run(lambda s: team_progress(s, principal)) if team else None,
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
    )


@router.get("/training-data")
async def training_data_page(
    request: Request, principal: PagePrincipal, db: DatabaseDep
) -> Response:
    if principal.role not in ("coach", "admin"):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Not found.")
    yaml_text = await db.run(relabels_as_nlu_yaml)
    relabels = await db.run(all_relabels)
    return render(
        request,
        "training_data.html",
        principal=principal,
        yaml_text=yaml_text,
        relabels=relabels,
        saved=_saved(request),
        types=TYPE_CODES,
    )


@router.get("/training-data.yml")
async def training_data_file(principal: Coach, db: DatabaseDep) -> Response:
    return PlainTextResponse(
        await db.run(relabels_as_nlu_yaml),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="relabelled_customer_lines.yml"'},
    )


async def _visible(db: Database, principal: Principal, pk: int) -> Conversation:
    found: Conversation | None = await db.run(lambda s: visible_conversation(s, principal, pk))
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return found


def _back(pk: int, turn: int | None = None, saved: str | None = None) -> Response:
    """Back to the transcript at the turn changed; `saved` names the confirmation shown."""
    query = f"?saved={saved}" if saved else ""
    anchor = f"#m{turn}" if turn is not None else ""
    return RedirectResponse(f"/review/{pk}{query}{anchor}", status_code=status.HTTP_303_SEE_OTHER)


def _saved(request: Request) -> str | None:
    """The confirmation to show after a change (only the names the routes send)."""
    saved = request.query_params.get("saved")
    return saved if saved in SAVED_NOTICES else None


def _without_page(query: str) -> str:
    return "&".join(part for part in query.split("&") if part and not part.startswith("page="))
