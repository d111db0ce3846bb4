"""The review object: what `slackapp review --json` prints (see docs/review-contract.md).

Frozen dataclasses, so a review can be shared between threads and cached safely.
`Review.to_dict()` is the public JSON shape; field names here are the contract's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Severity = Literal["minor", "moderate", "serious"]
SEVERITIES: tuple[Severity, ...] = ("minor", "moderate", "serious")

PromiseKind = Literal["refund", "replacement", "callback", "update", "credit", "fix", "other"]
PROMISE_KINDS: tuple[PromiseKind, ...] = (
    "refund",
    "replacement",
    "callback",
    "update",
    "credit",
    "fix",
    "other",
)

FINDING_CODES: tuple[str, ...] = (
    "inconvenience-boilerplate",
    "sorry-you-feel",
    "conditional-apology",
    "lawyerly-distance",
    "deflects-blame",
    "hedging",
    "over-apology",
    "tone-mismatch",
    "vague-timeline",
    "overpromise",
)

PART_NAMES: tuple[str, ...] = (
    "names_problem",
    "owns_it",
    "states_fix",
    "gives_timeline",
    "offers_remedy",
)


@dataclass(frozen=True, slots=True)
class Parts:
    names_problem: bool = False
    owns_it: bool = False
    states_fix: bool = False
    gives_timeline: bool = False
    offers_remedy: bool = False

    def to_dict(self) -> dict[str, bool]:
        return {name: getattr(self, name) for name in PART_NAMES}

    def missing(self) -> tuple[str, ...]:
        return tuple(name for name in PART_NAMES if not getattr(self, name))


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str | None = None
    rule: str = ""  # the rule's id: what a team's rule pack switches off

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Promise:
    kind: PromiseKind
    text: str
    start: int
    end: int
    due: datetime | None = None
    done: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "due": self.due.isoformat() if self.due else None,
            "done": self.done,
        }


@dataclass(frozen=True, slots=True)
class SeverityAssessment:
    estimated: Severity
    used: Severity

    def to_dict(self) -> dict[str, str]:
        return {"estimated": self.estimated, "used": self.used}


@dataclass(frozen=True, slots=True)
class Review:
    parts: Parts
    findings: tuple[Finding, ...]
    apology_count: int
    severity: SeverityAssessment
    promises: tuple[Promise, ...]
    rewrite: str
    score: int
    # Extra fields (the contract allows additions): a plain-words verdict when the
    # text is not something we can review (empty, not English, not an apology).
    notice: str | None = None
    suggest_gesture: bool = False
    advice: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "parts": self.parts.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "apology_count": self.apology_count,
            "severity": self.severity.to_dict(),
            "promises": [p.to_dict() for p in self.promises],
            "rewrite": self.rewrite,
            "score": self.score,
            "notice": self.notice,
            "suggest_gesture": self.suggest_gesture,
            "advice": list(self.advice),
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted({f.code for f in self.findings}))
