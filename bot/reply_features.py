"""What the reply model sees in a trainee's reply: the same features at training and at run time.

Four kinds, each a name → value:
- `c:` character n-grams and `w:` words (jieba for Chinese) with their neighbours, so a
  problem phrased in new words still shares pieces with the ones the model learned from;
- `lex:` word classes (bot/knowledge/reply_lexicon.yml): emotions, apologies, third parties,
  rules, vague times… so "物流那边" and "快递公司" look alike to the model;
- `cue:` the coaches' cue phrases for each code (bot/knowledge/reply_cues.yml), as evidence the
  model weighs like any other, not as a verdict;
- `m:` facts words alone don't show: a concrete time the trainee commits to, a time or number
  the customer said that the trainee only repeats, how much of the customer's line the reply
  restates, questions, length, where a clause sits.

Phrases to avoid are judged clause by clause (`clause_features`): a problem is a few words
inside a reply that may otherwise be good, and its clause is the span the trainee is shown.
"""

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import jieba

from bot.coaching_codes import GENERAL_AVOID_CODES, GOOD_MOVE_CODES, STYLE_MISMATCH_CODES
from bot.cue_matcher import CueMatch, CueMatcher
from bot.knowledge_loader import ListOf, MapOf, Table, Text, load_knowledge
from bot.knowledge_loader import Mapping as MappingSchema
from bot.language import Lang
from bot.time_expressions import find_times

STYLE_CODES = tuple(code for codes in STYLE_MISMATCH_CODES.values() for code in codes)
PHRASES = MapOf(("zh", "en"), ListOf(Text(max_length=60)))
CUES_SCHEMA = MappingSchema(
    required={
        "avoid": MapOf(GENERAL_AVOID_CODES, PHRASES),
        "style": MapOf(STYLE_CODES, PHRASES),
        "good": MapOf(tuple(c for c in GOOD_MOVE_CODES if c != "concrete_commitment"), PHRASES),
    }
)
LEXICON_SCHEMA = Table(PHRASES)
META_WEIGHT = 0.5  # each `m:` / `lex:` / `cue:` feature, next to the unit-length n-gram block
NEIGHBOUR_WEIGHT = 0.4  # a neighbouring clause's n-grams, for the clause being judged

_DIGITS = re.compile(r"\d")
_SPACE = re.compile(r"\s+")
_EN_WORD = re.compile(r"[a-z0]+(?:'[a-z]+)?")
_NUMBER = re.compile(r"[A-Za-z]*\d[\dA-Za-z:.\-]*")
_QUESTION = re.compile(r"[?？]|吗[。！!]?$")
_ZH_CONTENT = re.compile(r"[\u4e00-\u9fff]")
_CLAUSE_END = re.compile(r"[，。！？；,.!?;：:\n…~]+|\s[-–—]+\s|——")
jieba.setLogLevel(60)


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    features: dict[str, float]


@dataclass(frozen=True)
class _Marks:
    """What the whole reply shows once: cue and lexicon hits, times, context facts."""

    cues: list[CueMatch]
    lexicon: list[CueMatch]
    context: dict[str, float]


def normalise(text: str) -> str:
    """Lower case, every digit a 0 (a time or order number is a shape, not a value)."""
    return _SPACE.sub(" ", _DIGITS.sub("0", text.lower())).strip()


def ngram_features(
    text: str, lang: Lang, prefix: str = "", weight: float = 1.0
) -> dict[str, float]:
    """Character n-grams and words, binary, scaled together to length `weight`."""
    norm = normalise(text)
    grams: set[str] = set()
    if lang == "zh":
        compact = norm.replace(" ", "")
        for size in (1, 2, 3):
            grams.update(f"c:{compact[i : i + size]}" for i in range(len(compact) - size + 1))
        words = [word for word in jieba.lcut(compact) if word.strip()]
    else:
        words = _EN_WORD.findall(norm)
        for word in words:
            padded = f" {word} "
            for size in (3, 4, 5):
                grams.update(f"c:{padded[i : i + size]}" for i in range(len(padded) - size + 1))
    grams.update(f"w:{word}" for word in words)
    grams.update(f"w:{a}_{b}" for a, b in itertools.pairwise(words))
    if not grams:
        return {}
    scale = weight / math.sqrt(len(grams))
    return {f"{prefix}{gram}": scale for gram in grams}


def reply_features(reply: str, customer_line: str | None, lang: Lang) -> dict[str, float]:
    """Every feature of one whole reply, given what the customer said just before (if known)."""
    marks = _marks(reply, customer_line, lang)
    start, end = clause_spans(reply)[0]
    return {
        **ngram_features(reply, lang),
        # Listening feedback usually comes first, before the plan: the opening clause's words
        # count on their own too, so a long plan does not drown them.
        **ngram_features(reply[start:end], lang, "f", NEIGHBOUR_WEIGHT),
        **marks.context,
        **{f"lex:{hit.label}": META_WEIGHT for hit in marks.lexicon},
        **{f"cue:{hit.label}": META_WEIGHT for hit in marks.cues},
    }


def clause_spans(reply: str) -> list[tuple[int, int]]:
    """The reply cut at punctuation into clauses (character offsets), blank ones dropped."""
    spans, position = [], 0
    for match in _CLAUSE_END.finditer(reply):
        if reply[position : match.start()].strip():
            spans.append((position, match.start()))
        position = match.end()
    if reply[position:].strip():
        spans.append((position, len(reply)))
    return [_trim(reply, start, end) for start, end in spans] or [(0, len(reply))]


