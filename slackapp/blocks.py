"""Review -> Block Kit, built with `slack_sdk.models` and kept inside Slack's limits.

The same blocks serve the ephemeral `/apology` answer (50 blocks) and the shortcut's
modal (100 blocks). Every control carries a `ReviewState`, the compact state a
re-review needs, because Slack sends back only the clicked control (and, for ephemeral
messages, no copy of the message at all). Agent text is escaped before it goes into
mrkdwn, so a draft cannot ping `<!channel>` or forge links; long text is cut visibly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Literal

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from slackapp.review.model import PART_NAMES, SEVERITIES, Finding, Promise, Review
from slackapp.review.score import score_review

Surface = Literal["message", "modal"]

MAX_BLOCKS: dict[Surface, int] = {"message": 50, "modal": 100}
SECTION_LIMIT = 3000
VALUE_LIMIT = 2000  # button value
METADATA_LIMIT = 3000  # view private_metadata
OPTION_LIMIT = 75  # option text and description
UPDATE_TEXT_LIMIT = 4000  # chat.update rejects longer text
REWRITE_CHUNKS: dict[Surface, int] = {"message": 3, "modal": 10}
MAX_PROMISE_OPTIONS = 10  # Slack's cap on checkbox options
TRUNCATED = "… (truncated)"
MODAL_CALLBACK = "review_apology_modal"

PART_LABELS = {
    "names_problem": "Names the problem",
    "owns_it": "Owns it in the first person",
    "states_fix": "Says what is being done",
    "gives_timeline": "Gives a real timeline",
    "offers_remedy": "Offers something to make up for it",
}


@dataclass(frozen=True)
class ReviewState:
    """What a control must carry to re-review: the draft (inline, or a store id when too
    long for a button value), the agent's choices, and where the draft lives."""

    now: int  # epoch seconds of the first review, so deadlines stay put on re-review
    draft: str | None = None
    draft_id: str | None = None
    severity: str | None = None
    tz: str | None = None
    dismissed: tuple[int, ...] = ()  # start offsets of findings marked "not an issue"
    channel: str | None = None
    ts: str | None = None  # the reviewed message (shortcut), for chat.update
    replaceable: bool = False  # the agent's own message and we hold their user token
    tracked: bool = False
    # Short keys: the state rides in every button value (2,000 chars at most).
    _KEYS: ClassVar[dict[str, str]] = {
        "now": "n",
        "draft": "d",
        "draft_id": "k",
        "severity": "s",
        "tz": "z",
        "dismissed": "x",
        "channel": "c",
        "ts": "t",
        "replaceable": "r",
        "tracked": "tr",
    }

    def encode(self) -> str:
        # Every field is flat, so no asdict(): its deep copy was most of the cost, and a
        # review encodes a state for each of its controls.
        values = {key: getattr(self, name) for name, key in self._KEYS.items()}
        compact = {key: value for key, value in values.items() if value or key == "n"}
        return json.dumps(compact, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def decode(cls, value: str) -> ReviewState:
        data = json.loads(value)
        fields = {name: data[key] for name, key in cls._KEYS.items() if key in data}
        fields["dismissed"] = tuple(int(start) for start in fields.get("dismissed", ()))
        return cls(**fields)

    def but(self, **changes: Any) -> ReviewState:
        return replace(self, **changes)


# --- text helpers ----------------------------------------------------------------------------


def escape(text: str) -> str:
    """Slack's three mrkdwn control characters; everything else is shown as typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(TRUNCATED)].rstrip() + TRUNCATED


def code_chunks(text: str, size: int, max_chunks: int) -> list[str]:
    """Escaped pieces of `text`, each ≤ `size` chars inside a ``` block, split at line ends
    where possible; past `max_chunks`, the last piece ends with a visible truncation mark."""
    body = escape(text.replace("```", "`\u200b``"))  # a stray fence would end the block early
    room = size - 8  # the fences and their newlines
    pieces: list[str] = []
    while body and len(pieces) < max_chunks:
        cut = len(body) if len(body) <= room else _cut_point(body, room)
        pieces.append(body[:cut])
        body = body[cut:]
    if body:
        pieces[-1] = pieces[-1][: room - len(TRUNCATED) - 1].rstrip() + "\n" + TRUNCATED
    return [f"```\n{piece}\n```" for piece in pieces]


def _cut_point(body: str, room: int) -> int:
    newline = body.rfind("\n", room // 2, room)
    cut = newline + 1 if newline > 0 else room
    amp = body.rfind("&", cut - 5, cut)  # never split an &amp; / &lt; / &gt; entity
    return amp if amp > 0 and ";" not in body[amp:cut] else cut


def _md(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=clip(text, SECTION_LIMIT))


def _plain(text: str, limit: int = OPTION_LIMIT) -> PlainTextObject:
    return PlainTextObject(text=clip(text, limit), emoji=True)


def _button(text: str, action_id: str, value: str, **kwargs: Any) -> ButtonElement:
    if len(value) > VALUE_LIMIT:
        raise ValueError(f"button value of {len(value)} chars: keep the draft server-side")
    return ButtonElement(text=_plain(text), action_id=action_id, value=value, **kwargs)


# --- the review ------------------------------------------------------------------------------


def verdict(review: Review) -> str:
    """One line; the same thresholds as `slackapp review` so both surfaces agree."""
    if review.notice:
        return review.notice
    count = len(review.findings)
    missing = review.parts.missing()
    if not count and not missing:
        mood = "Ready to send"
    elif review.score >= 70:
        mood = "Nearly there"
    else:
        mood = "Needs work"
    things = "nothing to change" if not count else f"{count} thing{'s' * (count > 1)} to change"
    have = len(PART_NAMES) - len(missing)
    return f"Score {review.score}/100 · {mood}: {things}, {have} of {len(PART_NAMES)} parts"


def fallback_text(review: Review) -> str:
    """The top-level `text` shown in notifications and to screen readers."""
    return f"Apology review: {verdict(review)}"


def visible_findings(review: Review, state: ReviewState) -> list[Finding]:
    return [f for f in review.findings if f.start not in state.dismissed]


def without_dismissed(review: Review, state: ReviewState) -> Review:
    """The review as the agent now sees it: dismissed findings gone, the score recounted."""
    if not state.dismissed:
        return review
    kept = tuple(visible_findings(review, state))
    score = score_review(review.parts, kept, gesture_expected=review.suggest_gesture)
    return replace(review, findings=kept, score=score)


def review_blocks(
    review: Review,
    state: ReviewState,
    *,
    surface: Surface,
    dismissal_counts: dict[str, int] | None = None,
    note: str | None = None,
) -> list[Block]:
    """All blocks for one review; findings fill whatever room the other blocks leave."""
    review = without_dismissed(review, state)
    head = [SectionBlock(block_id="verdict", text=_md(f"*{escape(verdict(review))}*"))]
    if note:
        head.append(ContextBlock(elements=[_md(note)]))
    if not review.notice:
        head.append(SectionBlock(block_id="parts", text=_md(_checklist(review))))
    tail = [
        *_rewrite_blocks(review, state, surface),
        *([] if review.notice else _severity_blocks(review, state)),
        *_promise_blocks(review, state, surface),
    ]
    room = MAX_BLOCKS[surface] - len(head) - len(tail)
    return [*head, *_finding_blocks(review, state, room, dismissal_counts or {}), *tail]


def _checklist(review: Review) -> str:
    parts = review.parts.to_dict()
    lines = [f"{'✅' if parts[name] else '⬜'} {PART_LABELS[name]}" for name in PART_NAMES]
    return "\n".join(lines)


def _finding_blocks(
    review: Review, state: ReviewState, room: int, counts: dict[str, int]
) -> list[Block]:
    findings = visible_findings(review, state)
    if not findings:
        return []
    blocks: list[Block] = [DividerBlock()]
    shown = findings[: max(room - 2, 0)]
    for finding in shown:
        blocks.append(
            SectionBlock(
                block_id=f"finding-{finding.start}",
                text=_md(_finding_text(finding, counts.get(finding.code, 0))),
                accessory=_button(
                    "Not an issue here",
                    "dismiss_finding",
                    state.but(dismissed=(*state.dismissed, finding.start)).encode(),
                ),
            )
        )
    if len(findings) > len(shown):
        more = len(findings) - len(shown)
        blocks.append(ContextBlock(elements=[_md(f"…and {more} more not shown.")]))
    return blocks


def _finding_text(finding: Finding, dismissals: int) -> str:
    lines = [f"> {escape(clip(finding.text, 300))}", escape(clip(finding.message, 800))]
    if finding.suggestion is not None:
        lines.append(f"*Try:* {escape(clip(finding.suggestion, 800)) or '_(leave it out)_'}")
    if dismissals:
        lines.append(f"_Your team marked this rule not an issue {dismissals}×._")
    return "\n".join(lines)


def _rewrite_blocks(review: Review, state: ReviewState, surface: Surface) -> list[Block]:
    if not review.rewrite.strip():
        return []
    chunks = code_chunks(review.rewrite, SECTION_LIMIT, REWRITE_CHUNKS[surface])
    blocks: list[Block] = [
        DividerBlock(),
        SectionBlock(block_id="rewrite-title", text=_md("*Suggested rewrite* (copy and edit)")),
    ]
    blocks += [SectionBlock(block_id=f"rewrite-{i}", text=_md(c)) for i, c in enumerate(chunks)]
    if surface == "modal" and state.replaceable and len(review.rewrite) <= UPDATE_TEXT_LIMIT:
        confirm = ConfirmObject(
            title="Replace your message?",
            text="Your message will show the rewrite. Fill in any [placeholders] afterwards.",
            confirm="Replace",
            deny="Cancel",
        )
        button = _button(
            "Replace my draft with this rewrite",
            "replace_draft",
            state.encode(),
            style="primary",
            confirm=confirm,
        )
        blocks.append(ActionsBlock(block_id="replace", elements=[button]))
    return blocks


def _severity_blocks(review: Review, state: ReviewState) -> list[Block]:
    used = review.severity.used
    source = "you chose" if state.severity else "I estimated"
    prompt = f"*How serious is this for the customer?* {source} *{used}*; the advice follows it."
    buttons = [
        _button(
            f"✓ {level.title()}" if level == used else level.title(),
            f"severity_{level}",
            state.but(severity=level).encode(),
            **({"style": "primary"} if level == used else {}),
        )
        for level in SEVERITIES
    ]
    blocks: list[Block] = [
        DividerBlock(),
        SectionBlock(block_id="severity-prompt", text=_md(prompt)),
        ActionsBlock(block_id="severity", elements=buttons),
    ]
    notes = [escape(line) for line in review.advice]
    if review.suggest_gesture:
        notes.append("Consider a gesture: a refund of a fee, a credit or free shipping.")
    if notes:
        blocks.append(ContextBlock(elements=[_md("\n".join(notes))]))
    return blocks


def _promise_blocks(review: Review, state: ReviewState, surface: Surface) -> list[Block]:
    if not review.promises:
        return [] if review.notice else _checkin_blocks(state)
    open_ones = [(i, p) for i, p in enumerate(review.promises) if not p.done][:MAX_PROMISE_OPTIONS]
    done = [p for p in review.promises if p.done]
    blocks: list[Block] = [
        DividerBlock(),
        SectionBlock(block_id="promises-title", text=_md(_promise_heading(state, open_ones))),
    ]
    if done:
        lines = "\n".join(f"✓ {p.kind}: {escape(clip(p.text, 200))}" for p in done[:10])
        blocks.append(ContextBlock(elements=[_md(f"Already done:\n{lines}")]))
    if open_ones and not state.tracked:
        options = [
            Option(
                value=str(i), text=_plain(f"{p.kind}: {p.text}"), description=_plain(due_label(p))
            )
            for i, p in open_ones
        ]
        checkboxes = CheckboxesElement(
            action_id="track_choice", options=options, initial_options=options
        )
        if surface == "modal":  # the modal's submit button confirms
            blocks.append(
                InputBlock(block_id="promises", label="Track", element=checkboxes, optional=True)
            )
        else:
            button = _button(
                "Track checked promises", "track_promises", state.encode(), style="primary"
            )
            blocks.append(ActionsBlock(block_id="promises", elements=[checkboxes, button]))
    return blocks


def _checkin_blocks(state: ReviewState) -> list[Block]:
    """No promise to hold the agent to, but the customer still deserves a check-in."""
    if state.tracked:
        return [
            DividerBlock(),
            SectionBlock(text=_md("*Check-in* · scheduled: I'll remind you to check in.")),
        ]
    button = _button("Remind me to check in", "schedule_checkin", state.encode())
    text = "*No promises in this draft.* A short check-in in a few days shows you followed up."
    return [DividerBlock(), SectionBlock(block_id="checkin", text=_md(text), accessory=button)]


def _promise_heading(state: ReviewState, open_ones: list[tuple[int, Promise]]) -> str:
    if state.tracked:
        return "*Promises* · tracked: I'll remind you before they are due."
    if not open_ones:
        return "*Promises* · nothing left to do."
    return "*Promises in this draft* · untick any you don't want reminders for."


def due_label(promise: Promise) -> str:
    if promise.done:
        return "done"
    if promise.due is None:
        return "no deadline given"
    return "due " + promise.due.strftime("%a %d %b, %H:%M %Z").strip()


# --- whole surfaces --------------------------------------------------------------------------


def review_message(review: Review, state: ReviewState, **kwargs: Any) -> dict[str, Any]:
    """`text` + `blocks` for respond()/chat.* (blocks as dicts: to_dict() checks limits)."""
    blocks = review_blocks(review, state, surface="message", **kwargs)
    return {"text": fallback_text(review), "blocks": [b.to_dict() for b in blocks]}


def review_modal(review: Review, state: ReviewState, **kwargs: Any) -> View:
    blocks = review_blocks(review, state, surface="modal", **kwargs)
    metadata = state.encode()
    if len(metadata) > METADATA_LIMIT:
        raise ValueError(f"private_metadata of {len(metadata)} chars: keep the draft server-side")
    trackable = any(b.block_id == "promises" for b in blocks)
    return View(
        type="modal",
        callback_id=MODAL_CALLBACK,
        title=_plain("Review apology", 24),
        submit=_plain("Track promises", 24) if trackable else None,
        close=_plain("Done", 24),
        private_metadata=metadata,
        blocks=blocks,
    )


def notice_modal(title: str, text: str) -> View:
    return View(
        type="modal",
        callback_id=MODAL_CALLBACK,
        title=_plain(title, 24),
        close=_plain("Close", 24),
        blocks=[SectionBlock(text=_md(escape(text)))],
    )


def message(text: str) -> dict[str, Any]:
    """A one-line answer (help, errors) as `text` + one section block."""
    return {"text": text, "blocks": [SectionBlock(text=_md(text)).to_dict()]}


HELP = (
    "*Review an apology before you send it.*\n"
    "• `/apology <your draft>`: I check the five parts of a good apology, quote each phrase "
    "worth changing and why, suggest a rewrite, and list the promises you are making.\n"
    "• On any message: *⋯ → Review apology* does the same in a window. On your own message "
    "I can replace it with the rewrite.\n"
    "• Pick *minor / moderate / serious* to tune the advice, mark a finding *Not an issue "
    "here*, and tick promises to get reminders before they are due.\n"
    "Only you see the review."
)
