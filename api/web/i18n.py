"""The web UI's words in Chinese and English; the page language comes from `?lang=` or the
`lang` cookie, Chinese by default."""

from fastapi import Request

from bot.language import DEFAULT_LANG, Lang

LANG_COOKIE = "lang"

UI: dict[str, dict[Lang, str]] = {
    "app_name": {"zh": "客服沟通教练", "en": "Service communication coach"},
    "login_title": {"zh": "登录", "en": "Log in"},
    "name": {"zh": "用户名", "en": "User name"},
    "password": {"zh": "密码", "en": "Password"},
    "login": {"zh": "登录", "en": "Log in"},
    "logout": {"zh": "退出", "en": "Log out"},
    "login_failed": {"zh": "用户名或密码不对。", "en": "Wrong user name or password."},
    "login_expired": {
        "zh": "登录表单已过期，请再提交一次。",
        "en": "The login form expired; please submit it again.",
    },
    "switch_lang": {"zh": "English", "en": "中文"},
    "chat_title": {"zh": "练习与辅导", "en": "Practice and coaching"},
    "mode_coach": {"zh": "辅导模式", "en": "Coach mode"},
    "mode_coach_hint": {
        "zh": "把客户的原话贴进来，教练会判断类型并给出说法。",
        "en": "Paste what a customer said; the coach reads the type and suggests phrasing.",
    },
    "mode_practice": {"zh": "角色扮演练习", "en": "Role-play practice"},
    "scenario": {"zh": "场景", "en": "Scenario"},
    "any_scenario": {"zh": "随机", "en": "Random"},
    "customer_type": {"zh": "客户类型", "en": "Customer type"},
    "hidden_type": {"zh": "隐藏（让我来判断）", "en": "Hidden (I'll work it out)"},
    "difficulty": {"zh": "难度", "en": "Difficulty"},
    "easy": {"zh": "简单", "en": "Easy"},
    "normal": {"zh": "普通", "en": "Normal"},
    "hard": {"zh": "困难", "en": "Hard"},
    "exam": {"zh": "考试模式（结束前不显示提示）", "en": "Exam mode (no hints until the end)"},
    "start": {"zh": "开始练习", "en": "Start practice"},
    "new_conversation": {"zh": "新对话", "en": "New conversation"},
    "message_placeholder": {"zh": "输入消息…", "en": "Type a message…"},
    "send": {"zh": "发送", "en": "Send"},
    "typing": {"zh": "对方正在输入…", "en": "typing…"},
    "unreachable": {
        "zh": "教练暂时连不上，消息没有发出。你的文字还在输入框里，稍后再发一次。",
        "en": "The coach can't be reached, so the message wasn't sent. "
        "Your text is still in the box; try again shortly.",
    },
    "too_long": {
        "zh": "每条消息最多 2000 个字符。",
        "en": "A message has at most 2,000 characters.",
    },
    "panel_title": {"zh": "教练面板", "en": "Coach panel"},
    "type_meter": {"zh": "类型判断", "en": "Type reading"},
    "quadrant": {"zh": "客户位置", "en": "Where the customer sits"},
    "direct": {"zh": "直接", "en": "Direct"},
    "indirect": {"zh": "间接", "en": "Indirect"},
    "people": {"zh": "重人际", "en": "People"},
    "facts": {"zh": "重事实", "en": "Facts"},
    "your_reply": {"zh": "你的上一句回复", "en": "Your last reply"},
    "no_reply_yet": {"zh": "还没有回复。", "en": "No reply yet."},
    "better": {"zh": "更好的说法", "en": "Better"},
    "phrasing": {"zh": "推荐说法", "en": "Recommended phrasing"},
    "feedback_style": {"zh": "反馈方式", "en": "Feedback style"},
    "mood": {"zh": "客户情绪", "en": "Customer mood"},
    "mood_levels": {
        "zh": "平静|有点不满|不满|很生气|要走了",
        "en": "calm|a bit unhappy|unhappy|angry|leaving",
    },
    "scorecard": {"zh": "成绩单", "en": "Scorecard"},
    "retake": {"zh": "再练一次", "en": "Retake"},
    "score": {"zh": "得分", "en": "Score"},
    "improvements": {"zh": "最值得改进的三点", "en": "Three changes worth the most"},
    "hidden_until_end": {"zh": "考试模式：结束后显示。", "en": "Exam mode: shown at the end."},
    "power": {"zh": "权力型", "en": "Power"},
    "social": {"zh": "社交型", "en": "Social"},
    "harmonious": {"zh": "和谐型", "en": "Harmonious"},
    "thinking": {"zh": "思考型", "en": "Thinking"},
    "good_move": {"zh": "做得好", "en": "Good move"},
    "inbox": {"zh": "对话列表", "en": "Inbox"},
    "trainee": {"zh": "学员", "en": "Trainee"},
    "team": {"zh": "小组", "en": "Team"},
    "mode": {"zh": "模式", "en": "Mode"},
    "coach": {"zh": "辅导", "en": "Coach"},
    "practice": {"zh": "练习", "en": "Practice"},
    "any": {"zh": "全部", "en": "Any"},
    "date_from": {"zh": "起始日期", "en": "From"},
    "date_to": {"zh": "截止日期", "en": "To"},
    "score_min": {"zh": "最低分", "en": "Min score"},
    "score_max": {"zh": "最高分", "en": "Max score"},
    "reviewed": {"zh": "已复盘", "en": "Reviewed"},
    "not_reviewed": {"zh": "未复盘", "en": "Not reviewed"},
    "tag": {"zh": "标签", "en": "Tag"},
    "filter": {"zh": "筛选", "en": "Filter"},
    "export_csv": {"zh": "导出 CSV", "en": "Export CSV"},
    "export_json": {"zh": "导出 JSON", "en": "Export JSON"},
    "last_activity": {"zh": "最近活动", "en": "Last activity"},
    "messages": {"zh": "消息数", "en": "Messages"},
    "open": {"zh": "查看", "en": "Open"},
    "no_conversations": {"zh": "没有符合条件的对话。", "en": "No conversations match."},
    "page": {"zh": "页", "en": "Page"},
    "previous": {"zh": "上一页", "en": "Previous"},
    "next": {"zh": "下一页", "en": "Next"},
    "transcript": {"zh": "对话记录", "en": "Transcript"},
    "model_reading": {"zh": "模型判断", "en": "Model's reading"},
    "reply_score": {"zh": "回复得分", "en": "Reply score"},
    "comment": {"zh": "评论", "en": "Comment"},
    "add_comment": {"zh": "添加评论", "en": "Add comment"},
    "add_tag": {"zh": "加标签", "en": "Add tag"},
    "remove": {"zh": "删除", "en": "Remove"},
    "mark_reviewed": {"zh": "标记为已复盘", "en": "Mark reviewed"},
    "relabel": {"zh": "改标注", "en": "Relabel"},
    "training_data": {"zh": "训练数据", "en": "Training data"},
    "training_data_hint": {
        "zh": "教练改过类型的客户原话。下载的 YAML 可直接放进 data/nlu/。",
        "en": "Customer lines whose type a coach corrected. "
        "The YAML drops straight into data/nlu/.",
    },
    "download_yaml": {"zh": "下载 YAML", "en": "Download YAML"},
    "progress": {"zh": "学习进度", "en": "Progress"},
    "admin": {"zh": "用户管理", "en": "Admin"},
    "users": {"zh": "用户", "en": "Users"},
    "teams": {"zh": "小组", "en": "Teams"},
    "role": {"zh": "角色", "en": "Role"},
    "active": {"zh": "启用", "en": "Active"},
    "create_user": {"zh": "新建用户", "en": "Create user"},
    "create_team": {"zh": "新建小组", "en": "Create team"},
    "coach_team": {"zh": "让教练负责小组", "en": "Give a coach a team"},
    "deactivate": {"zh": "停用", "en": "Deactivate"},
    "activate": {"zh": "启用", "en": "Activate"},
    "password_blank_hint": {"zh": "留空则自动生成", "en": "blank: a random one"},
    "new_password": {
        "zh": "{name} 的密码（只显示这一次）：",
        "en": "Password for {name} (shown only once):",
    },
    "first_score": {"zh": "第一次得分", "en": "First score"},
    "latest_score": {"zh": "最近得分", "en": "Latest score"},
    "type_accuracy": {"zh": "类型判断正确率", "en": "Type identified"},
    "score_over_time": {"zh": "得分变化", "en": "Score over time"},
    "flag_frequency": {"zh": "常见问题（次数）", "en": "Flags by code (count)"},
    "unavailable_transcript": {
        "zh": "暂时读不到对话记录（机器人服务连不上），请稍后刷新。",
        "en": "The transcript can't be read right now (the bot is unreachable); refresh shortly.",
    },
}


def page_lang(request: Request) -> Lang:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return asked if asked in ("zh", "en") else DEFAULT_LANG  # type: ignore[return-value]


def words(lang: Lang) -> dict[str, str]:
    return {key: value[lang] for key, value in UI.items()}
