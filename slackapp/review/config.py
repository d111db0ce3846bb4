"""Engine settings: the few facts about a team that change how a draft is read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Literal

DateOrder = Literal["MDY", "DMY"]


@dataclass(frozen=True, slots=True)
class EngineConfig:
    workday_end: time = time(17, 0)  # a date with no time means this time that day
    holiday_country: str | None = None  # ISO code for `holidays`; None skips only weekends
    date_order: DateOrder = "MDY"  # how to read 12/3
    rules_path: Path | None = None  # a team's rule pack (TOML) layered over the built-in rules


DEFAULT_CONFIG = EngineConfig()
