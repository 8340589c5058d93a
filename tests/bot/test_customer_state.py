"""The simulated customer follows what the trainee says: needs met by the reply's signals and
content, commitments remembered, mood moving by degrees, settling only when it should, lines
that answer the reply, and replays that repeat line for line."""

import pytest

from bot.coaching_codes import CustomerType
from bot.customer_needs import customer_needs
from bot.practice_session import (
    MAX_HEAT,
    PracticeSession,
    give_up,
    guess,
    mood_of,
    new_session,
    settings_with_defaults,
    take_turn,
)
from bot.reply_content import reply_content
from bot.scenarios import load_library


def start(
    customer_type: CustomerType = "power",
    lang: str = "zh",
    scenario: str = "analyzer_down",
    difficulty: str = "normal",
    hidden: bool = False,
) -> PracticeSession:
    settings = settings_with_defaults(
        seed=3,
        lang=lang,
        scenario=scenario,
        customer_type=customer_type,
        difficulty=difficulty,  # type: ignore[arg-type]
    )
    session = new_session(settings)
    return {**session, "type_hidden": hidden}


def play(session: PracticeSession, *replies: str) -> PracticeSession:
    for reply in replies:
        session = take_turn(session, reply, session["lang"])
    return session


def test_needs_are_met_by_signals_the_reply_shows() -> None:
    owner = next(n for n in customer_needs()["power"] if n.code == "owner")
    assert owner.met_by({"content:person"})
    assert owner.met_by({"good:ownership"})
    assert not owner.met_by({"content:own_time"})
    exact = next(n for n in customer_needs()["power"] if n.code == "exact_time")
    promised = {"content:own_time", "good:concrete_commitment"}
    assert exact.met_by(promised)
    assert not exact.met_by({"content:own_time"})  # a time mentioned is not yet a promise
    assert not exact.met_by(promised | {"avoid:vague_time"})


def test_reply_content_finds_the_trainees_own_offer() -> None:
    scenario = load_library().scenarios["analyzer_down"]
    content = reply_content(
        "工程师李工今天晚上八点到，明早八点前恢复，您看可以吗？",
        "明天早上八点要出结果",
        scenario,
        "zh",
    )
    assert content.people == ["工程师李工"]
    assert content.remedy and content.question
    assert "今天晚上八点" in "".join(content.own_times)
    echoed = reply_content("明天早上八点对吧", "明天早上八点要出结果", scenario, "zh")
    assert echoed.own_times == []  # the customer's own time is not the trainee's promise


@pytest.mark.parametrize(
    ("reply", "said", "lang", "own"),
    [
        # a time the customer named, repeated back or refused, is not the trainee's promise
        ("下午两点的会？那个我们没法保证，您看能不能改个时间。", "今天下午两点我有个会", "zh", []),
        ("两点之前我们保证不了。", "", "zh", []),
        ("I can't promise 2 pm, sorry.", "", "en", []),
        # … but committing to it is
        ("下午两点前一定修好。", "今天下午两点我有个会", "zh", ["下午两点前"]),
        ("We'll have it fixed by 2 pm.", "my meeting is at 2 pm", "en", ["by 2 pm"]),
        # what happened is not an offer
        ("昨天下午三点师傅上门，没修好就走了。", "", "zh", []),
        ("He came at 3 pm yesterday and left.", "", "en", []),
        ("我已经约好师傅明天上午十点上门。", "", "zh", ["明天上午十点"]),
        # a window of durations is not an exact time; a slot is
        ("上门维修一般是24到48小时内。", "", "zh", []),
        ("明天下午2点到4点之间师傅到。", "", "zh", ["明天下午2点到4点"]),
        # a norm or a guess is not a promise
        ("上门时间一般是报修后24小时内，按工单顺序派。", "", "zh", []),
        ("Engineers are usually there within 24 hours.", "", "en", []),
        ("师傅大概下午三点左右到，您看方便吗？", "", "zh", ["下午三点左右"]),
    ],
)
def test_own_times_are_the_trainees_commitments_only(
    reply: str, said: str, lang: str, own: list[str]
) -> None:
    assert reply_content(reply, said, None, lang).own_times == own  # type: ignore[arg-type]


def test_a_time_the_customer_echoes_stays_the_trainees() -> None:
    session = play(start(), "工程师李工今晚八点前到场，明早八点前恢复运行，我负责到底。")
    assert any(c["time"] == "今晚八点前" for c in session["commitments"])
    again = play(session, "今晚八点前到场没问题，到了我给您打电话。")
    assert "今晚八点前" in [c["time"] for c in again["commitments"] if c["turn"] == 2]


