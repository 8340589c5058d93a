"""What a trainee's reply concretely offers: a time of their own or one the customer picks, a
named person, options, a question, a cause, something in writing, a personal touch, words of
reassurance, the case's remedy.

These are facts about the words, found by rules (the reply analysis judges how the reply is
said; this finds what it contains). The simulated customer reacts to them — "两点是吧？我记下
了" needs the "两点" — and the customer's needs are met by them (bot/customer_needs.py).
"""

import re
from dataclasses import dataclass

from bot.language import Lang
from bot.scenarios import Scenario
from bot.time_expressions import find_times

_QUESTION = re.compile(r"[?？]|[吗呢][。！!]?\s*$|吗[，,]")
# Common surnames: someone named the Chinese way is a surname with a title (李工, 王师傅,
# 张经理) or 小/老 with a surname (小刘), with or without the role before it (工程师李工).
_SURNAMES = (
    "李王张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾"
    "丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤"
    "尹黎易常武乔贺赖龚文"
)
_ZH_PERSON = re.compile(
    rf"(?:工程师|师傅|技师|经理|主管|专员|顾问|同事)?\s?"
    rf"(?:[{_SURNAMES}](?:工|师傅|经理|主管|总|老师|专员|技师)|[小老][{_SURNAMES}])"
)
_EN_PERSON = re.compile(
    r"\b(?:engineer|technician|manager|supervisor|colleague|specialist|driver|fitter|porter"
    r"|installer|lead|tech)s?,?\s+[A-Z][a-z]+|\bmy (?:name is|colleague) [A-Z][a-z]+"
)
_OWNER = {
    "zh": re.compile(r"我(?:来|亲自|负责|会跟进|跟进到底|盯着|全程)|由我|交给我|我本人"),
    "en": re.compile(
        r"\bI(?:'ll| will) (?:personally|own|handle|take care|see (?:it|this) through|stay on)"
        r"|\bleave it with me\b|\bI'm (?:on it|your (?:contact|point)|taking)|\bme personally\b"
        r"|\bpersonally\b|\bmyself\b|\bI own\b|\bmy responsibility\b|\btake it from here\b",
        re.IGNORECASE,
    ),
}
# A choice offered, or a fallback ready in case the plan fails (the power type's "options").
_OPTIONS = {
    "zh": re.compile(
        r"两个方案|两种|两个办法|方案[一二AB]|或者|还是|您选|您定|任选|二选一|备用|备选|兜底"
        r"|如果.{0,12}(?:不行|来不及|排不|修不好|赶不上)|不行的话|万一"
    ),
    "en": re.compile(
        r"\b(?:two|2) options\b|\boption (?:a|b|one|two)\b|\beither\b|\bor (?:we|i|you)\b"
        r"|\bwhich (?:would|do) you\b|\byour choice\b|\bchoose\b|\bprefer\b|\bfallback\b"
        r"|\bback-?up\b|\bplan b\b|\bas cover\b"
        r"|\bif\b[^.,;?!]{0,30}\b(?:needs?|fails?|doesn't|don't|can't|isn't|won't|moves?|slips?"
        r"|runs? late|goes wrong)\b",
        re.IGNORECASE,
    ),
}
# The time left to the customer ("您看什么时间方便？", "whenever suits you", "now or after
# dinner?"): what a harmonious customer needs instead of a time set for them.
_THEIR_TIME = {
    "zh": re.compile(
        r"(?:什么|哪个|几点|哪天|哪一天|啥)(?:时间|时候)?(?:对您)?(?:比较|更)?(?:方便|合适|有空)"
        r"|您方便的(?:时候|时间)|(?:等|看|按|照|随)您(?:的)?(?:时间|方便)|时间(?:由您|您来|您定)"
        r"|您来定|随时(?:都)?(?:可以|行|叫|找)"
    ),
    "en": re.compile(
        r"\bwhen(?:ever)? (?:it )?(?:suits|works for) you\b"
        r"|\bwhenever (?:you(?:'re| are) ready|you (?:like|want|prefer)|is (?:easiest|easier|best))"
        r"|\b(?:what|which) (?:time|day|slot)s? (?:would )?(?:suits?|works?|is best|is easiest)"
        r"|\bwhen (?:would|does|is) (?:it )?(?:suit|work|be (?:best|convenient|easiest))"
        r"|\bat your (?:convenience|own pace)\b|\bin your own time\b"
        r"|\b(?:now|tonight|today|this (?:evening|afternoon)),? or (?:after|later|tomorrow|in the)"
        r"|\bwhichever (?:suits|works|is|feels|you)|\byou (?:pick|choose|decide) (?:the |a )?time",
        re.IGNORECASE,
    ),
}
# Reassurance in so many words: the customer did nothing wrong, is in good hands, need not
# worry (what a harmonious customer needs first, as the need's own advice puts it).
_REASSURES = {
    "zh": re.compile(
        r"您放心|请放心|放心吧|别担心|不用担心|不必担心|不要担心|不是您的(?:问题|错|责任)|不怪您"
        r"|您(?:做得|处理得)(?:很|非常)?(?:对|好|没错)|您没(?:有)?做错|交给我|包在我身上"
    ),
    "en": re.compile(
        r"\bdon't worry\b|\bno need to worry\b|\bnothing to worry\b|\brest assured\b"
        r"|\bnot (?:your fault|something you did)\b|\bnothing you did\b|\byou did nothing wrong\b"
        r"|\byou(?:'ve| have)? done (?:everything|all the right|the right)"
        r"|\byou did (?:everything|the right thing)|\bin good hands\b|\bleave it (?:with|to) me\b",
        re.IGNORECASE,
    ),
}
_CAUSE = {
    "zh": re.compile(r"原因|因为|由于|导致|造成|引起|是.{1,12}的问题|出在"),
    "en": re.compile(
        r"\bcause[ds]?\b|\bbecause\b|\bdue to\b|\bthe reason\b|\bcaused by\b|\bcame from\b",
        re.IGNORECASE,
    ),
}
_WRITTEN = {
    "zh": re.compile(r"书面|邮件|邮箱|短信|报告|发给您|发您|写下|文字|记录发|清单|确认函|截图"),
    "en": re.compile(
        r"\bin writing\b|\bwritten\b|\be-?mail\b|\btext you\b|\breport\b|\bsend you\b"
        r"|\bsummary\b|\bdocument\b|\bconfirmation\b",
        re.IGNORECASE,
    ),
}
# A time the customer named is the trainee's own only when the reply commits to it ("两点前
# 修好", "by 2 pm"), not when it is just repeated back ("下午两点的会？"); a time in a clause
# that refuses it ("两点我们保证不了", "can't promise 2 pm") is never a commitment.
_COMMITS = {
    "zh": re.compile(
        r"前|之前|以前|保证|一定|肯定|[我们]会|会在|给您|上门|到场|到达|到您|完成|修好|办好|确保"
        r"|安排|约|定在"
    ),
    "en": re.compile(
        r"\bby\b|\bbefore\b|\bwill\b|'ll\b|\bguarantee|\bpromise|\bcommit|\bensure"
        r"|\bconfirm|\bbook|\bschedul|\barrang|\bset for\b",
        re.IGNORECASE,
    ),
}
# A norm or a condition is not a promise: "上门一般是24小时内", "depends on the queue". A softened
# time ("三点左右", "around 3") is still one: softening is how a gentle agent promises.
_HEDGES = {
    "zh": re.compile(r"一般|通常|正常情况|按规定|标准|说不准|不好说|看情况|要看|得看|按顺序|排队"),
    "en": re.compile(
        r"\busually\b|\bnormally\b|\btypically\b|\bgenerally\b|\bstandard\b"
        r"|\bdepends\b|\bdepending\b|\bin the queue\b|\bcan't say\b",
        re.IGNORECASE,
    ),
}
_REFUSES = {
    "zh": re.compile(r"没法|无法|不能保证|保证不了|做不到|办不到|不可能|来不及|不行|不一定"),
    "en": re.compile(
        r"\bcan(?:'t|not)\b|\bcan no\b|\bwon't be able\b|\bunable\b|\bno way\b"
        r"|\bimpossible\b|\bnot (?:possible|able)\b|\bunlikely\b",
        re.IGNORECASE,
    ),
}
# "24到48小时内", "3-5 working days": a window of durations is not an exact time (a slot such as
# "2点到4点" is).
_DURATION_RANGE = re.compile(
    r"[\d一二两三四五六七八九十]+\s*(?:到|至|-|~|–|—|to|or)\s*[\d一二两三四五六七八九十]+\s*"
    r"(?:个)?(?:小时|天|工作日|周|星期|分钟"
    r"|(?:working |business )?(?:hours?|days?|weeks?|minutes?))",
    re.IGNORECASE,
)
# A time in the past ("昨天下午三点师傅上门", "he came at 3 pm yesterday") restates what happened;
# something already arranged ("已经约好明天十点") is still a promise.
# The remedy carried out while the customer is still there: nothing left to promise a time for.
_DONE = {
    "zh": re.compile(
        r"已经|已为您|已给您|已帮您|刚刚|现在就已|办好了|弄好了|处理好了|解除了|恢复了"
    ),
    "en": re.compile(
        r"\b(?:i|we)(?:'ve| have) (?:just |now |already )?(?!noted|logged|recorded|passed|forwarded"
        r"|escalated|raised|opened|filed|asked|told|tried)\w+(?:ed|ne|nt|de|t)\b"
        r"|\b(?:is|are|'s) (?:now |already )?(?:done|sorted|fixed|lifted|unblocked|restored)\b"
    ),
}
_PAST = {
    "zh": re.compile(
        r"昨|前天|上周|上星期|上个月|上次|刚才|那天|当时|此前"
        r"|过去的?[\d一二两三四五六七八九十]+(?:个)?(?:天|周|星期|月|小时)"
    ),
    "en": re.compile(
        r"\byesterday\b|\blast (?:night|week|time|month|visit)\b|\bago\b|\bearlier\b"
        r"|\b(?:in|over) the (?:past|last) \d+"
        r"|\bprevious\b|\b(?:came|left|arrived|showed up)\b",
        re.IGNORECASE,
    ),
}
_CLAUSE_SPLIT = re.compile(r"[。！？!?；;\n]|\.(?:\s|$)")
_CLAUSE_END = re.compile(r"[。！？!?；;，,\n]|\.(?:\s|$)")
SHORT = {"zh": 90, "en": 50}  # characters / words: brief enough for a busy customer


