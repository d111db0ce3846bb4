"""A 0-100 score weighted by what apology research found matters most.

Lewicki, Polin & Lount (2016), "An Exploration of the Structure of Effective Apologies":
acknowledging responsibility matters most, then an offer of repair, then explaining what
went wrong and what happens next. Each finding then costs points.
"""

from __future__ import annotations

from collections.abc import Sequence

from slackapp.review.model import Finding, Parts

PART_WEIGHTS: dict[str, int] = {
    "owns_it": 30,
    "offers_remedy": 20,
    "states_fix": 20,
    "names_problem": 15,
    "gives_timeline": 15,
}
FINDING_COST = 10
OVER_APOLOGY_COST = 4  # charged per extra sorry, so a flood costs more than one slip


def score_review(parts: Parts, findings: Sequence[Finding], *, gesture_expected: bool) -> int:
    """Weighted parts minus findings, clamped to 0-100.

    A gesture is only expected when the situation calls for one; otherwise its weight
    goes to the fix, which is the repair that matters for small problems.
    """
    earned = sum(weight for part, weight in PART_WEIGHTS.items() if getattr(parts, part))
    if not gesture_expected and not parts.offers_remedy:
        earned += PART_WEIGHTS["offers_remedy"] if parts.states_fix else 0
    cost = sum(OVER_APOLOGY_COST if f.code == "over-apology" else FINDING_COST for f in findings)
    return max(0, min(100, earned - cost))