def test_a_question_alone_does_not_give_a_power_customer_a_say() -> None:
    options = next(n for n in customer_needs()["power"] if n.code == "options")
    identity_check = reply_content("请问您是机主本人吗？", "", None, "zh").signals()
    assert not options.met_by(identity_check)
    scenario = load_library().scenarios["analyzer_down"]
    proposal = reply_content("工程师今晚八点前到场，您看可以吗？", "", scenario, "zh").signals()
    assert options.met_by(proposal)
    fallback = reply_content(
        "If the repair needs a part we don't hold, I'll order it.", "", None, "en"
    )
    assert options.met_by(fallback.signals())


def test_a_good_reply_meets_needs_and_the_customer_takes_up_the_offer() -> None:
    session = play(start(), "这件事我负责到底：工程师今晚八点前到场，明早八点前恢复运行。")
    turn = session["turns"][-1]
    assert {"owner", "exact_time", "remedy"} <= set(session["needs"])
    assert turn["heat_after"] < turn["heat_before"]
    assert "ack_offer" in turn["moves"]
    assert "今晚八点前" in session["customer_lines"][-1]["text"]
    assert session["commitments"][0]["time"] in "今晚八点前"


def test_one_slip_costs_a_little_after_good_handling() -> None:
    good = play(start(), "这件事我负责到底：工程师今晚八点前到场，明早八点前恢复运行。")
    slipped = play(good, "我们尽快处理。")
    assert slipped["heat"] > good["heat"]
    assert slipped["heat"] - good["heat"] <= 3  # by degrees, not back to the start
    assert mood_of(slipped["heat"]) <= mood_of(good["heat"]) + 1


def test_a_vague_time_after_a_promise_is_called_back() -> None:
    session = play(
        start(),
        "工程师今晚八点前到场，我亲自盯着。",
        "我们会尽快的。",
    )
    moves = session["turns"][-1]["moves"]
    line = session["customer_lines"][-1]["text"]
    assert moves[0] == "changed_commitment"
    assert "尽快" in line and session["commitments"][0]["time"] in line


def test_a_question_gets_an_answer_from_the_case() -> None:
    session = play(start("thinking", "en"), "Could you tell me the exact error code on the screen?")
    line = session["customer_lines"][-1]["text"]
    assert "answer" in session["turns"][-1]["moves"]
    assert "E-203" in line


def test_repeated_poor_handling_sends_the_customer_away() -> None:
    session = start()
    for _ in range(8):
        if session["status"] != "active":
            break
        session = take_turn(session, "这是公司规定，您别激动，我也没办法，您去找别的部门吧。", "zh")
    assert session["status"] == "customer_left"
    assert session["heat"] == MAX_HEAT
    assert session["customer_lines"][-1]["moves"] == ["closing_dissatisfied"]


def test_warm_words_alone_never_settle_a_case() -> None:
    session = play(
        start("social", "zh", "hotel_room"),
        "真的太抱歉了，我特别理解您的心情。",
        "您别担心，我们一定会重视的，谢谢您的理解。",
    )
    assert session["status"] == "active"
    assert "remedy" not in session["needs"]


def test_a_hidden_type_waits_for_the_guess_before_the_scorecard() -> None:
    session = start(hidden=True)
    met = {n.code: {"turn": 1, "said": "x"} for n in customer_needs()["power"]}
    session = {**session, "heat": 2, "turn": 1, "needs": met}  # type: ignore[typeddict-item]
    session = play(
        session, "这件事我负责：工程师今晚八点前到场，明早八点前恢复运行，您选上门还是备用机？"
    )
    assert session["status"] == "awaiting_guess" and session["outcome"] == "resolved"
    guessed, result = guess(session, "power")
    assert result == "right" and guessed["status"] == "resolved"
    assert give_up(session)["status"] == "resolved"  # skipping the guess keeps the outcome


def test_the_first_guess_is_final() -> None:
    session, first = guess(start(hidden=True), "social")
    again, second = guess(session, "power")
    assert (first, second) == ("wrong", "again")
    assert again["guess"] == session["guess"]