@dataclass(frozen=True)
class ReplyContent:
    own_times: list[str]  # concrete times the trainee commits to, in order
    their_time: bool  # … or the time is left to the customer
    reassures: bool  # "您放心", "you've done everything right"
    people: list[str]  # named people who will do it
    owner: bool  # the trainee takes it on personally
    options: bool
    question: bool
    cause: bool
    written: bool
    personal: bool
    short: bool
    remedy: bool  # the reply offers the case's own remedy
    remedy_done: bool  # … as something already done during the call

    def signals(self) -> set[str]:
        found = {
            "own_time": bool(self.own_times),
            "their_time": self.their_time,
            "reassures": self.reassures,
            "person": bool(self.people) or self.owner,
            "options": self.options,
            "question": self.question,
            "cause": self.cause,
            "written": self.written,
            "personal": self.personal,
            "short": self.short,
            "scenario": self.remedy,
            "done": self.remedy_done,
            "proposal": self.remedy or bool(self.own_times),
            # a question put with a proposal ("…，您看可以吗？") asks the customer to decide
            "consults": self.question and (self.remedy or bool(self.own_times)),
        }
        return {f"content:{kind}" for kind, present in found.items() if present}


def reply_content(
    reply: str, customer_said: str | None, scenario: Scenario | None, lang: Lang
) -> ReplyContent:
    """`customer_said`: the customer's words so far, so a time they named is not taken for the
    trainee's promise when it is only repeated back."""
    said = (customer_said or "").lower()
    lowered = reply.lower()
    person = _ZH_PERSON if lang == "zh" else _EN_PERSON
    size = len(reply.strip()) if lang == "zh" else len(reply.split())
    return ReplyContent(
        own_times=_own_times(reply, said, lang),
        their_time=bool(_THEIR_TIME[lang].search(reply)),
        reassures=bool(_REASSURES[lang].search(reply)),
        people=list(dict.fromkeys(match.group(0).strip() for match in person.finditer(reply))),
        owner=bool(_OWNER[lang].search(reply)),
        options=bool(_OPTIONS[lang].search(reply)),
        question=bool(_QUESTION.search(reply)),
        cause=bool(_CAUSE[lang].search(reply)),
        written=bool(_WRITTEN[lang].search(reply)),
        personal=scenario is not None
        and any(word.lower() in lowered for word in scenario.personal_words[lang]),
        short=size <= SHORT[lang],
        remedy=scenario is not None
        and any(word.lower() in lowered for word in scenario.remedy_words[lang]),
        remedy_done=scenario is not None and _remedy_done(reply, scenario, lang),
    )


