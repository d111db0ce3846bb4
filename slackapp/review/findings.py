from __future__ import annotations

from slackapp.review.model import Finding


def apology_spans(masked, rules):
    return []


def detect_findings(text, masked, rules, used, apologies) -> tuple[Finding, ...]:
    return ()
