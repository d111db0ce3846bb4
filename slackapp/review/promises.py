"""Promised actions in a draft: what the agent commits to, or reports as done.

Works on the masked text (quotes, code and markup already blanked), one sentence at
a time: a sentence is cut into chunks at commas, semicolons and "and I/we/you...",
a chunk holding a commitment ("I'll", "we're sending", "I've refunded", "a new one
will go out") starts a promise clause, and the chunks after it extend that clause.
The clause's head verb, then its nouns, give the kind; deadlines.py reads its time.
Conventions are recorded in docs/decisions.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, time

from slackapp.review.config import EngineConfig
from slackapp.review.deadlines import CueIndex, Deadline, find_deadline
from slackapp.review.model import Promise, PromiseKind
from slackapp.review.text import fold, sentence_spans

# --- phrase tables ---------------------------------------------------------------

# Who commits: the agent, the team, or "our engineers/courier/...".
FIRST_PERSON = r"(?:\bi|\bwe|\bour\s+[\w-]+(?:\s+[\w-]+)?)"
# Words that may sit between a commitment and its verb.
ADVERB = (
    r"(?:also|now|already|just|personally|of course|definitely|certainly|then|actually|"
    r"immediately|quickly|promptly|gone ahead and|went ahead and|go ahead and|"
    r"make sure to|be sure to|happily|gladly)"
)
# Past verbs that undo the mistake: they count even after "we" and even near "error".
UNDO_VERBS = (
    "refunded|reimbursed|reversed|voided|credited|waived|fixed|corrected|resolved|"
    "repaired|patched|restored|reinstated|reactivated|unlocked|removed|reset|deleted|"
    "rolled (?:it |them )?back|reverted|switched|turned (?:[\\w-]+ ){0,3}?back on|"
    "(?:shipped|deployed|released|pushed|rolled out) (?:a|the) (?:fix|patch)|"
    "(?:finished|completed) (?:the |your )?(?:repair|fix|work|installation|job|service)"
)
# Past verbs that report a remedy taken. Simple past with "we"/"our" only counts for
# UNDO_VERBS: "we shipped a bug", "we moved your appointment" describe the mistake.
DONE_VERBS = (
    rf"{UNDO_VERBS}|replaced|reshipped|re-shipped|resent|re-sent|shipped|sent|dispatched|"
    r"posted|issued|reissued|re-issued|processed|applied|added|knocked|comped|upgraded|"
    r"rebooked|re-booked|booked|rescheduled|relabeled|relabelled|re-labelled|reopened|"
    r"moved|set|arranged|changed|updated|adjusted|sorted|confirmed|escalated|expedited|"
    r"emailed|texted|messaged|called|cancell?ed|discounted|released|deployed|rolled out|"
    r"flagged|submitted|rebuilt|renewed|regenerated|pushed|asked|answered|mixed|made|"
    r"relocated|covered|paid|put|reassigned|reconnected|restarted|reset|resubmitted|"
    r"reprocessed|remade|requested|repaid|released|secured|reserved|enabled|extended|reprinted|"
    r"started|opened|raised|filed|lodged|logged|paid out|passed|locked|reported|taken|"
    r"contacted|notified|alerted|forwarded|looped in|topped up|approved|authori[sz]ed|granted|"
    r"re-\w+|queued|paused|pencill?ed|reprogrammed|refiled|redone|unblocked|popped|ordered|"
    r"re-?ordered|given|cleared|expanded|chased|linked|lifted|"
    r"(?:turned|switched) (?:off|on)"
)
# Participles that report a remedy in the passive ("your refund has been issued").
PASSIVE_DONE = (
    rf"{UNDO_VERBS}|replaced|reshipped|resent|shipped|sent|dispatched|posted|issued|"
    r"reissued|processed|applied|added|approved|rebooked|rescheduled|relabell?ed|reopened|initiated|"
    r"sorted|deployed|released|taken care of|renewed|regenerated|relocated|moved|upgraded|"
    r"updated|unblocked|unlocked|reinstated|reactivated|restored|reconnected|re-\w+ed|paused|"
    r"extended"
)
# In the present ("is refunded") only a few participles report a remedy; "refunds
# are issued to the original card" states a policy.
PRESENT_DONE = (
    r"fixed|resolved|sorted|refunded|reversed|restored|credited|waived|taken care of|unlocked|"
    r"unblocked|corrected|amended|done(?!\s+(?:for|with|by|on\s+(?:mon|tue|wed|thu|fri|sat|sun)))|"
    r"back(?!\s+(?:in|at|to)\s+(?:the\s+)?(?:office|work|desk))|"
    r"reconnected|reset|reactivated|reinstated|upgraded|(?:correctly|properly)\s+\w+ed"
)
# "The issue is back", "the error's resolved?": the subject is the problem itself.
_NOT_AFTER_PROBLEM = "".join(
    f"(?<!{word} )(?<!{word})" for word in ("issue", "problem", "error", "bug", "glitch")
)
BASE_VERBS = (
    r"send|ship|call|phone|ring|email|e-mail|text|message|write|refund|reimburse|reverse|"
    r"add|apply|waive|credit|fix|patch|resolve|correct|repair|sort|get|check|let|keep|"
    r"post|follow|confirm|issue|process|update|make|arrange|book|rebook|reschedule|reach|"
    r"chase|look|review|investigate|escalate|give|put|set|move|reopen|restore|replace|"
    r"reship|resend|cancel|schedule|expedite|upgrade|find|walk|share|pass|contact|"
    r"monitor|recalculate|reissue|remove|cover|drop|email|adjust|honou?r"
)
ACTION_ING = (
    r"sending|shipping|issuing|re-?issuing|re-?sending|re-?shipping|processing|refunding|reversing|crediting|working|"
    r"rolling|fixing|looking(?!\s+forward)|investigating|escalating|preparing|arranging|"
    r"reviewing|replacing|resending|reshipping|putting|setting|updating|adding|applying|"
    r"waiving|deploying|patching|chasing|calling|booking|rebooking|rescheduling|"
    r"following|checking|organi[sz]ing|restoring|correcting|resolving|repairing|removing|"
    r"reaching out|contacting|emailing|texting|visiting|collecting|installing|mailing|"
    r"posting|couriering|reconnecting|reopening|reinstating|unlocking|topping up|"
    r"giving(?=\s+you\b)|taking\s+(?:[\w$£€.,]+\s+){1,3}?off\b|refiling|redoing|reprinting|"
    r"resubmitting|reinstalling|reprogramming|remaking|pushing|in the process of"
)
# "Will be" + these is still an act the customer waits on ("an engineer will be with you
# at 9", "it'll be back on your card"); any other "will be" is a state or a prediction
# ("we'll be right here", "I'll be honest", "the team will be back in the office").
BE_ACT = (
    r"be\s+(?:in\s+(?:touch|contact)|back\s+in\s+touch|there|ready|live|complete|done|"
    r"(?:out|round|over|around)\s+to\s+\w+|"
    r"(?:out|round|over|around)(?!\s+of\b)(?=[^,.;]{1,40}?\bto\s+(?:re\w+|fix|repair|replace|swap|"
    r"install|fit|check|inspect|collect|pick|deliver|sort|service|test|reconnect|measure))|"
    r"(?:in|at|on|with|into)\s+(?:your|you|her|his|him|their|them|site)|up\s+and\s+running|"
    r"back(?!\s+(?:in|at|to)\s+(?:the\s+|my\s+|our\s+|his\s+|her\s+)?"
    rf"(?:office|work|desk|store|shop))|{ACTION_ING})\b"
)
_PARTICIPLE = r"(?:(?!(?:open|even|often|seven|eleven)\b)\w+(?:ed|en)|sent|paid|put|set|made)\b"
# A third party's "will be" also delivers when it arrives somewhere or is done to
# ("the timetable will be on the portal by Friday", "it will be couriered tonight").
_THIRD_PERSON_BE = (
    rf"{BE_ACT}|be\s+(?:(?:in|at|on)\s+the\b(?!\s+office)|(?:waiting\s+)?at\s+reception\b|"
    r"(?:active|visible)\b|"
    rf"(?:\w+ly\s+)?{_PARTICIPLE})"
)
_DAY_PART = r"(?:day|date|morning|afternoon|evening|night)"  # "text you that evening" is a time
_DETERMINER = r"(?:a|an|the|our|your|their|his|her|its|this|that|some|\w+'s)\b"


# "Our returns", "free returns", "the leaves": a scheduled verb read as a noun.
def _not_after(*words: str) -> str:
    """Lookbehinds refusing a match right after any of the words."""
    return "".join(f"(?<!\\b{word}\\s)" for word in words)


_NOT_AFTER_DETERMINER = _not_after("a", "the", "our", "your", "free", "easy", "no", "of")
# "Refunds usually go back within 5 days": how things go, not what we will do.
_HABIT_WORDS = ("usually", "normally", "typically", "generally", "always")
_NOT_AFTER_HABIT = _not_after(*_HABIT_WORDS)
# "Here's a link", "there's a button", "have a look": pointers and pleasantries, not gifts.
_INFO = (
    r"\s+(?:(?:a|an|the|some|more|our|this)\s+)?(?:[\w-]+\s+)?(?:links?|guides?|articles?|info|"
    r"information|page|button|option|way|settings?|steps?|tips?|videos?|list|form|how|what|where|"
    r"why|answer|look|go|read|try|think|chat|great|good|nice|lovely|wonderful|question|problem|"
    r"issue|moment|minute|fix|plan|summary|status|timeline|situation|update|news|deal)\b"
)
_YOU_WILL = r"\byou\s*(?:'ll|will|should|'re going to|are going to)\s+(?:also\s+|now\s+|soon\s+)?"
# What "you'll see ..." must name to report money coming back rather than inform.
_MONEY_BACK = (
    r"[^,.;]{0,40}\b(?:refund\w*|credit\w*|money|reversal|discount|back\s+(?:on|in|to))\b"
    r"(?!\s+(?:polic\w*|form|options?|page|request))"
)
# Commitments: (name, tense, weak, pattern). `head` marks the verb that names the act.
# tense: "pending" (to do), "done" (reported taken), "settling" (done unless the clause
# gives a time, as in "on its way and should arrive by Tuesday"), "if timed" (a
# commitment only with a concrete time: "we can have it to you by Friday" promises, "we
# can look into it" offers; "look out for our email on Monday" promises, "look out for
# phishing emails" advises). A weak commitment
# only counts when it names a kind: a passive "was sent" of nothing in particular
# narrates the mistake, an "offer" of nothing is a pleasantry.
TRIGGERS: tuple[tuple[str, str, bool, str], ...] = (
    (
        "first_person_future",
        "pending",
        False,
        rf"{FIRST_PERSON}\s*(?:'ll|will|shall|(?:'m|am|'re|are)\s+(?:also\s+|now\s+|still\s+|"
        rf"just\s+)?(?:going to|gonna))\s+(?!not\b|never\b)(?:{ADVERB}\s+)*"
        r"(?P<head>[\w'-]+(?:\s+[\w'-]+)?)",
    ),
    (
        # "we won't charge you for the call-out", "you won't be billed for May": a fee waived
        "not_charging",
        "pending",
        False,
        r"\b(?:i|we|you|they)\s*(?P<head>(?:won't|will\s+not)\s+(?:be\s+)?(?:charg|bill)\w*)"
        r"\b(?!\s+(?:twice|again|double|for\s+(?:it|them|this|that))\b)|"
        r"\bthere\s*(?:will|'ll)\s+be\s+(?P<none>no\s+(?:[\w-]+\s+){0,2}?(?:charge|fee|cost))\b",
    ),
    (
        # "I've got a locksmith coming tomorrow": someone booked to come
        "got_coming",
        "pending",
        False,
        rf"{FIRST_PERSON}\s*(?:'ve|have)\s+got\s+(?:[\w-]+\s+){{1,4}}?"
        r"(?P<head>coming|booked\s+in)\b",
    ),
    (
        "first_person_progressive",
        "pending",
        False,
        rf"{FIRST_PERSON}\s*(?:'m|am|'re|are|is)\s+(?:now\s+|currently\s+|actively\s+|"
        rf"already\s+|also\s+)?(?P<head>{ACTION_ING})\b",
    ),
    (
        "let_me",
        "pending",
        False,
        r"\blet\s+(?:me|us)\s+(?!know\b|explain\b|say\b|apologi[sz]e\b|assure\b|be\b|"
        r"reassure\b|ask\b|clarify\b|remind\b|point\b|mention\b|note\b)(?P<head>\w+)",
    ),
    (
        "you_will_receive",
        "pending",
        False,
        rf"{_YOU_WILL}(?P<head>receive|hear)\b",
    ),
    (
        "you_will_see_money",
        "pending",
        False,
        rf"{_YOU_WILL}(?P<head>see|notice)\b(?={_MONEY_BACK})",
    ),
    (
        # "..., and you'll see it within 3 days": the act before it, arriving (see _merge)
        "you_will_see_it",
        "pending",
        True,
        rf"{_YOU_WILL}(?P<head>see|notice)\s+(?:it|them)\b",
    ),
    (
        "it_will_show",
        "pending",
        True,
        r"\b(?:it|they|the\s+(?:money|refund|credit|funds))\s*(?:'ll|will|should)\s+"
        r"(?P<head>appear|show|reflect)\b",
    ),
    (
        "you_will_get",
        "pending",
        True,
        rf"{_YOU_WILL}(?P<head>get|have(?!\s+(?:received|got|gotten|to|been)\b))\b"
        r"(?!\s+(?:the|an?)\s+(?:\w+\s+)?(?:option|chance|choice|ability|opportunity|results?)\b)",
    ),
    (
        "expect",
        "pending",
        False,
        r"(?:\b(?:you\s+can|please|you\s+should|you'll)\s+|^)(?P<head>expect)\b(?!\s+(?:some\s+|a\s+few\s+|"
        r"minor\s+|longer\s+|slight\s+|further\s+)?(?:delays?|disruptions?|issues|problems|outages?|"
        r"longer|waits?|interruptions?)\b)",
    ),
    (
        "passive_future",
        "pending",
        True,
        rf"\b(?:will|'ll|shall|should|is going to|are going to)\s+(?:{ADVERB}\s+)*be\s+"
        r"(?:\w+ly\s+)?(?:auto-?)?(?P<head>\w+(?:ed|en)|sent|put|set|made|paid|(?:re-?)?done)\b",
    ),
    (
        "third_person_future",
        "pending",
        False,
        r"(?:'ll|\bwill|\bshall|(?<!\bthat\s)(?<!\bthis\s)\bshould(?!\s+have\b|'ve)|"
        r"(?<!\bi\s)(?<!\bwe\s)(?<!\byou\s)\b(?:is|are|'s|'re)\s+going\s+to)\s+"
        r"(?!not\b|never\b)"
        rf"(?:{ADVERB}\s+)*(?P<head>{_THIRD_PERSON_BE}|\w+\b(?<!\bbe))(?!\s+\w+ed\b)",
    ),
    (
        "scheduled",
        "pending",
        False,
        rf"\b{_NOT_AFTER_DETERMINER}(?P<head>goes\s+(?:out|live)|go\s+(?:out|live)|ships|leaves|"
        r"arrives|returns(?=\s+(?:on|to|by|at|in|tomorrow|today|tonight|next|this|\w+day)\b)|"
        r"comes\s+back|visits|"
        rf"(?:is|are)\s+(?:due|scheduled|set)\s+to\s+(?!{_DETERMINER}))",
    ),
    (
        # "Tonight our billing team re-runs your invoice": a present tense naming a time
        "scheduled_timed",
        "if timed",
        False,
        rf"\b{_NOT_AFTER_DETERMINER}{_NOT_AFTER_HABIT}(?P<head>re-?runs|reissues|reconnects|replaces|"
        r"(?:calls|rings|phones)(?=\s+you\b)|goes\s+back|picks\s+up|comes\s+(?:out|round|over|by)|"
        r"gets\s+a\s+call(?=\s+from\s+(?:me|us)\b)|"
        r"gets\s+(?:collected|delivered|fixed|replaced|refunded|credited|sent|picked\s+up)|"
        r"gets\s+(?:[\w$£€.,'-]+\s+){1,4}?(?:reversed|refunded|credited|fixed|replaced|waived))\b",
    ),
    (
        "third_person_progressive",
        "pending",
        False,
        r"(?<!\byou)(?<!\byou\s)\b(?:is|are|'s|'re)\s+(?:now\s+|currently\s+|already\s+)?"
        r"(?P<head>leaving|arriving|calling|ringing|phoning|emailing|texting|collecting|"
        r"rebuilding|re-?running|restoring|repairing|replacing|re-?issuing|re-?sending|refunding|"
        r"crediting|auditing|rolling out|deploying|patching|coming out|coming by|coming back|"
        r"coming round|coming over|going back|adding|working\s+on\s+(?:a\s+|the\s+)?fix|"
        r"replaying|reprocessing|fixing|correcting|reconnecting|reinstating|resetting|"
        r"shipping|going out|heading|bringing|coming your way|coming to you|being\s+"
        r"(?!(?:charged|billed|overcharged|affected|blocked|refused|held|delayed|asked|told|kept)\b)"
        r"(?:\w+(?:ed|en)|sent|set))\b",
    ),
    (
        "coming_your_way",
        "pending",
        False,
        r"\b(?P<head>coming\s+(?:your\s+way|to\s+you))\b",
    ),
    (
        "while_we",
        "pending",
        False,
        rf"\bwhile\s+{FIRST_PERSON}\s+(?P<head>look|investigate|work|check|review|sort|fix)\b",
    ),
    ("next_update", "pending", False, r"\bnext\s+(?P<head>update)\b"),
    (
        "noun_with_time",
        "pending",
        False,
        r"^\W*(?:(?:a|your|the|full|next)\s+)?(?P<head>refund|replacement|credit|fix|update|"
        r"callback|call|install(?:ation)?|visit|delivery|collection|pick-?up)\s*(?::\s*(?=\w)|"
        r"\s(?:by|within|today|tomorrow|tonight|in|on(?=\s+(?:\w+day|the\s+\d|\d|"
        r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)))\b)",
    ),
    (
        # "Your callback: tomorrow, 2pm." (the time is the next chunk, after the colon)
        "noun_heading",
        "if timed",
        False,
        r"^\W*(?:(?:a|your|the|next)\s+)?(?P<head>callback|call|visit|install(?:ation)?|delivery|"
        r"collection|pick-?up)\W*$",
    ),
    (
        "to_follow",
        "pending",
        True,
        r"(?:^|[,;:–—-]\s*)\W*(?:[\w-]+\s+){0,3}?(?P<head>to\s+follow)\b",
    ),
    (
        "intends_to",
        "pending",
        False,
        r"(?<!\byou)\sexpects?\s+(?!(?:you|delays?|disruptions?|issues|problems|some|more|"
        r"further|longer)\b)(?:(?:the|your|all|every)\s+)?(?:[\w-]+\s+){0,2}?[\w-]+\s+to\s+"
        r"(?P<expected>\w+)|"
        r"(?:(?<!\byou)(?<!\byour)(?<!\bthe)(?<!\ba)\s(?:expects?|plans?|aims?|intends?)|"
        r"(?:'re|\bare|'m|\bam)\s+(?:aiming|planning|intending)|\b(?:the\s+|our\s+|my\s+)?plan\s+is)"
        r"\s+to\s+(?P<head>[a-z]\w*)|"
        r"(?:'re|\bare|'m|\bam)\s+(?:targeting|aiming\s+for)\s+(?:a\s+|the\s+)?(?P<target>fix|release|"
        r"patch|resolution)\b",
    ),
    (
        "first_person_perfect",
        "done",
        False,
        rf"{FIRST_PERSON}\s*(?:have|'ve|has)\s+(?:{ADVERB}\s+)*(?P<head>{DONE_VERBS}|assigned)\b",
    ),
    (
        "first_person_past",
        "done",
        False,
        rf"{FIRST_PERSON}\s+(?:{ADVERB}\s+)*(?P<head>{DONE_VERBS})\b",
    ),
    (
        "passive_done",
        "done",
        True,
        r"\b(?:has|have|had|'s|'ve)\s+(?:now\s+|already\s+|just\s+|also\s+|fully\s+)*been\s+"
        rf"(?:now\s+|already\s+|fully\s+)*(?P<head>{PASSIVE_DONE})\b|"
        r"\b(?:was|were)\s+(?:now\s+|already\s+|just\s+|also\s+|fully\s+)*"
        rf"(?P<past>{PASSIVE_DONE})\b|"
        rf"{_NOT_AFTER_PROBLEM}\b(?:is|are|'s|'re)\s+(?:now\s+|already\s+|all\s+|fully\s+)*"
        rf"(?P<present>{PRESENT_DONE})\b",
    ),
    (
        "elliptical_done",
        "done",
        True,
        r"^\W*(?!(?:i|we|you|they|he|she|it)\b)(?:[\w$£€.,-]+\s+){0,2}?"
        r"(?P<head>fixed|sorted|resolved|updated|restored|renewed|refunded|corrected|done|"
        r"rebooked|reissued|reset|unlocked|unblocked|reopened|reinstated|reactivated|"
        r"cancell?ed|replaced|credited|waived|reversed|re-?enabled|applied|issued|dispatched|"
        r"processed|escalated|rescheduled|reverted|rolled\s+back|re-?sent|sent|emailed|"
        r"paused|installed|deployed|restarted|re-\w+ed)\b"
        r"(?:\s+(?:it|them|this|that|both|everything))?(?:\s+(?:now|already|today|this\s+morning|"
        r"earlier|yesterday|at\s+\d{1,2}(?::\d\d)?(?:\s?[ap]m)?))?"
        r"(?:\s+(?:on|to|in|for|from)\s+(?:your|the)\s+[\w-]+(?:\s+[\w-]+)?)?\W*$",
    ),
    (
        "list_item_done",
        "done",
        False,
        rf"^[\s\d.)•*-]*(?P<head>{DONE_VERBS})\b(?!\s+(?:to|by)\b)"
        r"(?!\s+(?!(?:it|them|this|that|both|all|everything|now|today|already)\b)\w+\W*$)",
    ),
    (
        "shipped_itself",
        "done",
        False,
        r"\b(?:(?:order|package|parcel|item|replacement|refund|card|it)|(?:new|replacement|"
        r"corrected|revised)\s+[\w-]+(?:\s+[\w-]+)?)\s+(?P<head>shipped|went out|was dispatched|"
        r"was sent|left|(?:is|are)\s+(?:now\s+)?in\s+your\s+(?:inbox|portal|account|dropbox))\b",
    ),
    (
        "ready_for_you",
        "done",
        False,
        r"\b(?:is|are|'s|'re)\s+(?:now\s+)?(?P<head>ready\s+(?:for\s+(?:pickup|pick-up|collection)|"
        r"to\s+collect)|waiting\s+for\s+you|(?:waiting\s+)?at\s+(?:reception|the\s+(?:front\s+)?desk|"
        r"the\s+counter))\b",
    ),
    (
        "on_its_way",
        "settling",
        True,
        r"\b(?P<head>on\s+(?:its|the|their)\s+way|in\s+the\s+(?:post|mail)|out\s+for\s+delivery)\b",
    ),
    (
        "booked_for",
        "settling",
        False,
        r"\b(?:is|are|'s|'re)\s+(?:now\s+)?(?P<head>booked|scheduled|set)\s+(?:for|to)\b",
    ),
    (
        "gift",
        "done",
        True,
        rf"\b(?P<head>(?:there's|there\s+is|here's|here\s+is)(?!\s+no\b)(?!{_INFO})|"
        r"(?:please\s+)?enjoy|"
        r"(?<!\bthat\s)(?<!\bwhich\s)(?<!\bthis\s)(?<!\bit\s)(?<!\bcharge\s)(?<!\bmistake\s)"
        r"(?<!\berror\s)(?<!\bthis\sone\s)(?<!\bthat\sone\s)"
        r"(?:is|are|will\s+be)\s+(?:fully\s+)?(?:on\s+us|free|at\s+our\s+(?:cost|expense)|"
        rf"complimentary|covered)|(?:has|have)\s+(?:a|an)\b(?!{_INFO})|"
        r"with\b[^,.;]{1,40}?\bincluded|(?<!\bto\s)(?<!\bcan\s)(?<!members\s)(?<!customers\s)"
        r"(?<!users\s)(?<!guests\s)(?<!subscribers\s)\bgets?\b[^,.;]{0,40}\bfree\b)",
    ),
    (
        "offer",
        "pending",
        True,
        rf"{FIRST_PERSON}\s*(?:'d|would)\s+(?:like|love)\s+to\s+(?P<head>\w+)",
    ),
    (
        "we_can",
        "if timed",
        False,
        rf"{FIRST_PERSON}\s*can\s+(?!not\b)(?:{ADVERB}\s+)*(?P<head>[\w'-]+)",
    ),
    (
        "look_out_for",
        "if timed",
        False,
        r"(?:^|\bplease\s+|\bdo\s+)(?P<head>look out|watch out|watch|keep an eye out)\s+for\b",
    ),
)
# Lower-case substrings a trigger cannot match without: a chunk skips the rest.
_PAST = ("ed", "sent", "set", "made", "built", "rolled", "taken", "paid", "put")
TRIGGER_CUES: dict[str, tuple[str, ...]] = {
    "first_person_future": ("'ll", "will", "shall", "going to", "gonna"),
    "not_charging": ("won't", "will not", "be no"),
    "got_coming": ("got ",),
    "first_person_progressive": ("i'm", "i am", "we're", "we are", "our "),
    "let_me": ("let ",),
    "you_will_receive": ("you'll", "you will", "you should", "you're going", "you are going"),
    "you_will_see_money": ("you'll", "you will", "you should", "you're going", "you are going"),
    "you_will_see_it": ("you'll", "you will", "you should", "you're going", "you are going"),
    "it_will_show": ("appear", "show", "reflect"),
    "you_will_get": ("you'll", "you will", "you should", "you're going", "you are going"),
    "expect": ("expect",),
    "passive_future": (" be ",),
    "third_person_future": ("'ll", "will", "shall", "should", "going to"),
    "scheduled": ("goes", "go out", "go live", "ships", "leaves", "arrives", "due to",
                  "scheduled", "set to", "returns", "comes back", "visits"),
    "scheduled_timed": ("runs", "reissues", "reconnects", "replaces", "calls", "rings", "phones",
                        "goes back", "picks up", "gets ", "comes "),
    "third_person_progressive": ("leaving", "arriving", "shipping", "going out", "going back",
                                 "heading", "bringing", "coming", "being ", "calling", "ringing",
                                 "phoning", "emailing", "texting", "collecting", "rebuilding",
                                 "running", "adding", "replaying", "reprocessing", "fixing",
                                 "correcting", "reconnecting", "reinstating", "resetting",
                                 "restoring", "repairing", "replacing", "issuing", "sending",
                                 "refunding", "crediting", "auditing", "rolling out",
                                 "deploying", "patching", "working on"),
    "coming_your_way": ("coming",),
    "while_we": ("while",),
    "next_update": ("next",),
    "noun_with_time": ("refund", "replacement", "credit", "fix", "update", "call", "install",
                       "visit", "delivery", "collection", "pick"),
    "noun_heading": ("call", "visit", "install", "delivery", "collection", "pick"),
    "to_follow": ("to follow",),
    "intends_to": ("expect", "plan", "aim", "intend", "targeting"),
    "first_person_perfect": ("i've", "i have", "we've", "we have", "has ", "s have "),
    "first_person_past": ("i ", "we ", "our "),
    "passive_done": (*_PAST, "taken", "back", "done"),
    "elliptical_done": ("ed", "done", "reset"),
    "list_item_done": _PAST,
    "shipped_itself": ("shipped", "went out", "dispatched", "was sent", "left", "in your"),
    "ready_for_you": ("ready", "waiting", "reception", "desk", "counter"),
    "on_its_way": ("way", "post", "mail", "delivery"),
    "booked_for": ("booked", "scheduled", "set "),
    "gift": ("there", "here", "enjoy", "on us", "has a", "have a", "included", "free", "our cost",
             "our expense", "complimentary", "covered"),
    "offer": ("'d like", "would like", "'d love", "would love"),
    "we_can": (" can ",),
    "look_out_for": ("look out", "watch", "eye out"),
}  # fmt: skip
# Verbs that make a "will" a prediction, a pleasantry or an offer of availability
# rather than a commitment: a state ("be right here"), help in general ("we will assist",
# "we'll do our best"), a hedge ("try", "see if we can"), waiting on the customer.
NOT_AN_ACTION = re.compile(
    rf"(?:(?!{_THIRD_PERSON_BE})be\b|arrive on time|help|assist|support\s+you|happen|need|"
    r"have\s+to|want|hope|try|attempt|see\s+(?:if|what|whether|how)|do\s+(?:our|my)\s+best|"
    r"wait|keep\s+an\s+eye|look\s+out|watch\s+(?:out|for)|go\s+from\s+there|"
    r"take\s+it\s+from\s+there|point\s+you|see\b(?!\s+(?:you\s+(?:at|on|in|tomorrow|today|tonight|then|there|next|this)|to\s+it)\b)|for|as|and|or|but|so|if|to|in|on|at|by|with|able|require|include|contain|remain|allow|appear|"
    r"continue\s+to\s+be|"
    r"like|love|depend|mean|cost|take(?!\s+(?:[\w$£€.,%]+\s+){1,4}?(?:off|away|back)\b)|seem|look\s+like|"
    r"work|you|i|we|it|they|"
    r"apply(?!\s+(?:(?:a|an|the|your|this|that)\b|[$£€\d]))|not|"
    r"never|make\s+sure\s+(?:of\s+it|this|that|it)|ensure|ever|always|usually|normally|only|"
    r"look\s+at\s+(?:a\s+|an\s+|some\s+|the\s+)?(?:partial\s+|full\s+)?(?:refund|credit|compensation|"
    r"discount|gesture|goodwill)|"
    r"typically|generally|often|sometimes|most\s+likely|likely|probably|possibly|perhaps|stay|"
    r"confirm\s+(?:that\s+)?(?:our|we|i)|"
    r"confirm\s+that\s+(?:it|the|your|this)|absolutely\s+do)\b",
)
# Words that turn a reported past action into the description of the mistake.
PROBLEM_MARKERS = re.compile(
    r"(?<!\bfor\sthe\s)(?<!\bfor\syour\s)\b(?:wrong|instead of|by mistake|in error|twice|without|"
    r"sorry (?:that|it|this)|"
    r"incorrect\w*|accidentally|mistakenly|bug|error|typo|mistake|because|mixed up|which is why|"
    r"didn't|did not|"
    r"wasn't|failed|forgot|lost|misplaced|damaged|due to|caused by|mistyped|"
    r"to\s+(?:the|your|an)\s+(?:old|previous|former|wrong))\b",
)
# "I'll have a supervisor call you", "I've asked Royal Mail to return them": the kind
# is the delegated act, and a done delegation with a time is still to happen.
DELEGATION = re.compile(
    r"(?:have|has|had|ask|asked|asking|get|got|arrange(?:d)?\s+for|tell|told|send|sent|"
    r"loop(?:ed)?\s+in)\s+"
    r"(?!(?:it|this|that|your|you)\b)\w+\b[^,.;]{0,40}?\b(?:to\s+)?(?:be\s+)?"
    r"(?P<inner>call|phone|ring|email|text|contact|get back|follow up|fix|repair|change|"
    r"replace|refund|return|check|visit|come|re-?run|redo|remake|reprocess|resend|reconnect|"
    r"collect|pick up|deliver|install|reply|respond|re-?issue|courier|rebook|reschedule|"
    r"dropped off|delivered|collected|picked up|fitted|installed|repaired|replaced|dispatched|"
    r"shipped|sent|posted|couriered|re-?attempt)\b",
)
# The head verb decides the kind first (order matters: "update you" before "update").
HEAD_KINDS: tuple[tuple[PromiseKind, str], ...] = (
    # "you're confirmed on the 4:05pm", "supply will be back by 1pm": put right, not told
    (
        "fix",
        r"(?:confirmed|re-?booked) (?:on|onto|for|into)\b|"
        r"be (?:live|up and running)\b|"
        r"be back (?:up|online|by|within|to normal|"
        r"on(?!\s+your\s+(?:[\w-]+\s+)?(?:card|account|statement|bank|bill|invoice))|"
        r"in (?:your|the) "
        r"(?!(?:[\w-]+ )?(?:card|account|bank|statement|wallet|balance|inbox)\b))\b",
    ),
    ("fix", r"(?:file|submit|issue|make|send|lodge) (?:the |a |your )?correction\b"),
    (
        "callback",
        r"(?:calls?|phones?|rings?|called|phoned|rang|calling|telephon\w+|give you a (?:call|ring)|"
        r"(?:join|host|set up|book|schedule|arrange|hop on) (?:a|an|the) (?:[\w-]+ )?call)\b",
    ),
    (
        "update",
        r"(?:update you\b|updated you\b|keep(?:ing)? you|let you know|confirm\b|repl(?:y|ied)\b|"
        r"respond\b|let them know|get(?:ting)? back|"
        r"got back|follow(?:ed|ing)?[ -]up|report back|circle back|touch base|be in touch|"
        r"come back to you|ping you|drop you a (?:line|note|message)|check back|"
        r"share (?:an?\b|[^,.;]{1,30}? with you\b)|"
        r"post (?:here|in here|in this (?:thread|channel)|(?:a |an )?(?:note|message|reply))\b|"
        r"send (?:you )?(?:a |an )?(?:(?!corrected|revised|amended|reissued|new)[\w-]+ )?"
        r"(?:letter|text|message|note|dm|e-?mail|sms)\b|"
        r"hear from (?:us|me)|write (?:back )?to you|write (?:again|back)\b|"
        r"check(?:ing)? in|check(?:ed)? with|reach(?:ed)? out|post(?:ed)? an update|updating you|"
        r"emailed|texted|messaged|(?:e-?mail|text|message|dm|write to|contact|notify|inform) "
        r"(?:you|him|her|them|(?:mr|mrs|ms|dr)\.?\s+\w+)\b"
        rf"(?!\s+{_DETERMINER}(?!\s+(?:same\s+)?(?:{_DAY_PART}|moment|minute|second|instant)\b))"
        rf"|updates?\b(?!\s+{_DETERMINER})|(?:send|e-?mail|text|message|dm) you "
        r"(?:a |an |the |his |her |their |your )?"
        r"(?:[\w-]+ ){0,2}?(?:confirmation|update|summary|report|list|results|reminder|number|"
        r"outcome|photos?|pictures?|authori[sz]ation|approval|"
        r"details|breakdown|logs|findings|timeline|tracking|write-?up|notes|figures|"
        r"(?:written )?(?:response|decision)|(?:signed )?proof|reference)|"
        r"update (?:our|the|this) (?:[\w-]+ ){0,2}(?:status page|blog|thread|channel|website)|"
        r"publish|"
        r"sent you (?:a |an )?(?:dm|direct message|private message|pm|message|note|email|text)\b|"
        r"(?:send|post) (?:you |them |her |him )?(?:a |an |the |his |her |their |your )?"
        r"(?:[\w-]+ ){0,2}?(?:link|links|number|list|count|summary|write-?up|notes|feedback|"
        r"details)\b|"
        r"get you (?:the |her |his |their |your )?(?:[\w-]+ )?feedback\b"
        r")",
    ),
    (
        "other",
        r"(?:look(?:ing)? into|investigat|review|consider|assess|explore|escalat|pass|"
        r"flag\w*(?=[^,.;]{0,30}\b(?:with|to)\s+(?:the|our|my|a|them|him|her)\b))",  # escalate
    ),
    ("refund", r"push(?:ed|ing)?\s+(?:the\s+|your\s+)?(?:[$£€]\s?[\d.,]+\s+)?refund"),
    (
        "credit",
        r"reimburs\w*\s+(?:you\s+(?:for\s+)?)?(?:the\s+|your\s+)?(?:[\w-]+\s+)?(?:taxi|cab|uber|"
        r"hotel|meals?|essentials|expenses)\b",
    ),
    (
        "refund",
        r"(?:refund|reimburs|revers|pay you back|paid you back|paid out|void|repa(?:y|id)|"
        r"go(?:es|ing)? back (?:to|on(?:to)?) your (?:[\w-]+ )?(?:card|account|bank|visa|"
        r"mastercard|amex|wallet|statement)|"
        r"return(?:ed)? to your (?:[\w-]+ )?(?:card|account|bank|visa|mastercard|wallet))",
    ),
    (
        "credit",
        r"(?:waiv|(?:won't|will not) (?:be )?(?:charg|bill)|"
        r"no (?:[\w-]+ ){0,2}?(?:charge|fee|cost)\b|"
        r"comp(?:ed)?\b|knock|upgrad|discount|"
        r"make sure (?:that )?(?:you're|you are|you) (?:not|never|aren't|won't be) (?:charg|bill)|"
        r"cover|paid for|pay for|top(?:ped)? up|"
        r"pa(?:y|id|ying) (?:the |your |their |her |his )?(?:[\w$£€.,'-]+ ){0,5}?(?:bill|fee|fees|"
        r"penalty|charge|cost|invoice|excess)\b|paus\w* (?:[\w'$£€.,]+ ){0,3}?(?:charge|billing|"
        r"payment|subscription|rental|fee)\b|"
        r"tak(?:e|ing|en)\s+(?:[\w$£€.,']+\s+){1,4}?off\b|"
        r"extend\w*\s+(?:[\w-]+\s+){0,3}?(?:membership|subscription|plan|trial|warranty)|"
        r"credit(?!.*\bback\b))",
    ),
    ("refund", r"credit"),
    ("fix", r"reissu\w*(?=.*\bcorrect)"),
    ("fix", r"re-?issu\w*(?=.*\b(?:bill|invoice|statement)\b)"),
    (
        "replacement",
        r"(?:replac|reship|re-ship|resend|re-send|resent|re-sent|reissu|re-issu|reprint|remake|"
        r"remade|swap|exchang|re-?order)",
    ),
    (
        "fix",
        r"(?:fix|fitt?(?:ed|ing)?\b|patch|resolv|correct|repair|sort|switch|revert|rebill|lift|"
        r"resum|rotat|redo\w*|redone|re-?calibrat|"
        r"turn(?:ed)? off|"
        r"turn(?:ed)? (?:[\w-]+ ){0,3}?back on|"
        r"(?:put|make) (?:it|this|that|things) right|"
        r"get (?:it|this|that|things) (?:sorted|fixed|resolved)|"
        r"restor|reopen|re-open|reinstat|rebook|re-book|reschedul|re-add|"
        r"added (?:it|them) back|claw|roll(?:ing|ed)? (?:out (?:the|a) fix|(?:\w+ ){0,2}back)|"
        r"deploy|relabel|re-label|rework|re-?enabl|set\b|moved?\b|book|find|found|chang|updat|"
        r"adjust|unlock|unblock|"
        r"reactivat|remov|work(?:ing)? (?:on (?:a |the )?fix|to (?:fix|resolve|restore|repair))|"
        r"flag|submit|rebuil|renew|regenerat|"
        r"cancel|"
        r"push|return|relocat|back\b|releas|reassign|reconnect|restart|reset|resubmit|reprocess|"
        r"put\b.*\bback\b|get (?:\w+ )?back (?:up|online|on track|to normal)|adjust|secur|"
        r"delet|extend|enabl|rewir|lock|re-?run|reconnect|re-\w+|wash|polish|clean|requeu|"
        r"re(?:seal|wash|clean|paint|glue|stitch|hang|lay|grout|align|tune|key))",
    ),
)
# Otherwise the nouns of the clause decide, in this order.
# (kind, cues, pattern): a pattern runs only when one of its lower-case cues is present.
NOUN_KINDS: tuple[tuple[PromiseKind, tuple[str, ...], str], ...] = (
    # When something will arrive is news, whoever brings it ("the technician's arrival window").
    (
        "update",
        ("eta", "window", "slot", "arrival time", "delivery time", "tracking", "from us",
         "from me", "from our", "from the", "from your"),
        r"\beta\b|\b(?:arrival|delivery|time) (?:window|slot|time)s?\b|"
        r"\b(?:sms|text|e-?mail|letter|message)\s+from\s+(?:us|me|our|the|your)\b|"
        r"\btracking (?:link|number|details|info\w*|code|email|will|should|to follow)\b",
    ),
    ("replacement", ("missing",), r"\bsen(?:d|t|ding) (?:you )?(?:the|a|your) missing\b"),
    ("fix", ("missing",), r"\bmissing\b"),
    (
        "refund",
        ("refund", "reimburs", "back", "be in your", "be on your", "returned"),
        r"\brefund\w*(?!\s+(?:polic\w*|form|options?|page|process|section|link|button|rules|terms|"
        r"window|eligibility)\b)|\breimburse\w*|\bmoney back\b|\bback (?:on|to|in|into) your "
        r"(?:(?:credit |debit )?card|account|bank|statement|visa|mastercard|amex|paypal|"
        r"(?:original )?payment method)\b|(?:[$£€]\s?\d[\d,.]*|\bmoney)\b[^.;]{0,30}\bback\b|"
        r"[$£€₹]\s?\d[\d,.]*\s+(?:will|should)\s+be\s+(?:in|on)\s+your\s+(?:account|card|bank)\b|"
        r"\b(?:deposit|fee|charge|payment)s?\s+(?:will\s+be|is\s+being|has\s+been)\s+returned\b",
    ),
    (
        "credit",
        ("credit", "discount", "off", "voucher", "coupon", "gift card", "promo", "free",
         "complimentary", "on us", "no ", "miles", "points", "gems", "goodwill", "compensation",
         "our cost", "our expense", "payment of", "transfer", "included", "on the house", "bonus",
         "extra", "apology", "gesture"),
        r"\bcredit\b|\bdiscount\w*|\d+\s*%\s*off\b|[$£€]\s?\d[\d,.]*\s+off\b|\bvouchers?\b|"
        r"\bcoupons?\b|\bgift card|\bpromo(?:tional)? code|\bfree\b(?!\s+(?:to|replacement)\b)|"
        r"\bcomplimentary\b|\bon us\b|\bat no (?:extra )?(?:charge|cost)\b|\bmiles\b|"
        r"\bpoints\b|\bgems\b|\bgoodwill\b|\bcompensation\b|\bat our (?:cost|expense)\b|"
        r"\bpayment of\b|\btransfer\w*\s+[$£€]|\bincluded\b|\bon the house\b|\bbonus\b|"
        r"\bextra\s+\d+\s*(?:gb|mb|minutes|mins|days|weeks|months)\b|\bas an apology\b|"
        r"\bgoodwill gesture\b|\bgesture of goodwill\b",
    ),
    (
        "replacement",
        ("replacement", "new ", "another", " one", "fresh ", "right ", "correct", "send ",
         "duplicate", "post", "ship", "mail", "revised", "reprinted", "reissued", "amended",
         "reprogrammed", "re-"),
        r"\breplacement\b|\bnew (?:one|cards?|pair|unit|device|item|part|set|cop(?:y|ies))\b|"
        r"\banother one\b|\bduplicate (?:copy|title|certificate|key|card|licen[cs]e|document)\b|"
        r"\bthe (?!other\b)[\w-]+ one (?:will|should|is|'ll)\b|"
        r"\b(?:corrected|revised|reprinted|reissued|amended|updated)\s+(?:[\w-]+\s+)?(?:certificates?|"
        r"bills?|invoices?|statements?|cards?|transcripts?|letters?|documents?|tickets?|payslips?|"
        r"cop(?:y|ies)|pdfs?|receipts?|report card|forms?|contracts?|labels?|one|pair|versions?|"
        r"set|sheets?)\b|"
        r"\b(?:reprogrammed|re-\w+ed|reprinted)\s+(?:[\w-]+\s+)?(?:one|pair|unit|set|copy|item)\b|"
        r"\bfresh \w+|\b(?:right|correct)\s+(?!address|number|date|time|amount|price|rate|"
        r"details|way|direction|place|person|team|track|here|there|now|away|after|before|corner|"
        r"side|hand|click)\w+|\b(?:send|post|ship|mail)\w*\s+(?:you\s+)?(?:one|another)\b|"
        r"\b(?:send|get|post|ship|mail|deliver|courier|dispatch|order)\w*\s+(?:you\s+)?(?:out\s+)?an?"
        r"\s+new\b|"
        # a new or corrected item on its way: "your new router ships today"
        r"\b(?:new|corrected)\s+\w+(?:\s+\w+){0,2}?\s+(?:ships|is shipping|is on its way|"
        r"is leaving|went out|was sent|will be with you|will arrive|arrives|"
        r"(?:will|is being) (?:ship|go out|be )?"
        r"(?:sent|shipped|couriered|dispatched|posted|delivered|mailed))\b|"
        r"\b(?:ship|dispatch|courier|post)\w*\s+(?:you\s+)?(?:out\s+)?(?:a|the|your)\s+"
        r"(?:new|corrected)\b",
    ),
    (
        "fix",
        ("fix", "patch", "repair", "again", "normal", "technician", "plumber", "electrician",
         "mechanic", "restorer"),
        r"\b(?:the|a|permanent|full|proper)\s+(?:hot ?fix|fix|patch|bug ?fix)\b|"
        r"\b(?:hot ?fix|fix|patch)\s+(?:is|has|was|will)\b|"
        r"\bpatched (?:build|version|release|app)\b|\brepair\b|\bagain\b|\bback to normal\b|"
        r"\b(?:technician|plumber|electrician|mechanic|restorer)s?\b|\bto\s+(?:fix|repair)\b",
    ),
    (
        "update",
        ("updat", "confirm", "status", "news", "answer", "decision", "outcome", "write-up",
         "report", "summary", "breakdown", "mortem", "statement", "receipt", "ticket",
         "boarding pass", "bill", "account of", "tracking", "log", "itinerary", "rca", "by e",
         "by text", "by sms", "a text", "an sms", "an email", "an e-mail"),
        r"\bupdated?\b|\bupdates\b|\bconfirmation\b|\bconfirm\b|\bstatus\b|\bnews\b|"
        r"\b(?:an|the) answers?\b|\b(?:get|receive|hear|with) (?:our|the) (?:decision|outcome)\b|"
        r"\bwrite-up\b|\breport\b|\bsummary\b|\bbreakdown\b|"
        r"\bpost-?mortem\b|\bstatement\b|\breceipts?\b|\btickets?\b|\bboarding pass|\bbill\b|"
        r"\baccount of\b|\bhave tracking\b|\blog\b|\bitinerary\b|\brca\b|"
        r"\bby (?:e-?mail|text|sms)\b|\b(?:a|an) (?:text|sms|e-?mail)(?: message)?\b",
    ),
    ("callback", ("call",), r"\b(?:a|your) (?:call|callback|phone call|call back)\b"),
)  # fmt: skip
# Steps agents name before the real promise ("I'll check and get back to you").
PREPARATORY = re.compile(
    r"(?:check|look|sort|review|investigate|recalculate|chase|find out|dig|confirm|verify|"
    r"double-check|speak|talk|ask)\w*\b|"
    # ... or contacts someone else first ("follow up with the store and email you")
    r"(?:follow(?:ing)?[ -]up|get(?:ting)? in touch|liais\w*)\s+with\b|"
    r"(?:contact(?:ing)?|reach(?:ing)? out to)\s+(?!you\b)",
)
# "Your deposit will be returned": a "return" head whose nouns name money is a refund.
_RETURNED = re.compile(r"return")
# A mention followed by its verb is that verb's subject (not one addressed: "<@U1> I'll ...").
_MENTION = re.compile(
    r"<@[A-Z0-9]{2,}(?:\|[^>]*)?>(?=\s+(?:will|'ll|has|have|had|is|are|was|can|should|already)\b)",
    re.I,
)
# "... will be there at 9 to reseal the gaps": someone coming, and what they come to do.
_COMING = re.compile(
    r"(?:be\s+(?:there|here|with\s+you|at\s+your|out|round|over|back)|come|coming|visit|head|"
    r"on\s+(?:his|her|their|its|my|our)\s+way)\b"
)
_PURPOSE = re.compile(r"\bto\s+(?=[a-z])")
# Heads that, naming nothing the nouns recognise, still change something for the customer.
FIX_BY_DEFAULT = re.compile(r"(?:add|added|arrang|set up|install|introduc|implement|put)")
# A shared-subject "... and confirm by Thursday" closes the act before it.
_CONFIRMS = re.compile(r"confirm\b")
# Chunk boundaries inside a sentence.
# Each starts on its punctuation or conjunction, so the scan skips plain words quickly.
_CHUNK_BREAK = re.compile(
    r"[;:](?=\s)|,(?=\s)(?:\s+(?:and|but|so|then|plus)\b)?|(?<=\s)[–—-](?=\s)|"
    r"(?<=\s)(?<!ahead\s)(?:and|but|so|plus)\s+(?:then\s+|also\s+)?(?=(?:i|i'\w+|we|we'\w+|"
    r"you|you'\w+|it|it's|they|our|my|your|the|this|that|these|a|an|he|she|there|will|should|"
    r"arrives|ships|"
    rf"{DONE_VERBS}|{BASE_VERBS})\b)",
)
_CONJOINED_DONE = re.compile(rf"(?:also\s+|then\s+)?(?P<head>{DONE_VERBS})\b")
_CONJOINED_BASE = re.compile(rf"(?:also\s+|then\s+)?(?P<head>{BASE_VERBS})\b")
# A bare verb whose object goes to us is what the customer does next, not our act.
_CUSTOMERS_PART = re.compile(
    r"\W*(?:just\s+|please\s+)?(?:send|e-?mail|forward|bring|post|return|upload|text|dm|message|"
    r"pass|hand|give|show)\s+(?:(?:me|us)\b|[^,.;]{0,40}?\bto\s+(?:me|us)\b)"
)
# "I've suspended the driver, refunded the fare": a reported act shares the opening subject.
_PERFECT_OPENING = re.compile(
    rf"{FIRST_PERSON}\s*(?:have|'ve)\s+(?!been\b)(?:{ADVERB}\s+)*\w+(?:ed|en|t)\b"
)
# A sentence that swears "never again" is an overpromise, not a commitment to act.
_NEVER_AGAIN = re.compile(r"\bnever\b|\b(?:ever|not|n't)\b[^.!?]*\bagain\b")
# Before a third-person "will": the customer's own to-do, or a guarantee (an overpromise).
_THIRD_PERSON_EXCEPTIONS = re.compile(
    r"\byou\s*$|\b(?:guarantee|assure you|promise you)\b|"
    r"\byour\s+(?:bank|card\s+issuer|card\s+provider|provider|network)\s*$"
)
_NO_GUARANTEE = re.compile(
    r"\b(?:can't|cannot|can\s+not|unable\s+to)\s+guarantee\b|\bno\s+guarantee\b"
)
# Someone else's account of what will happen, and the standing terms of a free service.
_REPORTED = re.compile(r"\b(?:says|said|reports|reported|tells\s+us|told\s+us)\b")
_STANDING_TERMS = re.compile(
    r"\b(?:polic\w*|terms|conditions|within\s+\d+\s+days|orders?\s+over)\b"
)
# A present tense in a sentence about what usually happens describes, it does not schedule.
_HABITUAL = re.compile(rf"\b(?:{'|'.join(_HABIT_WORDS)}|sometimes|often)\b")
_SCHEDULES = frozenset({"scheduled", "scheduled_timed"})
# "I've added a $15 credit for the days without service": a gesture, whatever it mends.
_GESTURE_GIVEN = re.compile(
    r"\b(?:a|an|the|your)\s+(?:[$£€]\s?[\d.,]+\s+)?(?:[\w-]+\s+)?(?:credit|voucher|discount|"
    r"goodwill\s+(?:gesture|payment))\b"
)
_CONCESSIVE = re.compile(r"\b(?:even\s+though|although|even\s+if)\b")
_AS_A_RULE = re.compile(r"\b(?:automatically|usually|normally|always|under\s+our)\b")
# "before any cache change ships": a present tense inside a time clause schedules nothing.
_SUBORDINATE = re.compile(r"\b(?:before|after|until|till|when|whenever|once|if|unless)\b")
_SUBORDINATE_REACH = 40
# "... replaces plants within 14 days if you bring the receipt": a rule the customer invokes.
_IF_YOU = re.compile(r"\b(?:if|as\s+long\s+as|provided)\s+you\b")
# Before a commitment: a hope, not a commitment or a report.
_HEDGE = re.compile(r"\b(?:hopefully|hope|hoping|fingers crossed|crossing (?:our|my) fingers)\b")
# "...is on its way and should arrive by Tuesday" is one promise, due when it arrives.
_MODAL_START = re.compile(r"(?:will|should|arrives|ships|expect)\b")
_BARE_MODAL = re.compile(r"(?:will|should)\b")
_ON_ITS_WAY = re.compile(next(p for n, _, _, p in TRIGGERS if n == "on_its_way"))
# "A full refund has been initiated and should reflect in 3-5 business days": one promise.
_THINGS_THAT_ARRIVE = frozenset({"refund", "credit", "replacement"})
# ", which will reach your account by Friday" belongs to the act before it.
_RELATIVE = re.compile(r"(?:which|who)\b")
_RELATIVE_ARRIVAL = re.compile(
    r"which\s+(?:will|should|'ll)\s+(?:\w+\s+)?(?:appear|show|arrive|reach|land|be\s+(?:back|in|on))\b|"
    r"which\s+you(?:'ll|\s+will|\s+should)\s+(?:see|get|receive|have)\b"
)
# "They'll show in your app within 24 hours" continues the clause before it.
_ARRIVING = r"(?:it|they|the\s+(?:money|funds|amount|refund|credit))"
_ANAPHORIC_FUTURE = re.compile(
    rf"{_ARRIVING}\s*(?:'ll|will|should|arrives?|reaches?|lands?|gets?\s+to\s+you)\b"
)
# "I've refunded the $38, and you'll see it within 3-5 business days": the refund, arriving.
_ARRIVES = re.compile(
    rf"{_ARRIVING}\s*(?:'ll|will|should)\b|"
    r"(?:[\w-]+\s+){1,2}?(?:will|'ll|should)\s+(?:deliver|bring|drop\s+off)\s+(?:it|them)\b|"
    rf"you\s*(?:'ll|will|should)\s+(?:see|get|receive|have)\s+(?:{_ARRIVING}|them|[$£€])"
)
# "We've sent a set out today, and you'll have them by Wednesday": whatever was sent, arriving.
_SENT_OUT = re.compile(r"(?:sent|shipped|posted|dispatched|couriered|sending|shipping|posting)\b")
# "I'm sending the refund today, and it should land by Friday": what was sent, arriving.
_LANDS = re.compile(r"\s+(?:\w+\s+)?(?:land|arrive|reach|show|appear|be\s+(?:in|with|back))\b")
_AMOUNT_FUTURE = re.compile(
    r"the\s+(?:full\s+|whole\s+|remaining\s+)?[$£€₹]\s?\d[\d,.]*\s*(?:'ll|will|should)\b"
)
_CHARGE = re.compile(r"\b(?:bill|fee|charge|payment|transaction|invoice)s?\b")
# "I've chased the repairer and they'll repair the chip on Wednesday": two acts, two promises.
_HANDED_ON = re.compile(r"(?:chased|escalated|passed|flagged|forwarded|asked|contacted|assigned)\b")
# "I've reinstated the order, and your tickets will be in the app by 8pm": the act, done then.
_OUTCOME = re.compile(
    r"(?:your|the)\s+(?:[\w-]+\s+){1,2}?(?:will|should|'ll)\s+be\s+(?:active|live|back|ready|in|on|"
    r"available|working|restored|showing|visible)\b"
)
# "I've reversed the fee, so it'll drop off within 2 days": the same act, arriving.
_CONSEQUENCE = re.compile(r"\bso\b")
# A sentence opening on the customer's choice ("If you'd like, ...") offers, not promises.
# "Hi Sofia, if ...", "@sofia_k if ...": a greeting or a handle before the condition.
_GREETING = (
    r"\W*(?:@\w+\s+)?(?:(?:hi|hello|hey|dear|morning|afternoon|evening)\b[^,!?\n]{0,30},\s*)?"
)
_CUSTOMERS_CHOICE = re.compile(rf"{_GREETING}(?:if|should|whenever|when|once)\s+you\b")
# A rule for any such case, not a promise for this one: "should an order ever arrive ...".
_STANDING_RULE = re.compile(
    rf"{_GREETING}(?:should|if|whenever|in case)\b[^,.;]{{0,60}}\bever\b|"
    # "When a channel is terminated, you'll receive an email": any such case, a rule
    rf"{_GREETING}(?:when|whenever|once|if)\s+(?:(?:a|an|any)\s+\w+(?:\s+\w+)?|anything|something)"
    r"\s+(?:is|are|gets?)\b"
)
# "Let me know and I'll check", "if it hasn't come by Monday, reply here and we'll open a
# claim": the act waits on the customer, so it promises only with a time of its own.
_ON_CUSTOMERS_WORD = re.compile(
    r"\blet\s+(?:me|us)\s+know\b[^.!?]{0,60}?\b(?:and|if)\b|"
    r"(?:^|[,;:]\s*|\bplease\s+|\bjust\s+)(?:give\s+(?:us|me)\s+a\s+(?:ring|call|shout)|call|ring|"
    r"phone|reply|respond|dm|message|email|write|get\s+in\s+touch|send\s+(?:us|me)|sign\s+up|"
    r"register|subscribe|fill\s+(?:in|out)|submit|upload)\b[^.!?]{0,60}?"
    r"\band\s+(?:i|we)\b"
)
# "If the courier still hasn't come by 6pm, call us and ...": a fallback for a failure that
# may never happen promises nothing yet.
_FAILURE_CONDITION = re.compile(
    rf"{_GREETING}(?:if|should)\s+(?:the|your|yours|it|they|this|that)\b[^,]{{0,80}}?\b(?:hasn't|has\s+not|"
    r"isn't|is\s+not|'s\s+not|doesn't|does\s+not|didn't|haven't|aren't|won't|can't|still|fails?|"
    r"again|keeps?\s+\w+ing|"
    r"breaks?|stops?|stalls?|recurs?|persists?|leaks?|too\s+\w+|(?:is|are|gets?)\s+(?:repaired|fixed|"
    r"approved|available|in\s+stock|back\s+in\s+stock))\b"
)
# "We'll reimburse them once you submit them": owed only with a time, like the above.
_AFTER_CUSTOMER = re.compile(r"\b(?:once|when|after|as\s+soon\s+as)\s+you(?:'ve|\s+have)?\s+\w+")
_BEING = re.compile(r"being\s+")
# A chunk that sets a condition for the next one: "and if it isn't", "otherwise".
_FALLBACK = re.compile(
    r"\W*(?:and\s+|but\s+)?(?:if\s+(?:it|that|this|they)\s+(?:isn't|is\s+not|"
    r"doesn't|does\s+not|hasn't|has\s+not|aren't|don't|can't|won't)|"
    r"otherwise|failing\s+that|if\s+not)\b"
)
_SENT_TO_YOU = re.compile(r"(?:e-?mailed|texted|messaged|sent|posted|mailed)\b")
# "Have/get <something> <done>": the participle names the act.
_CAUSATIVE = re.compile(
    r"(?:have|gets?|getting|having)\s+(?:[\w$£€.,'-]+\s+){1,6}?(?=(?:fixed|sorted|resolved|"
    r"reversed|refunded|replaced|re-?sent|re-?shipped|credited|repaired|corrected|restored|"
    r"reinstated|waived|swapped|exchanged|unlocked|unblocked|reconnected|re-?activated|"
    r"reopened|reset|couriered|dispatched|shipped|back)\b)"
    # "we'll have an engineer restore your heating": what the person is sent to do
    r"|(?:have|get|having|getting)\s+(?:an?|the|our|one\s+of\s+our)\s+(?:[\w-]+\s+)?"
    r"(?:engineers?|technicians?|techs?|fitters?|plumbers?|electricians?|drivers?|couriers?|"
    r"colleagues?|specialists?|managers?|supervisors?|team)\s+(?=[a-z])"
)
# Verbs that only arrange (or put back) something; the thing says what the act is.
_ARRANGING = re.compile(
    r"(?:set|book|arrang|organi[sz]|sort|line|submit|process|initiat|request|rais|lodg)\w*\b|back\b"
)
_REMEDIES = frozenset({"refund", "credit"})  # a booked "new one" is a fix
# A time that points back to a day named earlier: "... and email you the same afternoon".
_BACK_REFERENCE = re.compile(rf"\b(?:(?:the\s+)?same|that|later\s+that)\s+{_DAY_PART}\b(?!')")
_SAME_MOMENT = re.compile(
    r"\bat\s+(?:the\s+same\s+time|that\s+(?:point|time|moment))\b|"
    r"\bon\s+the\s+same\s+(?:trip|visit|run|delivery|day)\b|"
    r"\bwhen\s+(?:they|he|she)\s+(?:drop|drops|deliver|delivers|bring|brings)\b"
)
_RECEIVES_IT = re.compile(r"\b(?:receive|get|see|expect)\s+(?:it|them)\b")
_CONDITIONAL = re.compile(r"(?:if|unless|whether|in case|once|when|should you|until|till)\b")
_QUESTION = re.compile(
    r"(?:would|could|can|shall|should|will|do|does|did|have|has|is|are|may|might|"
    r"was|were)\s+(?:you|i|we|it|that|this)\b",
)
_LEAD_MAX_WORDS = 4  # "Tomorrow morning, I'll call": a short lead lends its time
_TRAILING = ".,;:!? \t\n"

_TRIGGERS = tuple(
    (name, tense, weak, re.compile(pattern), TRIGGER_CUES[name])
    for name, tense, weak, pattern in TRIGGERS
)
_Trigger = tuple[str, str, bool, re.Pattern[str], tuple[str, ...]]
_TRIGGER_INDEX = CueIndex(TRIGGER_CUES)
_UNDO = re.compile(rf"(?:{UNDO_VERBS})\b")
_HEAD_KINDS = tuple((kind, re.compile(pattern)) for kind, pattern in HEAD_KINDS)
_NOUN_KINDS = tuple((kind, cues, re.compile(pattern)) for kind, cues, pattern in NOUN_KINDS)


@dataclass(frozen=True, slots=True)
class _Clause:
    """A promise clause in masked-text offsets, before it becomes a `Promise`."""

    start: int
    end: int
    heads: tuple[int, ...]  # where each verb naming the act begins, first one first
    tense: str  # "pending", "done", "settling" or "if timed" (see TRIGGERS); "untimed"
    weak: bool
    own_end: int  # end of the chunk that opened it: its nouns name the act
    conjoined: bool = False  # shares the previous clause's subject ("..., and added a credit")


# --- public API ---------------------------------------------------------------------


def find_promises(
    text: str, masked: str, *, now: datetime, config: EngineConfig
) -> tuple[Promise, ...]:
    """Every action the draft commits to or reports as done, in reading order."""
    masked = fold(_mentions_as_people(text, masked))  # lower-case: faster than re.IGNORECASE
    promises: list[Promise] = []
    for start, end in sentence_spans(masked):
        for promise in _sentence_promises(text, masked, start, end, now, config):
            promise = _what_it_refers_to(promise, promises[-1] if promises else None)
            promises.append(_on_the_day_named(promise, promises, masked, config))
    return tuple(promises)


def _mentions_as_people(text: str, masked: str) -> str:
    """ "..., and <@U07LMN22> will send him the email": the mention is who does it.

    Masking blanks mentions, which would leave "and will send" reading as the subject
    before it going on; here each one reads as "they" instead (same length, same offsets).
    """
    if "<@" not in text:
        return masked
    for mention in _MENTION.finditer(text):
        start, end = mention.span()
        if masked[start:end].isspace():
            masked = masked[:start] + "they".ljust(end - start) + masked[end:]
    return masked


def _on_the_day_named(
    promise: Promise, earlier: list[Promise], masked: str, config: EngineConfig
) -> Promise:
    """ "I'll call you Thursday and email the notes that afternoon": Thursday afternoon.

    "... and collect the old one at the same time" takes the earlier promise's time itself.
    """
    if promise.done:
        return promise
    same_moment = promise.due is None and _SAME_MOMENT.search(masked, promise.start, promise.end)
    if not same_moment and (
        promise.due is None or not _BACK_REFERENCE.search(masked, promise.start, promise.end)
    ):
        return promise  # the common case: no look back through the earlier promises
    named = next((p.due for p in reversed(earlier) if p.due is not None), None)
    if named is None:
        return promise
    if same_moment:
        return replace(promise, due=named)  # "... and collect the old one at the same time"
    day_start = datetime.combine(named.date(), time(0), tzinfo=named.tzinfo)
    deadline = find_deadline(masked[promise.start : promise.end], day_start, config)
    return replace(promise, due=deadline.due) if deadline and deadline.due else promise


def _what_it_refers_to(promise: Promise, previous: Promise | None) -> Promise:
    """ "You'll receive it within 24 hours" delivers the act before it (a voucher, a refund)."""
    if promise.kind not in ("other", "update") or previous is None or previous.kind == "other":
        return promise
    if _RECEIVES_IT.search(promise.text.lower()):
        return replace(promise, kind=previous.kind)
    return promise


# --- sentences to clauses -----------------------------------------------------------------


def _sentence_promises(
    text: str, masked: str, start: int, end: int, now: datetime, config: EngineConfig
) -> list[Promise]:
    if _STANDING_RULE.match(masked, start) or _FAILURE_CONDITION.match(masked, start):
        return []  # "should an order ever arrive damaged, we'll replace it": a standing policy
    sentence = masked[start:end]
    chunks = _chunks(masked, start, end)
    if sentence.rstrip().endswith("?"):
        chunks = chunks[:-1]  # the question itself asks, it does not promise
    names = _TRIGGER_INDEX.names(sentence)
    if _HABITUAL.search(sentence):  # "emails go out from a no-reply address, so they sometimes"
        names -= _SCHEDULES
    candidates = tuple(trigger for trigger in _TRIGGERS if trigger[0] in names)
    if not candidates:
        return []
    clauses: list[_Clause] = []
    lead: tuple[int, int] | None = None
    for index, (chunk_start, chunk_end) in enumerate(chunks):
        previous = clauses[-1] if clauses else None
        if previous and _RELATIVE.match(masked, chunk_start) and not _handed_on(previous, masked):
            clauses[-1] = _extended(previous, masked, chunk_start, chunk_end, candidates)
            continue
        first = chunk_start == chunks[0][0]
        shared = lead is not None and not clauses and bool(_PERFECT_OPENING.match(masked, lead[0]))
        here = (
            _consequences_dropped(candidates)
            if index and _CONSEQUENCE.search(masked, chunks[index - 1][1], chunk_start)
            else candidates
        )
        clause = _clause(masked, chunk_start, chunk_end, previous, here, first, shared)
        if clause and lead and not previous and _MODAL_START.match(masked, chunk_start):
            # "A full refund has been initiated and should reflect in 3-5 days"
            clause, lead = replace(clause, start=lead[0]), None
        if clause is not None and index and _FALLBACK.match(masked, chunks[index - 1][0]):
            clause = replace(clause, tense="if timed")  # "..., and if it isn't, I'll move you"
        if clause is not None:
            clauses.append(clause)
        elif previous:
            clauses[-1] = replace(previous, end=chunk_end)
        elif lead is None:
            lead = (chunk_start, chunk_end)
    waits = _may_wait_on_customer(sentence) and bool(_ON_CUSTOMERS_WORD.search(masked, start, end))
    if _CUSTOMERS_CHOICE.match(masked, start):  # "If you'd like, I can ...": an offer
        clauses = [clause for clause in clauses if clause.tense != "if timed"]
        waits = True  # "If you send photos, we'll arrange a repair": owed only with a time
    clauses = [
        replace(c, tense="if timed")
        if c.tense == "pending" and (waits or _AFTER_CUSTOMER.search(masked, c.start, c.end))
        else c
        for c in clauses
    ]
    if _NO_GUARANTEE.search(sentence):  # "it should arrive in time, but we can't guarantee it"
        clauses = [clause for clause in clauses if clause.tense != "pending"]
    resolved = _merge(
        [_resolve(masked, clause, now, config) for clause in clauses], masked, now, config
    )
    if resolved and lead and len(masked[lead[0] : lead[1]].split()) <= _LEAD_MAX_WORDS:
        resolved[0] = _with_lead_time(resolved[0], masked[lead[0] : lead[1]], now, config)
    promises = (_promise(text, masked, *item) for item in resolved)
    return [promise for promise in promises if promise is not None]


def _handed_on(clause: _Clause, masked: str) -> bool:
    """ "I've assigned it to Grace, who will call you": the case passed on; her call is hers."""
    return clause.tense == "done" and bool(_HANDED_ON.match(masked, clause.heads[0]))


def _consequences_dropped(candidates: tuple[_Trigger, ...]) -> tuple[_Trigger, ...]:
    """After "so", "you won't be charged" is what the act before it means, not a gift."""
    return tuple(trigger for trigger in candidates if trigger[0] != "not_charging")


def _may_wait_on_customer(sentence: str) -> bool:
    """A cheap test before `_ON_CUSTOMERS_WORD`, which cannot skip ahead on a literal."""
    return "know" in sentence or " and i" in sentence or " and we" in sentence


def _chunks(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """Pieces of a sentence between commas, semicolons and "and <subject>"."""
    pieces: list[tuple[int, int]] = []
    cursor = start
    for boundary in _CHUNK_BREAK.finditer(masked, start, end):
        pieces.append((cursor, boundary.start()))
        cursor = boundary.end()
    pieces.append((cursor, end))
    # Chunks start on a word, so patterns anchored at a chunk's start see its first word.
    starts = [s + len(masked[s:e]) - len(masked[s:e].lstrip()) for s, e in pieces]
    return [
        (s, e) for s, (_, e) in zip(starts, pieces, strict=True) if masked[s:e].strip(_TRAILING)
    ]


def _extended(
    clause: _Clause, masked: str, start: int, end: int, candidates: tuple[_Trigger, ...]
) -> _Clause:
    """A relative clause (", which will reach you by Friday") lends the act its time."""
    chunk = masked[start:end]
    pending = bool(_RELATIVE_ARRIVAL.match(chunk)) or any(
        tense == "pending" for _, tense, _, _ in _triggers(chunk, candidates)
    )
    return replace(clause, end=end, tense="pending" if pending else clause.tense)


def _clause(
    masked: str,
    start: int,
    end: int,
    previous: _Clause | None,
    candidates: tuple[_Trigger, ...],
    first: bool,
    shares_perfect: bool = False,
) -> _Clause | None:
    """The promise a chunk opens: its own commitment, or a verb sharing the last one's.

    `shares_perfect`: no promise yet, but the sentence opened "I've <verb>ed ...", so a
    bare past verb here ("..., refunded the fare") reports an act too.

    A chunk that swears "never again" is an overpromise: only reported acts count there.
    """
    chunk = masked[start:end]
    if _QUESTION.match(chunk):
        return None
    found = _triggers(chunk, candidates)
    if ("never" in chunk or "again" in chunk) and _NEVER_AGAIN.search(chunk):
        found = [item for item in found if item[1] == "done"]
    if not first:  # "1. Rolled back at 11:42": only a line's first words
        found = [item for item in found if item[0] != "list_item_done"]
    if found:
        return _from_triggers(chunk, start, end, found)
    if previous is None:
        if not shares_perfect:
            return None
        return _conjoined(chunk, start, end, _CONJOINED_DONE, "done", weak=False)
    if masked[previous.end : start].strip(_TRAILING + "andthenplus"):
        return None  # a shared-subject verb must follow its promise directly
    if previous.tense == "pending" and _CUSTOMERS_PART.match(chunk):
        return None  # "we'll reimburse the hotel: send the receipt to me": their part
    pattern = _CONJOINED_BASE if previous.tense == "pending" else _CONJOINED_DONE
    return _conjoined(chunk, start, end, pattern, previous.tense, weak=previous.weak)


def _conjoined(
    chunk: str, start: int, end: int, pattern: re.Pattern[str], tense: str, *, weak: bool
) -> _Clause | None:
    """A verb sharing an earlier subject: "..., and added a credit"."""
    match = pattern.match(chunk)
    if match is None:
        return None
    return _Clause(start, end, (start + match.start("head"),), tense, weak, end, conjoined=True)


_Found = tuple[str, str, bool, re.Match[str]]


def _triggers(chunk: str, candidates: tuple[_Trigger, ...]) -> list[_Found]:
    """The commitments in a (folded) chunk, among the triggers its sentence's cues woke."""
    conditional = bool(_CONDITIONAL.match(chunk))
    found = [
        (name, tense, weak, match)
        for name, tense, weak, pattern, cues in candidates
        if any(cue in chunk for cue in cues)
        for match in pattern.finditer(chunk)
        if _is_commitment(name, tense, match, chunk, conditional)
    ]
    return sorted(found, key=lambda item: item[3].start())