def _remedy_done(reply: str, scenario: Scenario, lang: Lang) -> bool:
    """A clause that reports the case's remedy as done ("I've lifted the block")."""
    for clause in _CLAUSE_SPLIT.split(reply):
        lowered = clause.lower()
        if (
            _DONE[lang].search(lowered)
            and not _HEDGES[lang].search(lowered)
            and any(word.lower() in lowered for word in scenario.remedy_words[lang])
        ):
            return True
    return False


def _own_times(reply: str, said: str, lang: Lang) -> list[str]:
    own = []
    for start, end in find_times(reply, lang):
        time = reply[start:end]
        clause = _clause_around(reply, start, end)
        if (
            _REFUSES[lang].search(clause)
            or _HEDGES[lang].search(clause)
            or _PAST[lang].search(clause)
            or _DURATION_RANGE.search(reply, max(0, start - 8), end)
        ):
            continue
        rest = clause.replace(time, " ")
        if time.lower() in said and not _COMMITS[lang].search(rest):
            continue
        own.append(time)
    return own


def _clause_around(text: str, start: int, end: int) -> str:
    """The clause a span sits in: from the punctuation before it to the punctuation after."""
    before = [match.end() for match in _CLAUSE_END.finditer(text, 0, start)]
    after = _CLAUSE_END.search(text, end)
    return text[before[-1] if before else 0 : after.start() if after else len(text)]
