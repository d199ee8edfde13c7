"""The staff desk's login: constant-time byte comparison, back-off and a lockout.

What it protects (see docs/deploy.md): the staff desk's direct search and state-law table are
kept off a public deployment's screen. Everything in them is public law from knowledge/, which
the chat (including its "Hotline staff" voice) also answers from, so the login guards a view,
not a secret. Failures are counted server-wide (a guesser can use many addresses); each failure
doubles the wait before the next attempt, and ten in a row lock the login for 15 minutes.
Logs carry counts only, never a name or password tried.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

log = logging.getLogger("recourse.staff")
LOCK_AFTER = 10
LOCK_SECONDS = 15 * 60
MAX_FIELD = 256


@dataclass
class LoginGuard:
    user: str
    password: str
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    not_before: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _wait_after(self, failures: int) -> float:
        if failures >= LOCK_AFTER:
            return LOCK_SECONDS
        return min(0.5 * 2 ** (failures - 1), 30.0) if failures else 0.0

    def attempt(self, name: str | None, secret: str | None) -> tuple[bool, str]:
        """(accepted, message for the person). Wrong and not-yet-allowed attempts are refused."""
        now = self.clock()
        with self._lock:
            if now < self.not_before:
                wait = int(self.not_before - now) + 1
                return False, (f"Too many failed logins. Try again in {wait} seconds."
                               if self.failures < LOCK_AFTER else
                               f"The staff login is locked after {LOCK_AFTER} failed attempts. "
                               f"Try again in {wait // 60 + 1} minutes, or ask the operator.")
            given = f"{name or ''}\0{secret or ''}".encode("utf-8", "surrogatepass")[:2 * MAX_FIELD + 1]
            wanted = f"{self.user}\0{self.password}".encode("utf-8", "surrogatepass")
            if hmac.compare_digest(given, wanted):
                if self.failures:
                    log.warning("staff login succeeded after %d failed attempts", self.failures)
                self.failures, self.not_before = 0, 0.0
                return True, ""
            self.failures += 1
            self.not_before = now + self._wait_after(self.failures)
            if self.failures == LOCK_AFTER:
                log.warning("staff login locked for %d minutes after %d failed attempts",
                            LOCK_SECONDS // 60, self.failures)
            else:
                log.warning("staff login failed (%d in a row)", self.failures)
            return False, "That user name and password did not match."