def _is_commitment(
    name: str, tense: str, match: re.Match[str], chunk: str, conditional: bool
) -> bool:
    if ("hop" in chunk or "finger" in chunk) and _HEDGE.search(chunk, 0, match.start()):
        return False  # "Hopefully we'll have it back soon" hopes, it does not commit
    if _REPORTED.search(chunk, 0, match.start()):
        return False  # "the airport says the baggage system is back up": their word, not ours
    if name == "gift" and _STANDING_TERMS.search(chunk):
        return False  # "touch-ups within 90 days are free under our policy": a rule, not a gift
    if match.groupdict().get("present") and _AS_A_RULE.search(chunk):
        return False  # "port charges are refunded automatically under our policy": how it works
    if name in ("scheduled", "scheduled_timed", "shipped_itself") and _SUBORDINATE.search(
        chunk, max(0, match.start() - _SUBORDINATE_REACH), match.start()
    ):
        return False  # "... before any change ships": a condition, not the plan or a report
    if name == "scheduled_timed" and _IF_YOU.search(chunk, match.end()):
        return False  # "the shop replaces plants within 14 days if you bring the receipt": a rule
    if tense == "done":
        concession = _CONCESSIVE.search(chunk, 0, match.start())  # "even though it was waived"
        return not conditional and not concession and _reports_remedy(name, match, chunk)
    if name == "third_person_future" and _THIRD_PERSON_EXCEPTIONS.search(chunk, 0, match.start()):
        return False
    if name in ("first_person_future", "third_person_future", "offer", "we_can"):
        return not NOT_AN_ACTION.match(chunk, match.start("head"))
    return True