def test_a_replay_is_identical_and_another_seed_reads_differently() -> None:
    replies = ("工程师今晚八点前到场。", "我亲自负责，明早八点前恢复。")
    first, second = play(start(), *replies), play(start(), *replies)
    assert first["customer_lines"] == second["customer_lines"]
    other = {**start(), "seed": 99}
    other_lines = [line["text"] for line in play(other, *replies)["customer_lines"]]
    assert other_lines != [line["text"] for line in first["customer_lines"]]


def test_a_remedy_done_on_the_call_meets_the_remedy_without_a_time() -> None:
    scenario = load_library().scenarios["card_blocked"]
    done = reply_content("I've lifted the block on your card just now.", "", scenario, "en")
    assert done.remedy_done and not done.own_times
    hedged = reply_content("I may have lifted the block, not sure yet.", "", scenario, "en")
    assert not hedged.remedy_done
    session = play(start("harmonious", "en", "card_blocked"), "I've lifted the block on your card.")
    assert "remedy" in session["needs"]


def test_a_remedy_proposed_earlier_is_completed_by_a_time_now() -> None:
    session = play(
        start("harmonious", "zh", "broadband_outage"),
        "我们可以安排维修师傅上门检修光缆，您看可以吗？",
    )
    assert "remedy" not in session["needs"]  # proposed, no time yet
    session = play(session, "那我给您约在明天上午十点，师傅到了先给您打电话。")
    assert "remedy" in session["needs"]


@pytest.mark.parametrize(
    ("reply", "lang", "theirs"),
    [
        ("Would you rather move now, or after dinner, whichever is easier for you?", "en", True),
        ("Our porter can come up whenever suits you.", "en", True),
        ("What time would work for you tomorrow?", "en", True),
        ("The porter will come up when he's free.", "en", False),
        ("您看明天什么时间方便？师傅按您的时间上门。", "zh", True),
        ("等您方便的时候我们再过去。", "zh", True),
        ("师傅有空了会联系您。", "zh", False),
    ],
)
def test_a_time_left_to_the_customer_is_found(reply: str, lang: str, theirs: bool) -> None:
    assert reply_content(reply, "", None, lang).their_time is theirs  # type: ignore[arg-type]


def test_a_harmonious_customer_given_the_choice_of_time_has_it_and_the_remedy() -> None:
    session = play(
        start("harmonious", "en", "hotel_room"),
        "I have a sea-view king free on the fourteenth floor if you'd like it. "
        "Would you rather move now, or after dinner, whichever feels easier?",
    )
    assert {"suits_them", "remedy"} <= set(session["needs"])


def test_reassurance_in_so_many_words_meets_the_harmonious_need() -> None:
    reassurance = next(n for n in customer_needs()["harmonious"] if n.code == "reassurance")
    said = reply_content("You restarted it twice, so you've done everything right.", "", None, "en")
    assert reassurance.met_by(said.signals())
    assert reply_content("您放心，这不是您的问题。", "", None, "zh").reassures
    assert not reply_content("Have you restarted it?", "", None, "en").reassures
    assert not reassurance.met_by({"content:reassures", "avoid:dismiss_emotion"})


def test_times_promised_earlier_and_then_put_in_writing_are_a_written_plan() -> None:
    session = play(
        start("thinking", "zh", "card_blocked"), "解冻5分钟内生效，下午三点前我会盯着这笔交易。"
    )
    assert "written_plan" not in session["needs"]
    session = play(session, "处理记录和生效时间我用短信发给您。")
    assert "written_plan" in session["needs"]


def test_a_past_span_is_not_the_trainees_own_time() -> None:
    assert reply_content("这张卡此前90天没有境外交易。", "", None, "zh").own_times == []
    assert (
        reply_content(
            "There were no card payments abroad in the past 90 days.", "", None, "en"
        ).own_times
        == []
    )


def test_a_fix_done_on_the_call_meets_the_social_customers_need_for_the_fix() -> None:
    fix = next(n for n in customer_needs()["social"] if n.code == "fix")
    assert fix.met_by({"content:done"})
    assert not fix.met_by({"content:scenario"})  # named but neither timed nor done
    session = play(
        start("social", "en", "card_blocked"),
        "Oh no, what a worry on your holiday! Good news: I've lifted the block on your card.",
    )
    assert {"fix", "remedy"} <= set(session["needs"])


def test_only_needs_met_by_an_absence_must_keep_holding() -> None:
    needs = {n.code: n for n in customer_needs()["harmonious"]}
    assert needs["patience"].only_absence
    assert not needs["reassurance"].only_absence
    assert not any(n.only_absence for n in customer_needs()["social"])  # `fix` has `instead`
