"""Load the phrase-rule table (rules.toml) and a team's optional rule pack."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from slackapp.review.cues import Cue, CueList
from slackapp.review.model import FINDING_CODES

BUILTIN_RULES = Path(__file__).with_name("rules.toml")
LEXICONS = Path(__file__).with_name("lexicons.toml")
_MACRO = re.compile(r"\{([A-Z_]+)\}")


class RulePackError(ValueError):
    """A rule pack that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    code: str
    cue: Cue
    message: str
    suggestion: str | None
    drop: bool
    severities: frozenset[str] | None
    source: str
    not_in_offers: bool = False


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[Rule, ...]
    apology: Cue
    apology_exceptions: Cue
    over_apology_at: int
    over_apology_message: str


def compile_pattern(pattern: str, macros: dict[str, str]) -> re.Pattern[str]:
    """Expand {MACROS}; a space matches any whitespace (" ?" any or none); lower-case only."""
    expanded = _expand(pattern, macros, depth=0)
    return re.compile(expanded.replace(" ?", r"\s*").replace(" ", r"\s+"))


def _expand(pattern: str, macros: dict[str, str], depth: int) -> str:
    if depth > 8:
        raise RulePackError(f"macros nest too deeply in {pattern!r}")

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            return match.group(0)  # a regex quantifier such as {2} is not a macro
        return _expand(macros[name], macros, depth + 1)

    return _MACRO.sub(substitute, pattern)


def _rule(raw: dict[str, Any], macros: dict[str, str], origin: Path) -> Rule:
    try:
        code = raw["code"]
        if code not in FINDING_CODES:
            raise RulePackError(f"{origin}: rule {raw.get('id')!r} has unknown code {code!r}")
        # Whole words only: no match may start or end inside a word.
        whole_words = [rf"(?<![\w'])(?:{p})(?:(?<![\w'])|(?![\w']))" for p in raw["patterns"]]
        severities = raw.get("severities")
        return Rule(
            id=raw["id"],
            code=code,
            cue=_alternation(whole_words, macros, _triggers(raw.get("triggers"))),
            message=raw["message"],
            suggestion=raw.get("suggestion"),
            drop=bool(raw.get("drop", False)),
            severities=frozenset(severities) if severities else None,
            source=raw.get("source", ""),
            not_in_offers=bool(raw.get("not_in_offers", False)),
        )
    except KeyError as missing:
        raise RulePackError(f"{origin}: a rule lacks {missing}") from None
    except re.error as bad:
        raise RulePackError(f"{origin}: rule {raw.get('id')!r} has a bad pattern: {bad}") from None


def _triggers(words: list[str] | None) -> tuple[str, ...]:
    return tuple(word.lower() for word in words or ())


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as err:
        raise RulePackError(f"cannot read rule pack {path}: {err.strerror}") from None
    except tomllib.TOMLDecodeError as err:
        raise RulePackError(f"rule pack {path} is not valid TOML: {err}") from None


@cache
def load_rules(pack: Path | None = None) -> RuleSet:
    """The built-in rules, with a team's pack (extra rules, `disable` by id) layered on top."""
    base = _read(BUILTIN_RULES)
    macros = dict(base["macros"])
    raw_rules = list(base["rule"])
    if pack is not None:
        team = _read(Path(pack))
        macros.update(team.get("macros", {}))
        disabled = set(team.get("disable", []))
        raw_rules = [r for r in raw_rules if r["id"] not in disabled] + team.get("rule", [])
    apology = base["apology"]
    return RuleSet(
        rules=tuple(_rule(raw, macros, pack or BUILTIN_RULES) for raw in raw_rules),
        apology=_alternation(apology["patterns"], macros),
        apology_exceptions=_alternation(apology["exceptions"], macros),
        over_apology_at=int(apology["over_apology_at"]),
        over_apology_message=apology["over_apology_message"],
    )


def _alternation(
    patterns: list[str], macros: dict[str, str], triggers: tuple[str, ...] = ()
) -> Cue:
    """The patterns, macros expanded, as one cue that tries each on its own heads."""
    return Cue.alternation(tuple(compile_pattern(p, macros) for p in patterns), triggers)


@cache
def lexicon(name: str) -> CueList:
    """One word list from lexicons.toml, read as a single alternation."""
    return CueList(compile_pattern(pattern, {}) for pattern in _read(LEXICONS)[name])