def clause_features(reply: str, customer_line: str | None, lang: Lang) -> list[Clause]:
    """Each clause's own words and marks, its neighbours' words, and the reply's context."""
    marks = _marks(reply, customer_line, lang)
    spans = clause_spans(reply)
    clauses = []
    for index, (start, end) in enumerate(spans):
        features = ngram_features(reply[start:end], lang)
        if index > 0:
            before = spans[index - 1]
            features.update(
                ngram_features(reply[before[0] : before[1]], lang, "p", NEIGHBOUR_WEIGHT)
            )
        if index + 1 < len(spans):
            after = spans[index + 1]
            features.update(ngram_features(reply[after[0] : after[1]], lang, "n", NEIGHBOUR_WEIGHT))
        features.update(marks.context)
        features.update(_inside(marks.lexicon, start, end, "lex"))
        features.update(_pairs(marks.lexicon, start, end))
        features.update(_inside(marks.cues, start, end, "cue"))
        where = (
            "only"
            if len(spans) == 1
            else "first"
            if index == 0
            else "last"
            if index == len(spans) - 1
            else "middle"
        )
        features[f"m:clause_{where}"] = META_WEIGHT
        clauses.append(Clause(start, end, features))
    return clauses


def cue_matches(reply: str, lang: Lang) -> list[CueMatch]:
    """The coaches' cue phrases found in the reply (exact spans for the better-phrasing hint)."""
    return cue_matcher().find(reply, lang)


@lru_cache(maxsize=1)
def cue_matcher() -> CueMatcher:
    """The coaches' cue phrases for every code (bot/knowledge/reply_cues.yml)."""
    cues = load_knowledge("reply_cues.yml", CUES_SCHEMA)
    return CueMatcher({**cues["avoid"], **cues["style"], **cues["good"]})


@lru_cache(maxsize=1)
def lexicon_matcher() -> CueMatcher:
    """The word classes (bot/knowledge/reply_lexicon.yml)."""
    return CueMatcher(load_knowledge("reply_lexicon.yml", LEXICON_SCHEMA))


def _marks(reply: str, customer_line: str | None, lang: Lang) -> _Marks:
    return _Marks(
        cues=cue_matches(reply, lang),
        lexicon=lexicon_matcher().find(reply, lang),
        context=_context(reply, customer_line, lang),
    )


def _inside(hits: Sequence[CueMatch], start: int, end: int, prefix: str) -> dict[str, float]:
    return {
        f"{prefix}:{hit.label}": META_WEIGHT for hit in hits if hit.start < end and hit.end > start
    }


def _pairs(hits: Sequence[CueMatch], start: int, end: int) -> dict[str, float]:
    """Word classes that meet in one clause ("third party" with "blame frame"): the model is
    linear, so what two classes mean together needs a feature of its own."""
    labels = sorted({hit.label for hit in hits if hit.start < end and hit.end > start})
    return {f"lex:{a}&{b}": META_WEIGHT for a, b in itertools.combinations(labels, 2)}


def _context(reply: str, customer_line: str | None, lang: Lang) -> dict[str, float]:
    """Times, repeats of the customer's words, questions and length, as `m:` features."""
    found: set[str] = set()
    said = (customer_line or "").lower()
    times = [reply[start:end].lower() for start, end in find_times(reply, lang)]
    echoed = [time for time in times if said and time in said]
    if len(times) > len(echoed):
        found.add("m:time_own")
    if echoed:
        found.add("m:time_echo")
    if not times:
        found.add("m:time_none")
    if customer_line:
        numbers = {n.lower() for n in _NUMBER.findall(reply)}
        if numbers & {n.lower() for n in _NUMBER.findall(customer_line)}:
            found.add("m:number_echo")
        found.add(f"m:overlap_{_overlap_bucket(reply, customer_line, lang)}")
    if _QUESTION.search(reply.strip()):
        found.add("m:question")
    if reply.strip().endswith(("?", "？")):
        found.add("m:ends_question")
    found.add(f"m:length_{_length_bucket(reply, lang)}")
    return dict.fromkeys(found, META_WEIGHT)


def _overlap_bucket(reply: str, customer_line: str, lang: Lang) -> str:
    """How much of the reply's content repeats the customer's line: none, some, much."""
    mine, theirs = _content_units(reply, lang), _content_units(customer_line, lang)
    if not mine:
        return "none"
    share = len(mine & theirs) / len(mine)
    return "much" if share >= 0.35 else "some" if share >= 0.12 else "none"


def _content_units(text: str, lang: Lang) -> set[str]:
    norm = normalise(text)
    if lang == "zh":
        chars = "".join(_ZH_CONTENT.findall(norm)) + "".join(ch for ch in norm if ch == "0")
        return {chars[i : i + 2] for i in range(len(chars) - 1)}
    return {word for word in _EN_WORD.findall(norm) if len(word) > 3}


def _length_bucket(reply: str, lang: Lang) -> str:
    size = len(reply.strip()) if lang == "zh" else len(reply.split())
    short, long = (12, 60) if lang == "zh" else (6, 35)
    return "short" if size <= short else "long" if size >= long else "medium"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
