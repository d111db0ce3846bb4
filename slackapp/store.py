"""The app's memory: one SQLite file (WAL) reached through sqlite-utils.

What lives here: a review log (finding codes and parts, never the draft unless
STORE_DRAFTS is on), "Not an issue here" dismissals, short-lived drafts for
re-reviews, tracked promises and the reminder outbox the dispatcher drains.

Every agent-facing query is scoped by team_id *and* user_id, so nobody can read
or change another workspace's or another agent's promise by guessing an id.
Timestamps are UTC ISO 8601 strings with a fixed width, so string order is time
order and the due scan can use a plain index.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import sqlite_utils

if TYPE_CHECKING:  # type hints only: importing the review engine would slow every worker start
    from slackapp.config import Settings
    from slackapp.review.model import Promise, Review

Status = Literal["open", "done", "cancelled"]
ReminderKind = Literal["due", "overdue", "checkin"]

DRAFT_TTL = timedelta(days=1)


# The due DM arrives at the deadline itself: a promise closed within the hour after it
# was kept, not late.
ON_TIME_GRACE = timedelta(hours=1)


def iso(moment: datetime) -> str:
    """The stored form of a moment: UTC, seconds precision, always the same width."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: pass an aware datetime")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def utcnow() -> datetime:
    return datetime.now(UTC)


def country_holidays(country: str | None) -> Container[date]:
    """A country's public holidays (the `holidays` package, imported only when needed)."""
    if not country:
        return frozenset()
    import holidays

    return holidays.country_holidays(country)


def add_business_days(start: datetime, days: int, holidays: Container[date] = ()) -> datetime:
    """`days` working days after `start`: weekends and `holidays` are skipped."""
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5 and moment.date() not in holidays:
            days -= 1
    return moment


MOMENTS = frozenset({"due", "created_at", "updated_at", "done_at", "send_at"})


def _from_row(cls: type, row: dict[str, Any]) -> Any:
    """A record dataclass from a row: its own columns, timestamps parsed back to datetimes."""
    return cls(
        **{
            f.name: parse_iso(row[f.name]) if f.name in MOMENTS else row[f.name]
            for f in fields(cls)
        }
    )


@dataclass(frozen=True, slots=True)
class TrackedPromise:
    id: int
    team_id: str
    user_id: str
    channel_id: str
    permalink: str | None
    customer: str | None
    kind: str
    clause: str
    due: datetime | None
    status: Status
    snooze_count: int
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> TrackedPromise:
        return _from_row(cls, row)

    def is_overdue(self, now: datetime) -> bool:
        return self.status == "open" and self.due is not None and self.due < now

    def kept_on_time(self) -> bool:
        return self.status == "done" and (
            self.due is None
            or (self.done_at is not None and self.done_at <= self.due + ON_TIME_GRACE)
        )

    def to_dict(self) -> dict[str, Any]:
        """The stored form again (UTC ISO strings): what `slackapp promises --json` prints."""
        values = ((f.name, getattr(self, f.name)) for f in fields(self))
        return {
            name: iso(value) if isinstance(value, datetime) else value for name, value in values
        }


@dataclass(frozen=True, slots=True)
class Reminder:
    """One outbox row, as claimed by a dispatcher."""

    id: int
    team_id: str
    user_id: str
    promise_id: int | None
    kind: ReminderKind
    send_at: datetime
    attempts: int
    permalink: str | None
    customer: str | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Reminder:
        return _from_row(cls, row)


# --- migrations -----------------------------------------------------------------------------
# Append only: a released migration never changes. PRAGMA user_version records how many ran.


def _m1_review_log(db: sqlite_utils.Database) -> None:
    db["review_log"].create(
        {
            "id": str,
            "team_id": str,
            "user_id": str,
            "created_at": str,
            "codes": str,
            "parts": str,
            "severity": str,
            "score": int,
            "promise_count": int,
            "draft": str,
        },
        pk="id",
        not_null={"team_id", "user_id", "created_at", "codes", "parts"},
    )
    db["review_log"].create_index(["created_at"])
    db["dismissals"].create(
        {"id": int, "team_id": str, "user_id": str, "code": str, "created_at": str},
        pk="id",
        not_null={"team_id", "user_id", "code", "created_at"},
    )
    db["dismissals"].create_index(["team_id", "code"])