def _reports_remedy(name: str, match: re.Match[str], chunk: str) -> bool:
    """A past verb is a remedy unless it describes the mistake ("we sent the wrong size")."""
    verb = _head_text(match)
    if verb is None:
        return True
    if _UNDO.match(verb):
        return True
    if name == "first_person_past" and not re.match(r"\s*i\b", match.group()):
        return False
    return _GESTURE_GIVEN.search(chunk) is not None or not PROBLEM_MARKERS.search(chunk)


# The named groups a trigger marks the act's verb (or noun, "targeting a fix") with.
_HEAD_GROUPS = ("head", "past", "present", "target", "expected", "none")


def _head_text(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    return next((groups[name] for name in _HEAD_GROUPS if groups.get(name)), None)


def _head_start(match: re.Match[str]) -> int:
    for group in _HEAD_GROUPS:
        if match.groupdict().get(group) is not None:
            return match.start(group)
    return match.start()


def _from_triggers(chunk: str, start: int, end: int, found: list[_Found]) -> _Clause:
    heads = [_head_start(match) for _, _, _, match in found]
    tenses = {tense for _, tense, _, _ in found}
    tense = next(t for t in ("pending", "settling", "if timed", "done") if t in tenses)
    delegation = DELEGATION.match(chunk, heads[0])
    if delegation:
        heads[0] = delegation.start("inner")
        tense = "settling" if tense == "done" else tense
    weak = all(is_weak for _, _, is_weak, _ in found)
    return _Clause(start, end, tuple(start + head for head in heads), tense, weak, end)


# --- clauses to promises ---------------------------------------------------------------------


_Resolved = tuple[_Clause, PromiseKind, Deadline | None]


def _resolve(masked: str, clause: _Clause, now: datetime, config: EngineConfig) -> _Resolved:
    deadline = None  # a reported action has no deadline, whatever times it mentions
    if clause.tense != "done":
        deadline = find_deadline(masked[clause.start : clause.end], now, config)
    if clause.tense == "settling":
        clause = replace(clause, tense="pending" if deadline and deadline.due else "done")
    elif clause.tense == "if timed":
        clause = replace(clause, tense="pending" if deadline and deadline.due else "untimed")
    return clause, _kind(masked, clause), deadline


def _kind(masked: str, clause: _Clause) -> PromiseKind:
    """What the act is, from the strongest evidence down.

    The first head verb ("refund", "call"); the nouns of the chunk that holds it;
    the other head verbs ("we're investigating and will write to you"); a verb that
    changes something ("added a banner"); the nouns of the whole clause.
    """
    first, *others = (_head_kind(masked, head, clause.end) for head in clause.heads)
    if first == "fix" and _ARRANGING.match(masked, clause.heads[0]):
        noun = _noun_kind(masked, clause.start, clause.own_end)
        if noun in _REMEDIES:  # "I've set up a $20 credit": what was set up is the act
            return noun
    returned = first == "fix" and _RETURNED.match(masked, clause.heads[0])
    if returned and _noun_kind(masked, clause.start, clause.own_end) == "refund":
        return "refund"  # "your deposit will be returned": money back, not a repair
    if first == "update" and _SENT_TO_YOU.match(masked, clause.heads[0]):
        noun = _noun_kind(masked, clause.start, clause.heads[0])
        if noun in _THINGS_THAT_ARRIVE:  # "your vouchers will be emailed": vouchers
            return noun
    if first not in (None, "other"):
        return first
    if first is None and _comes_to_fix(masked, clause):
        return "fix"  # "Trent will be there tomorrow to reseal the gaps": the resealing
    if first == "other":  # "we'll look into compensation" promises a look, not the money
        return next((k for k in others if k not in (None, "other")), "other")
    if first is None and (kind := _noun_kind(masked, clause.start, clause.own_end)):
        return kind
    if kind := next((k for k in others if k not in (None, "other")), None):
        return kind
    if first is None and FIX_BY_DEFAULT.match(masked, clause.heads[0]):
        return "fix"
    return _noun_kind(masked, clause.start, clause.end) or "other"


def _comes_to_fix(masked: str, clause: _Clause) -> bool:
    """ "A crew will be out on Tuesday to rewash the panels": a visit whose purpose is a fix."""
    head = clause.heads[0]
    if not _COMING.match(masked, head):
        return False
    purpose = _PURPOSE.search(masked, head, clause.own_end)
    return purpose is not None and _head_kind(masked, purpose.end(), clause.end) == "fix"


def _head_kind(masked: str, head: int, end: int) -> PromiseKind | None:
    if being := _BEING.match(masked, head, end):
        head = being.end()  # "is being reconnected": the reconnection is the act
    if causative := _CAUSATIVE.match(masked, head, end):
        head = causative.end()  # "we'll have the charge reversed": the reversal is the act
    return next((kind for kind, pattern in _HEAD_KINDS if pattern.match(masked, head, end)), None)


def _noun_kind(masked: str, start: int, end: int) -> PromiseKind | None:
    lowered = masked[start:end].lower()
    for kind, cues, pattern in _NOUN_KINDS:
        if any(cue in lowered for cue in cues) and pattern.search(masked, start, end):
            return kind
    return None


def _merge(
    items: list[_Resolved], masked: str, now: datetime, config: EngineConfig
) -> list[_Resolved]:
    """Join clauses that make one promise: "check and get back to you", "..., and they'll show"."""
    merged: list[_Resolved] = []
    for item in items:
        kind = _merged_kind(merged[-1], item, masked) if merged else None
        if kind is None:
            merged.append(item)
            continue
        first = merged[-1][0]
        second = item[0]
        tense = "pending" if "pending" in (first.tense, second.tense) else first.tense
        joined = replace(first, end=second.end, tense=tense, weak=first.weak and second.weak)
        merged[-1] = (
            joined,
            kind,
            _later(find_deadline(masked[joined.start : joined.end], now, config), item[2]),
        )
    return merged


def _later(joined: Deadline | None, second: Deadline | None) -> Deadline | None:
    """ "I'm sending it today, and it should land by Friday": due when it lands."""
    if joined and joined.due and second and second.due and second.due > joined.due:
        return second
    return joined


@dataclass(frozen=True, slots=True)
class _Pair:
    """Two neighbouring promise clauses and what lies between them."""

    a: _Clause
    kind_a: PromiseKind
    b: _Clause
    kind_b: PromiseKind
    between: str
    untimed_a: bool
    untimed_b: bool

    @classmethod
    def of(cls, first: _Resolved, second: _Resolved, masked: str) -> _Pair:
        (a, kind_a, deadline_a), (b, kind_b, deadline_b) = first, second
        between = masked[a.end : b.start]
        return cls(a, kind_a, b, kind_b, between, _untimed(deadline_a), _untimed(deadline_b))

    @property
    def tight(self) -> bool:
        """ "X and it'll", "X, so it'll" (its consequence); not "X, and it'll" (a second act)."""
        return not (set(self.between) & {",", ";"}) or _CONSEQUENCE.search(self.between) is not None


def _untimed(deadline: Deadline | None) -> bool:
    return deadline is None or deadline.due is None


def _merged_kind(first: _Resolved, second: _Resolved, masked: str) -> PromiseKind | None:
    """The kind of the joined promise, or None when the two stay apart.

    Reported acts stay apart ("I've refunded X, and added Y"). A promise joins the next
    one when it only prepares it ("we're investigating and will write to you by Friday",
    "I'll check and get back to you") or the next one only reports back on it ("...
    and confirm by Thursday", "... and they'll show in your app within 24 hours").
    """
    pair = _Pair.of(first, second, masked)
    return (
        _arrival_kind(pair, masked)
        or _continuation_kind(pair, masked)
        or _shared_act_kind(pair, masked)
    )


def _arrival_kind(pair: _Pair, masked: str) -> PromiseKind | None:
    """ "I've refunded it, and you'll see it by Friday": the act, arriving then."""
    if pair.kind_a not in _THINGS_THAT_ARRIVE and not _SENT_OUT.match(masked, pair.a.heads[0]):
        return None
    arrival = _ARRIVES.match(masked, pair.b.start)
    if arrival is None:
        return None
    by_you = arrival.group().startswith("you")
    lands = _LANDS.match(masked, arrival.end()) is not None
    own_act = lands or (pair.a.tense == "done" and ";" not in pair.between)
    return pair.kind_a if by_you or own_act else None


def _continuation_kind(pair: _Pair, masked: str) -> PromiseKind | None:
    """The second clause goes on with the first's act: its money, its arrival, its outcome."""
    a, b, kind_a, kind_b = pair.a, pair.b, pair.kind_a, pair.kind_b
    # "We will cover the fee; it will be paid in 3 days": the time of a promise that had none
    times_it = ";" in pair.between and a.tense == "pending" and kind_b == "other" and pair.untimed_a
    # "I've cancelled the second bill and the £86.40 will be back": the amount of that charge
    the_amount = _AMOUNT_FUTURE.match(masked, b.start) and (
        kind_a == "other" or _CHARGE.search(masked, *_own(a))
    )
    handed_on = _handed_on(a, masked)
    anaphoric = _ANAPHORIC_FUTURE.match(masked, b.start) is not None
    if kind_b == "refund" and a.tense == "done" and anaphoric and _CHARGE.search(masked, *_own(a)):
        return "refund"  # "I've cancelled the duplicate payment, and it will be back by Tuesday"
    continues = (anaphoric and not handed_on) or the_amount
    if ((pair.tight or times_it) and continues) or (
        _MODAL_START.match(masked, b.start)
        and (_ON_ITS_WAY.search(masked, *_own(a)) or kind_a in _THINGS_THAT_ARRIVE)
    ):
        # "I've put a recall on the payment and the money will be back ...": a refund
        return kind_b if kind_a == "other" or (kind_a, kind_b) == ("fix", "refund") else kind_a
    outcome = a.tense == "done" and not handed_on and _OUTCOME.match(masked, b.start)
    timed_b = b.tense == "pending" and not pair.untimed_b
    if (_CONSEQUENCE.search(pair.between) or outcome) and timed_b:
        return kind_a if kind_a != "other" else kind_b
    return None


def _shared_act_kind(pair: _Pair, masked: str) -> PromiseKind | None:
    """Two pending clauses of one act: a step and its report, or one subject going on."""
    a, b, kind_a, kind_b = pair.a, pair.b, pair.kind_a, pair.kind_b
    if "pending" not in (a.tense, b.tense):
        return None
    goes_on = a.tense == "pending" and not pair.untimed_b and kind_b in (kind_a, "other")
    if pair.tight and goes_on and _BARE_MODAL.match(masked, b.start):
        return kind_a  # the same subject goes on: "... and will have it repaired by 5pm"
    preparatory = kind_a == "other" or PREPARATORY.match(masked, a.heads[0])
    if pair.untimed_a and preparatory and a.tense == b.tense == "pending":
        return kind_a if kind_b == "other" else kind_b
    if not b.conjoined:
        return None
    # "check and get back to you", "... and confirm by Thursday": the step closes the act
    bare_step = kind_b == "other" and pair.untimed_b
    if bare_step or (pair.untimed_a and _CONFIRMS.match(masked, b.heads[0])):
        return kind_a
    if kind_a in ("other", kind_b) and pair.untimed_b:
        return kind_b  # "will collect it on Tuesday and repair it": the repair is the act
    return None


def _own(clause: _Clause) -> tuple[int, int]:
    return clause.start, clause.own_end


def _with_lead_time(item: _Resolved, lead: str, now: datetime, config: EngineConfig) -> _Resolved:
    clause, kind, deadline = item
    if deadline is not None:
        return item
    return clause, kind, find_deadline(lead, now, config)


def _promise(
    text: str, masked: str, clause: _Clause, kind: PromiseKind, deadline: Deadline | None
) -> Promise | None:
    if (clause.weak and kind == "other") or clause.tense == "untimed":
        return None
    start, end = _trim(text, masked, clause.start, clause.end)
    pending = clause.tense == "pending"
    due = deadline.due if deadline and pending else None
    return Promise(kind=kind, text=text[start:end], start=start, end=end, due=due, done=not pending)


def _trim(text: str, masked: str, start: int, end: int) -> tuple[int, int]:
    """Without surrounding space, trailing punctuation, or a trailing link or mention."""
    while start < end and masked[start].isspace():
        start += 1
    while end > start and (masked[end - 1].isspace() or text[end - 1] in _TRAILING):
        end -= 1
    return start, end
