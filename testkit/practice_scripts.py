"""Scripted trainees for role-play tests: a strong one per type and language (concrete times,
the type's feedback style, no phrases to avoid) and a weak one (vague times, policy excuses,
the wrong style)."""

STRONG = {
    "power": {
        "zh": [
            "总结一下：您要的是明确时间和结果，这件事由我负责到底。",
            "结论：今天下午3点前工程师到场，4点前给您书面结果。您看这样行吗？",
            "确认一下：下午3点前到场，我负责，完成后我给您打电话汇报进度。",
        ],
        "en": [
            "To sum up: you need a firm time and a result, and I own this.",
            "Bottom line: an engineer will be there by 3 pm today, written result by 4 pm. "
            "Would that work?",
            "So to confirm: on site by 3 pm, and I'll personally call you at 4 pm with progress.",
        ],
    },
    "social": {
        "zh": [
            "您一定很着急，换作是我也会很难过，真不好意思让您失望了。",
            "我能感受到这件事对您和家人有多重要，让我来帮您处理，今天下午3点前给您准信，您看这样行吗？",
            "您一定松了口气吧！今天下午3点前我亲自打电话告诉您进度。",
        ],
        "en": [
            "You must be so upset, I'm sorry we let you down, I can imagine how much this means.",
            "I can hear how much this matters to you and your family. Let me help you: I'll call "
            "you by 3 pm today with a firm answer. Would that work?",
            "That must be such a relief! I'll personally call you by 3 pm today with progress.",
        ],
    },
    "harmonious": {
        "zh": [
            "嗯，我明白，您一定很担心，谢谢您的耐心，让您久等了。",
            "嗯，是的，我明白。让我来帮您处理，今天下午3点前给您回电话，您看这样行吗？",
            "嗯，我明白，您一定放心些了，今天下午3点前我会亲自给您打电话。",
        ],
        "en": [
            "I hear you, that must be worrying, thank you for your patience.",
            "I see how much this matters. Let me help you: I'll call you back by 3 pm today. "
            "Would that work for you?",
            "I hear you. I'll personally call you by 3 pm today, take care.",
        ],
    },
    "thinking": {
        "zh": [
            "您提到的情况我已核对：根据记录，问题和您说的一致。",
            "您说的数据我已确认。根据检测结果，今天下午3点前工程师到场更换部件，5点前给您书面报告。",
            "您提到的依据我会写进报告，今天下午3点前发给您。",
        ],
        "en": [
            "You mentioned the details; according to the records, it matches what you reported.",
            "As you described, the data confirms it. Based on the test results, an engineer will "
            "replace the part by 3 pm today and send a written report by 5 pm.",
            "You said you need it in writing: the report will reach you by 3 pm today.",
        ],
    },
}

WEAK = {
    "zh": [
        "这是公司的规定，我们会尽快处理。",
        "我不知道，您需要联系其他部门。",
        "那你说呢？我们马上看一下。",
        "请您别着急，这个很难办。",
    ],
    "en": [
        "It's company policy, we'll handle it ASAP.",
        "I don't know, you need to contact another department.",
        "What do you want me to do? Calm down.",
        "That's difficult, nothing I can do.",
    ],
}