def _m2_drafts(db: sqlite_utils.Database) -> None:
    db["drafts"].create(
        {"id": str, "team_id": str, "user_id": str, "text": str, "created_at": str},
        pk="id",
        not_null={"team_id", "user_id", "text", "created_at"},
    )
    db["drafts"].create_index(["created_at"])


def _m3_promises_and_outbox(db: sqlite_utils.Database) -> None:
    db["promises"].create(
        {
            "id": int,
            "team_id": str,
            "user_id": str,
            "channel_id": str,
            "permalink": str,
            "customer": str,
            "kind": str,
            "clause": str,
            "due": str,
            "status": str,
            "snooze_count": int,
            "created_at": str,
            "updated_at": str,
            "done_at": str,
        },
        pk="id",
        not_null={"team_id", "user_id", "channel_id", "kind", "clause", "status"},
        defaults={"status": "open", "snooze_count": 0},
    )
    db["promises"].create_index(["team_id", "user_id", "status", "due"])
    db["promises"].create_index(["updated_at"])
    db["reminders"].create(
        {
            "id": int,
            "team_id": str,
            "user_id": str,
            "promise_id": int,
            "kind": str,
            "send_at": str,
            "lease_until": str,
            "attempts": int,
            "sent_at": str,
            "permalink": str,
            "customer": str,
            "created_at": str,
        },
        pk="id",
        not_null={"team_id", "user_id", "kind", "send_at", "created_at"},
        defaults={"attempts": 0},
        foreign_keys=[("promise_id", "promises", "id")],
    )
    db["reminders"].create_index(["promise_id"])
    # The due scan reads only unsent rows in send_at order: a partial index keeps it
    # small however many sent reminders pile up.
    db.execute("CREATE INDEX idx_reminders_due ON reminders(send_at) WHERE sent_at IS NULL")


def _m4_delivery_details(db: sqlite_utils.Database) -> None:
    # Where the DM landed (so App Home actions can update it in place) and why the
    # last attempt failed (so operators can see stuck rows).
    db["reminders"].add_column("dm_channel", str)
    db["reminders"].add_column("dm_ts", str)
    db["reminders"].add_column("last_error", str)


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    _m1_review_log,
    _m2_drafts,
    _m3_promises_and_outbox,
    _m4_delivery_details,
)
SCHEMA_VERSION = len(MIGRATIONS)


