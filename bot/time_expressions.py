"""Concrete time expressions ("今天下午3点前", "10分钟内", "by 3 pm", "within 2 hours").

A reply that names a concrete time is making a checkable commitment; "马上" or "ASAP" is
not. These rules decide which is which, per language.
"""

import re

from bot.language import Lang

_WEEKDAY = "[一二三四五六日天]"
_ZH_DAY = (
    rf"(今天|明天|后天|今晚|今早|明早|明晚|本周{_WEEKDAY}?|下周{_WEEKDAY}?|周{_WEEKDAY}"
    rf"|星期{_WEEKDAY}|\d{{1,2}}月\d{{1,2}}[日号])"
)
_ZH_PART = r"(上午|下午|中午|晚上|早上|傍晚|凌晨)"
_ZH_NUMBER = r"(\d{1,2}|[一二两三四五六七八九十]{1,3})"
_ZH_PATTERNS = [
    # 今天下午3点前 / 3点半 / 15:30 / 明天上午十点之前
    rf"{_ZH_DAY}?{_ZH_PART}?{_ZH_NUMBER}(点|:\d{{2}}|：\d{{2}})(半|\d{{1,2}}分)?(前|之前|以前|到|左右)?",
    # 10分钟内 / 两个小时之内 / 3个工作日 / 半小时内 / 一个半小时
    rf"({_ZH_NUMBER}|半)(个)?(半)?(分钟|小时|钟头|工作日|天)(内|之内|以内)?",
    # 今天下班前 / 明天上午 / 周三之前 / 今天之内 / 明天 (a named day is concrete too)
    rf"{_ZH_DAY}(之内|以内|内|前|之前|下班前|{_ZH_PART})?",
]
_EN_CLOCK = r"\d{1,2}(:\d{2})?\s?(am|pm|a\.m\.|p\.m\.|o'clock)"
_EN_DAY = r"(today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
# "one" is left out: "at one point" is not a time.
_EN_NUMBER = r"(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_EN_PATTERNS = [
    rf"\b(by|before|at|until|around)\s+{_EN_CLOCK}",
    # at 2 / by 4:30 / between 10 and 11 / half ten / half past two / quarter to five
    rf"\b(by|before|at|until|around|from|between)\s+{_EN_NUMBER}(:\d{{2}})?(\s+and\s+{_EN_NUMBER})?\b",
    rf"\b(half|quarter)\s+(past\s+|to\s+)?{_EN_NUMBER}\b",
    r"\b(this|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+(morning|afternoon|evening|night)\b",
    r"\b(within|in)\s+(an|half an|the|the next)\s+(hour|half hour|minutes?)\b",
    r"\b(by|before)\s+(noon|midday|lunchtime|tonight|tomorrow)\b",
    rf"\b{_EN_CLOCK}\b",
    r"\b(within|in)\s+(\d+|one|two|three|four|five|ten|fifteen|twenty|thirty)\s+"
    r"(minutes?|hours?|days?|business days|working days)\b",
    rf"\b(by|before|on|this|next)\s+({_EN_DAY}|(this|tomorrow)\s+(morning|afternoon|evening))\b",
    r"\b(by|before)\s+(end of (the )?day|close of business|noon|midnight)\b",
    rf"\b{_EN_DAY}(\s+(morning|afternoon|evening|night))?\b",
]
# A bare "一点" / "两点" with no day, part of day or "前/半/分" is usually "a little"
# ("一点都不麻烦", "早一点", "有一点慢"), not one o'clock.
_ZH_BARE_HOUR = re.compile(r"[一二两三四五六七八九十]{1,3}点")
_ZH_NOT_HOUR_BEFORE = "有快慢早晚好多少差稍"
_ZH_NOT_HOUR_AFTER = "都也儿点些的不没小心滴"
_COMPILED = {
    "zh": [re.compile(pattern) for pattern in _ZH_PATTERNS],
    "en": [re.compile(pattern, re.IGNORECASE) for pattern in _EN_PATTERNS],
}


def find_times(text: str, lang: Lang) -> list[tuple[int, int]]:
    """Character spans of concrete time expressions, merged where they overlap."""
    spans = sorted(
        (match.start(), match.end())
        for pattern in _COMPILED[lang]
        for match in pattern.finditer(text)
        if match.end() - match.start() >= 2
        and not (lang == "zh" and _a_little(text, match.start(), match.end()))
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _a_little(text: str, start: int, end: int) -> bool:
    """ "一点" as an amount, not an hour: a bare numeral hour with a quantity word beside it,
    or a bare "一点" with nothing that makes it a clock time."""
    if not _ZH_BARE_HOUR.fullmatch(text, start, end):
        return False
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if (before and before in _ZH_NOT_HOUR_BEFORE) or (after and after in _ZH_NOT_HOUR_AFTER):
        return True
    return text[start:end] == "一点" and after not in ("钟", "整")
