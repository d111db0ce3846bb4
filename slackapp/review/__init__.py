"""The review engine: text in, `Review` out. Pure: no Slack, no SQLite, no I/O but rule files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import partial
from zoneinfo import ZoneInfo

from slackapp.review.config import DEFAULT_CONFIG, EngineConfig
from slackapp.review.findings import apology_spans, detect_findings
from slackapp.review.language import NOT_AN_APOLOGY, not_an_apology, unreviewable_reason
from slackapp.review.learnt import word_features
from slackapp.review.model import (
    SEVERITIES,
    Finding,
    Parts,
    Promise,
    Review,
    Severity,
    SeverityAssessment,
)
from slackapp.review.parts import detect_parts
from slackapp.review.promises import find_promises
from slackapp.review.rewrite import write_rewrite
from slackapp.review.rules import RuleSet, load_rules
from slackapp.review.score import score_review
from slackapp.review.severity import HarmCues, estimate_severity, needs_gesture, tone_advice
from slackapp.review.text import SpanIndex, fold, mask, sentence_spans

__all__ = [
    "EngineConfig",
    "Finding",
    "Parts",
    "Promise",
    "Review",
    "SeverityAssessment",
    "resolve_now",
    "review",
    "warm_up",
]


def resolve_now(now: datetime | None, tz: str | tzinfo | None) -> datetime:
    """An aware `now` in the agent's zone (the machine's local zone when none is given)."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    if now is None:
        return datetime.now(zone).astimezone(zone) if zone else datetime.now().astimezone()
    if now.tzinfo is None:
        return now.replace(tzinfo=zone) if zone else now.astimezone()
    return now.astimezone(zone) if zone else now


def review(
    text: str,
    *,
    severity: Severity | None = None,
    now: datetime | None = None,
    tz: str | tzinfo | None = None,
    config: EngineConfig = DEFAULT_CONFIG,
) -> Review:
    """Review one apology draft. Never raises on odd text; bad arguments raise ValueError."""
    if severity is not None and severity not in SEVERITIES:
        raise ValueError(f"severity must be minor, moderate or serious, not {severity!r}")
    current = resolve_now(now, tz)
    masked = mask(text)
    lowered = fold(masked)  # every phrase pattern is lower-case: far faster than re.I
    rules = load_rules(config.rules_path)
    notice = unreviewable_reason(lowered)
    if notice:
        return _unreviewed(notice, severity or "minor")
    apologies = apology_spans(lowered, rules)
    promises = find_promises(text, masked, now=current, config=config)
    words = word_features(lowered)  # what the learnt second opinions read
    cues = HarmCues.of(lowered)  # read once: severity and the gesture both need them
    estimated = estimate_severity(cues, promises, words)
    used: Severity = severity or estimated
    findings = detect_findings(text, lowered, rules, used, apologies, promises)
    parts = detect_parts(lowered, promises, findings, words)
    gesture = needs_gesture(cues, used)
    if not_an_apology(lowered, apologies, bool(findings)) and not promises:
        notice = NOT_AN_APOLOGY  # and no rewrite: turning it into an apology would mislead
    return Review(
        parts=parts,
        findings=findings,
        apology_count=len(apologies),
        severity=SeverityAssessment(estimated=estimated, used=used),
        promises=promises,
        rewrite=""
        if notice
        else write_rewrite(
            text,
            lowered,
            parts,
            findings,
            rules,
            gesture=gesture,
            residual=partial(
                _residual_findings,
                rules=rules,
                severity=used,
                now=current,
                config=config,
                reviewed=_Reviewed.of(text, masked, findings),
            ),
        ),
        score=score_review(parts, findings, gesture_expected=gesture),
        notice=notice,
        suggest_gesture=gesture and not parts.offers_remedy,
        advice=tone_advice(used),
    )


@dataclass(frozen=True, slots=True)
class _Reviewed:
    """The draft's sentences as the review judged them, for checking a rewrite."""

    sentences: frozenset[str]
    clean: frozenset[str]  # those no finding touched

    @classmethod
    def of(cls, text: str, masked: str, findings: Sequence[Finding]) -> _Reviewed:
        flagged = SpanIndex((f.start, f.end) for f in findings)
        spans = sentence_spans(masked)
        return cls(
            frozenset(text[a:b] for a, b in spans),
            frozenset(text[a:b] for a, b in spans if not flagged.overlaps(a, b)),
        )


def _residual_findings(
    candidate: str,
    *,
    rules: RuleSet,
    severity: Severity,
    now: datetime,
    config: EngineConfig,
    reviewed: _Reviewed,
) -> tuple[Finding, ...]:
    """What a rewrite would still be flagged for, at the severity the review used.

    A sentence kept word for word from the draft was judged already: the rules re-read
    only the others, and promises only sentences the rewrite wrote (an added one carries
    a bracketed placeholder). Apologies are counted over the whole rewrite.
    """
    masked = mask(candidate)
    lowered = fold(masked)
    promises = find_promises(
        candidate,
        _only(candidate, masked, lambda s: s not in reviewed.sentences and "[" not in s),
        now=now,
        config=config,
    )
    unjudged = fold(_only(candidate, masked, lambda s: s not in reviewed.clean))
    apologies = apology_spans(lowered, rules)
    return detect_findings(candidate, unjudged, rules, severity, apologies, promises)


def _only(candidate: str, masked: str, keep: Callable[[str], bool]) -> str:
    """The masked text with every sentence `keep` refuses blanked out."""
    blank = [" "] * len(masked)
    for start, end in sentence_spans(masked):
        if keep(candidate[start:end]):
            blank[start:end] = masked[start:end]
    return "".join(blank)


def _unreviewed(notice: str, severity: Severity) -> Review:
    return Review(
        parts=Parts(),
        findings=(),
        apology_count=0,
        severity=SeverityAssessment(estimated="minor", used=severity),
        promises=(),
        rewrite="",
        score=0,
        notice=notice,
        advice=tone_advice(severity),
    )


def warm_up(config: EngineConfig = DEFAULT_CONFIG) -> None:
    """Compile the rules and read the lexicons and the learnt weight tables now, so that
    the first draft a server reviews is as quick as the rest."""
    review("Sorry for the delay.", config=config)