class Store:
    """Thread-safe: one connection guarded by a lock; other processes meet us in WAL."""

    def __init__(
        self,
        path: str | Path,
        *,
        store_drafts: bool = False,
        overdue_after: timedelta = timedelta(hours=2),
        checkin_after_days: int = 3,
        holiday_country: str | None = None,
        busy_timeout_ms: int = 5000,
        migrate_to: int = SCHEMA_VERSION,
    ) -> None:
        self.path = Path(path)
        self.store_drafts = store_drafts
        self.overdue_after = overdue_after
        self.checkin_after_days = checkin_after_days
        self.holidays = country_holidays(holiday_country)
        self.clock: Callable[[], datetime] = utcnow  # the sandbox moves it forward
        self._lock = threading.RLock()
        conn = sqlite3.connect(
            str(self.path), timeout=busy_timeout_ms / 1000, check_same_thread=False
        )
        self.db = sqlite_utils.Database(conn)
        self.db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        self.db.enable_wal()
        self.db.execute("PRAGMA synchronous = NORMAL")  # durable across app crashes in WAL
        self.db.execute("PRAGMA foreign_keys = ON")
        self._migrate(migrate_to)

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        return cls(
            settings.database_path,
            store_drafts=settings.store_drafts,
            checkin_after_days=settings.checkin_after_days,
            holiday_country=settings.holiday_country,
        )

    def close(self) -> None:
        with self._lock:
            self.db.close()

    # --- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite_utils.Database]:
        """One IMMEDIATE transaction: takes the write lock up front, so no reader-to-writer
        upgrade can fail half-way, and a second process waits (busy timeout) instead."""
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.db.query(sql, params))

    @property
    def schema_version(self) -> int:
        with self._lock:
            return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self, target: int) -> None:
        with self._write() as db:  # re-read inside the lock: another process may have migrated
            current = db.execute("PRAGMA user_version").fetchone()[0]
            if current > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.path} has schema version {current}; this code knows up to "
                    f"{SCHEMA_VERSION}. Upgrade slackapp before opening it."
                )
            for version in range(current + 1, target + 1):
                MIGRATIONS[version - 1](db)
                db.execute(f"PRAGMA user_version = {version}")

    # --- reviews, dismissals, drafts -----------------------------------------------------

    def log_review(
        self, *, team_id: str, user_id: str, review: Review, draft: str | None = None
    ) -> str:
        review_id = secrets.token_hex(8)
        row = {
            "id": review_id,
            "team_id": team_id,
            "user_id": user_id,
            "created_at": iso(self.clock()),
            "codes": json.dumps(list(review.codes)),
            "parts": json.dumps(review.parts.to_dict()),
            "severity": review.severity.used,
            "score": review.score,
            "promise_count": len(review.promises),
            "draft": draft if self.store_drafts else None,
        }
        # Plain SQL: every review writes this row, and sqlite-utils' insert() runs five
        # catalogue queries around it each time (0.26 ms -> 0.11 ms per review).
        columns = ", ".join(row)
        with self._write() as db:
            db.execute(
                f"INSERT INTO review_log ({columns}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
        return review_id

    def get_review_log(self, review_id: str, *, team_id: str) -> dict[str, Any] | None:
        rows = self._rows(
            "SELECT * FROM review_log WHERE id = ? AND team_id = ?", (review_id, team_id)
        )
        return rows[0] if rows else None

    def record_dismissal(self, *, team_id: str, user_id: str, code: str) -> None:
        with self._write() as db:
            db["dismissals"].insert(
                {
                    "team_id": team_id,
                    "user_id": user_id,
                    "code": code,
                    "created_at": iso(self.clock()),
                }
            )

    def dismissal_counts(self, team_id: str) -> dict[str, int]:
        rows = self._rows(
            "SELECT code, count(*) AS n FROM dismissals WHERE team_id = ? GROUP BY code",
            (team_id,),
        )
        return {row["code"]: row["n"] for row in rows}

    def save_draft(self, *, team_id: str, user_id: str, text: str) -> str:
        draft_id = secrets.token_urlsafe(12)
        now = self.clock()
        with self._write() as db:
            db.execute("DELETE FROM drafts WHERE created_at < ?", (iso(now - DRAFT_TTL),))
            db["drafts"].insert(
                {
                    "id": draft_id,
                    "team_id": team_id,
                    "user_id": user_id,
                    "text": text,
                    "created_at": iso(now),
                }
            )
        return draft_id

    def load_draft(self, draft_id: str, *, team_id: str, user_id: str) -> str | None:
        rows = self._rows(
            "SELECT text FROM drafts WHERE id = ? AND team_id = ? AND user_id = ?"
            " AND created_at >= ?",
            (draft_id, team_id, user_id, iso(self.clock() - DRAFT_TTL)),
        )
        return rows[0]["text"] if rows else None

    # --- promises ---------------------------------------------------------------------------

    def track_promises(
        self,
        *,
        team_id: str,
        user_id: str,
        channel_id: str,
        permalink: str | None,
        promises: Iterable[Promise],
        customer: str | None = None,
    ) -> list[int]:
        """Remember the promises of one apology and schedule their reminders and check-in.

        A promise reported as already done is stored as done (it counts as kept)."""
        now = self.clock()
        ids = []
        with self._write() as db:
            for promise in promises:
                row = {
                    "team_id": team_id,
                    "user_id": user_id,
                    "channel_id": channel_id,
                    "permalink": permalink,
                    "customer": customer,
                    "kind": promise.kind,
                    "clause": promise.text,
                    "due": iso(promise.due) if promise.due else None,
                    "status": "done" if promise.done else "open",
                    "created_at": iso(now),
                    "updated_at": iso(now),
                    "done_at": iso(now) if promise.done else None,
                }
                promise_id = db["promises"].insert(row).last_pk
                ids.append(promise_id)
                if not promise.done and promise.due:
                    self._schedule_promise(db, promise_id, team_id, user_id, promise.due, now)
            self._schedule_checkin(db, team_id, user_id, permalink, customer, now)
        return ids

    def schedule_checkin(
        self, *, team_id: str, user_id: str, permalink: str | None, customer: str | None = None
    ) -> int | None:
        """A check-in DM for an apology with no promises; None when one is already pending."""
        with self._write() as db:
            return self._schedule_checkin(db, team_id, user_id, permalink, customer, self.clock())

    def _schedule_checkin(
        self,
        db: sqlite_utils.Database,
        team_id: str,
        user_id: str,
        permalink: str | None,
        customer: str | None,
        now: datetime,
    ) -> int | None:
        if (
            permalink
            and db.execute(
                "SELECT 1 FROM reminders WHERE kind = 'checkin' AND team_id = ? AND user_id = ?"
                " AND permalink = ? AND sent_at IS NULL",
                (team_id, user_id, permalink),
            ).fetchone()
        ):
            return None  # one check-in per apology, however often it is re-reviewed
        send_at = add_business_days(now, self.checkin_after_days, self.holidays)
        return self._add_reminder(
            db, team_id, user_id, None, "checkin", send_at, now, permalink, customer
        )

    def _schedule_promise(
        self,
        db: sqlite_utils.Database,
        promise_id: int,
        team_id: str,
        user_id: str,
        due: datetime,
        now: datetime,
        *,
        after: datetime | None = None,
    ) -> None:
        for kind, send_at in (("due", due), ("overdue", due + self.overdue_after)):
            if after is None or send_at > after:
                self._add_reminder(db, team_id, user_id, promise_id, kind, send_at, now)

    @staticmethod
    def _add_reminder(
        db: sqlite_utils.Database,
        team_id: str,
        user_id: str,
        promise_id: int | None,
        kind: ReminderKind,
        send_at: datetime,
        now: datetime,
        permalink: str | None = None,
        customer: str | None = None,
    ) -> int:
        return (
            db["reminders"]
            .insert(
                {
                    "team_id": team_id,
                    "user_id": user_id,
                    "promise_id": promise_id,
                    "kind": kind,
                    "send_at": iso(send_at),
                    "permalink": permalink,
                    "customer": customer,
                    "created_at": iso(now),
                }
            )
            .last_pk
        )

    def get_promise(self, promise_id: int, *, team_id: str, user_id: str) -> TrackedPromise | None:
        rows = self._rows(
            "SELECT * FROM promises WHERE id = ? AND team_id = ? AND user_id = ?",
            (promise_id, team_id, user_id),
        )
        return TrackedPromise.from_row(rows[0]) if rows else None

    def complete(self, promise_id: int, *, team_id: str, user_id: str) -> TrackedPromise | None:
        """Mark an open promise done; None when it is not this agent's or not open."""
        return self._close(promise_id, team_id, user_id, "done")

    def cancel(self, promise_id: int, *, team_id: str, user_id: str) -> TrackedPromise | None:
        return self._close(promise_id, team_id, user_id, "cancelled")

    def _close(
        self, promise_id: int, team_id: str, user_id: str, status: Status
    ) -> TrackedPromise | None:
        now = iso(self.clock())
        with self._write() as db:
            row = db.execute_returning_dicts(
                "UPDATE promises SET status = ?, updated_at = ?, done_at = ?"
                " WHERE id = ? AND team_id = ? AND user_id = ? AND status = 'open' RETURNING *",
                (status, now, now if status == "done" else None, promise_id, team_id, user_id),
            )
            if row:
                self._drop_pending(db, promise_id)
        return TrackedPromise.from_row(row[0]) if row else None

    def snooze(
        self, promise_id: int, *, team_id: str, user_id: str, until: datetime
    ) -> TrackedPromise | None:
        """Remind again at `until` instead of the pending reminders (and at the deadline
        too, when `until` comes before it)."""
        now = self.clock()
        with self._write() as db:
            rows = db.execute_returning_dicts(
                "UPDATE promises SET snooze_count = snooze_count + 1, updated_at = ?"
                " WHERE id = ? AND team_id = ? AND user_id = ? AND status = 'open' RETURNING *",
                (iso(now), promise_id, team_id, user_id),
            )
            if not rows:
                return None
            promise = TrackedPromise.from_row(rows[0])
            self._drop_pending(db, promise_id)
            late = promise.due is None or until >= promise.due
            self._add_reminder(
                db, team_id, user_id, promise_id, "overdue" if late else "due", until, now
            )
            if not late:
                self._schedule_promise(
                    db, promise_id, team_id, user_id, promise.due, now, after=until
                )
        return promise

    @staticmethod
    def _drop_pending(db: sqlite_utils.Database, promise_id: int) -> None:
        # Unclaimed rows go; a row a dispatcher holds right now is re-checked before sending.
        db.execute("DELETE FROM reminders WHERE promise_id = ? AND sent_at IS NULL", (promise_id,))

    def open_promises(self, team_id: str, user_id: str) -> list[TrackedPromise]:
        """This agent's open promises, soonest deadline first, undated ones last."""
        rows = self._rows(
            "SELECT * FROM promises WHERE team_id = ? AND user_id = ? AND status = 'open'"
            " ORDER BY due IS NULL, due, id",
            (team_id, user_id),
        )
        return [TrackedPromise.from_row(row) for row in rows]

    def done_since(self, team_id: str, user_id: str, since: datetime) -> list[TrackedPromise]:
        rows = self._rows(
            "SELECT * FROM promises WHERE team_id = ? AND user_id = ? AND status = 'done'"
            " AND done_at >= ? ORDER BY done_at DESC",
            (team_id, user_id, iso(since)),
        )
        return [TrackedPromise.from_row(row) for row in rows]

    def kept_on_time_rate(self, team_id: str, user_id: str) -> float | None:
        """Share of this agent's finished-or-late promises kept on time; None with none yet."""
        now = iso(self.clock())
        row = self._rows(
            "SELECT"
            " sum(status = 'done' AND (due IS NULL"
            "     OR julianday(done_at) <= julianday(due) + ? / 86400.0)) AS kept,"
            " sum(status = 'done' OR (status = 'open' AND due < ?)) AS judged"
            " FROM promises WHERE team_id = ? AND user_id = ?",
            (ON_TIME_GRACE.total_seconds(), now, team_id, user_id),
        )[0]
        return row["kept"] / row["judged"] if row["judged"] else None

    def list_promises(
        self,
        team: str | None = None,
        user: str | None = None,
        status: str | None = None,
        *,
        now: datetime | None = None,
    ) -> list[TrackedPromise]:
        """Operators' view across teams. status: open, overdue, done or cancelled."""
        clauses, params = [], []
        for column, value in (("team_id", team), ("user_id", user)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if status == "overdue":
            clauses.append("status = 'open' AND due < ?")
            params.append(iso(now or self.clock()))
        elif status:
            clauses.append("status = ?")
            params.append(status)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._rows(
            f"SELECT * FROM promises {where} ORDER BY team_id, user_id, due IS NULL, due, id",
            params,
        )
        return [TrackedPromise.from_row(row) for row in rows]

    # --- the reminder outbox ------------------------------------------------------------

    DUE_SCAN = (
        "SELECT id FROM reminders WHERE sent_at IS NULL AND send_at <= :now"
        " AND (lease_until IS NULL OR lease_until <= :now) ORDER BY send_at LIMIT :limit"
    )

    def claim_due(self, now: datetime, *, lease: timedelta, limit: int = 50) -> list[Reminder]:
        """Lease up to `limit` due reminders to this caller, atomically.

        A claimed row is invisible to other dispatchers until its lease runs out, so a
        crash between claim and send only delays it."""
        with self._write() as db:
            rows = db.execute_returning_dicts(
                f"UPDATE reminders SET lease_until = :lease, attempts = attempts + 1"
                f" WHERE id IN ({self.DUE_SCAN}) RETURNING *",
                {"now": iso(now), "lease": iso(now + lease), "limit": limit},
            )
        return sorted((Reminder.from_row(row) for row in rows), key=lambda r: (r.send_at, r.id))

    def mark_sent(
        self, reminder_id: int, *, at: datetime, dm_channel: str | None, dm_ts: str | None
    ) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE reminders SET sent_at = ?, lease_until = NULL, dm_channel = ?, dm_ts = ?,"
                " last_error = NULL WHERE id = ?",
                (iso(at), dm_channel, dm_ts, reminder_id),
            )

    def give_up(self, reminder_id: int, *, at: datetime, error: str) -> None:
        """Close a reminder Slack will never accept, keeping why (its promise stays open)."""
        with self._write() as db:
            db.execute(
                "UPDATE reminders SET sent_at = ?, lease_until = NULL, last_error = ? WHERE id = ?",
                (iso(at), error, reminder_id),
            )

    def retry_at(self, reminder_id: int, *, at: datetime, error: str) -> None:
        """Keep the row leased until `at` (a backoff), then any dispatcher may take it."""
        with self._write() as db:
            db.execute(
                "UPDATE reminders SET lease_until = ?, last_error = ? WHERE id = ?",
                (iso(at), error[:500], reminder_id),
            )

    def release(self, reminder_ids: Sequence[int]) -> None:
        """Hand claimed rows back untried, for any dispatcher to take now."""
        with self._write() as db:
            db.conn.executemany(
                "UPDATE reminders SET lease_until = NULL, attempts = max(attempts - 1, 0)"
                " WHERE id = ? AND sent_at IS NULL",
                [(reminder_id,) for reminder_id in reminder_ids],
            )

    def postpone(self, reminder_id: int, *, until: datetime) -> None:
        """Move an unsent reminder (e.g. out of quiet hours); not a failed attempt."""
        with self._write() as db:
            db.execute(
                "UPDATE reminders SET send_at = ?, lease_until = NULL,"
                " attempts = max(attempts - 1, 0) WHERE id = ? AND sent_at IS NULL",
                (iso(until), reminder_id),
            )

    def is_pending(self, reminder_id: int) -> bool:
        """False once sent, or dropped because its promise was closed or snoozed meanwhile."""
        return bool(
            self._rows("SELECT 1 FROM reminders WHERE id = ? AND sent_at IS NULL", (reminder_id,))
        )

    def get_reminder(self, reminder_id: int, *, team_id: str, user_id: str) -> Reminder | None:
        rows = self._rows(
            "SELECT * FROM reminders WHERE id = ? AND team_id = ? AND user_id = ?",
            (reminder_id, team_id, user_id),
        )
        return Reminder.from_row(rows[0]) if rows else None

    def latest_dm(self, promise_id: int, *, team_id: str, user_id: str) -> tuple[str, str] | None:
        """(channel, ts) of the last DM sent about this promise, to update it in place."""
        rows = self._rows(
            "SELECT dm_channel, dm_ts FROM reminders WHERE promise_id = ? AND team_id = ?"
            " AND user_id = ? AND dm_ts IS NOT NULL ORDER BY sent_at DESC LIMIT 1",
            (promise_id, team_id, user_id),
        )
        return (rows[0]["dm_channel"], rows[0]["dm_ts"]) if rows else None

    def pending_reminders(
        self, *, team_id: str | None = None, user_id: str | None = None
    ) -> list[Reminder]:
        """Unsent reminders in send order (operators and tests)."""
        clauses = ["sent_at IS NULL"]
        params = []
        for column, value in (("team_id", team_id), ("user_id", user_id)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        rows = self._rows(
            f"SELECT * FROM reminders WHERE {' AND '.join(clauses)} ORDER BY send_at, id", params
        )
        return [Reminder.from_row(row) for row in rows]

    # --- retention --------------------------------------------------------------------------

    def purge(self, older_than: datetime) -> dict[str, int]:
        """Forget what is older than the cut-off (RETENTION_DAYS) and drafts older than a day.

        Promises go by last activity, open or not: one untouched for the whole retention
        period is no longer a live obligation. Returns rows deleted per table."""
        cutoff = iso(older_than)
        statements = {
            "reminders": (
                "DELETE FROM reminders WHERE (sent_at IS NOT NULL AND sent_at < :cutoff)"
                " OR promise_id IN (SELECT id FROM promises WHERE updated_at < :cutoff)"
                " OR (promise_id IS NULL AND created_at < :cutoff)"
            ),
            "promises": "DELETE FROM promises WHERE updated_at < :cutoff",
            "review_log": "DELETE FROM review_log WHERE created_at < :cutoff",
            "dismissals": "DELETE FROM dismissals WHERE created_at < :cutoff",
            "drafts": "DELETE FROM drafts WHERE created_at < :drafts_cutoff",
        }
        params = {"cutoff": cutoff, "drafts_cutoff": iso(self.clock() - DRAFT_TTL)}
        with self._write() as db:
            return {table: db.execute(sql, params).rowcount for table, sql in statements.items()}
