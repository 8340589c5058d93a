"""Words of the Slack surface itself (buttons, modal, errors, help) in both languages.

The coaching content comes from the bot; these only frame it in Slack.
"""

from bot.language import Lang

TEXTS: dict[str, dict[Lang, str]] = {
    "help": {
        "zh": (
            "*/coach 怎么用*\n"
            "• `/coach 客户的原话` — 判断客户类型，给出推荐说法、要避免的做法和反馈方式\n"
            "• `/coach 权力型`（或 社交型、和谐型、思考型）— 这一类客户的沟通要点\n"
            "• `/coach check 思考型: 你打算发的回复` — 检查回复，指出问题并给出更好的说法\n"
            "• 私信我或在频道里 @我，可以连续对话，也可以开始角色扮演练习（发“开始练习”）\n"
            "只有你自己能看到这些回答，点“分享到频道”才会发给大家。"
        ),
        "en": (
            "*How to use /coach*\n"
            "• `/coach what the customer said` — the customer's type, phrasings to use, "
            "things to avoid and the feedback style\n"
            "• `/coach power` (or social, harmonious, thinking) — how to talk with that type\n"
            "• `/coach check thinking: your draft reply` — a check of the draft with better "
            "phrasings\n"
            "• Message me directly or @mention me for a running conversation, or to practise "
            'a role-play (say "start practice")\n'
            'Only you see these answers until you press "Share to channel".'
        ),
    },
    "unavailable": {
        "zh": "教练暂时连不上，这次没有分析。请过一会儿再发一次，你的文字在上面还能找到。",
        "en": "The coach can't be reached right now, so nothing was analysed. "
        "Please send it again in a minute; your text is still above.",
    },
    "too_long": {
        "zh": "太长了：每次最多 {limit} 个字符，请只贴客户最关键的几句话。",
        "en": "That is too long: at most {limit} characters at a time. "
        "Paste the customer's key lines only.",
    },
    "empty_draft": {
        "zh": "请在冒号后面写上你打算发的回复，"
        "例如 `/coach check 思考型: 您好，我先核对一下数据`。",
        "en": "Put your draft after the colon, "
        "e.g. `/coach check thinking: let me check the data first`.",
    },
    "check_reply": {"zh": "检查我的回复", "en": "Check my reply"},
    "share": {"zh": "分享到频道", "en": "Share to channel"},
    "not_this_type": {"zh": "不是这个类型…", "en": "Not this type…"},
    "modal_title": {"zh": "检查我的回复", "en": "Check my reply"},
    "modal_label": {"zh": "你打算发给客户的回复", "en": "Your draft reply to the customer"},
    "modal_hint": {
        "zh": "按{type}检查，最多 {limit} 个字符。",
        "en": "Checked for a {type} customer; at most {limit} characters.",
    },
    "modal_hint_no_type": {
        "zh": "按通用规则检查，最多 {limit} 个字符。",
        "en": "Checked against the general rules; at most {limit} characters.",
    },
    "modal_submit": {"zh": "检查", "en": "Check"},
    "modal_close": {"zh": "关闭", "en": "Close"},
    "your_reply": {
        "zh": "你的回复（粗体是有问题的地方）：",
        "en": "Your reply (problems in bold):",
    },
    "shared_by": {"zh": "<@{user}> 分享了这张卡片", "en": "Shared by <@{user}>"},
    "relabel_saved": {
        "zh": "谢谢！已记为{type}，会进入教练的训练数据导出。",
        "en": "Thanks! Saved as {type} for the coaches' training-data export.",
    },
    "nothing_to_relabel": {
        "zh": "这张卡片没有可以改标注的客户原话。",
        "en": "This card has no customer line to relabel.",
    },
    "card_expired": {
        "zh": "找不到这张卡片的内容了，请重新发一次 /coach。",
        "en": "This card's content is gone; please run /coach again.",
    },
    "quadrant_columns": {
        "zh": "左列：{facts}；右列：{people}",
        "en": "left: {facts} · right: {people}",
    },
}


def text(key: str, lang: Lang, **values: object) -> str:
    template = TEXTS[key][lang]
    return template.format(**values) if values else template
