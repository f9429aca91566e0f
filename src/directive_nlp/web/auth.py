"""Passwords, signed session cookies, CSRF tokens and the login rate limit.

    >>> h = hash_password("correct horse")
    >>> verify_password(h, "correct horse")[0], verify_password(h, "wrong")[0]
    (True, False)
    >>> codec = SessionCodec("s3cret")
    >>> codec.load(codec.dump({"uid": 1, "csrf": "x"}))["uid"]
    1
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "dnlp_session"
SESSION_MAX_AGE = 12 * 3600
_HASHER = PasswordHasher()
#: verified against when the user does not exist, so a wrong name costs as much as a wrong password
_DUMMY_HASH = _HASHER.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _HASHER.hash(password)


def verify_password(stored: Optional[str], password: str) -> tuple[bool, Optional[str]]:
    """``(ok, new_hash)``: ``new_hash`` is set when the stored hash should be upgraded."""
    try:
        _HASHER.verify(stored or _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, None
    if stored is None:
        return False, None
    return True, (_HASHER.hash(password) if _HASHER.check_needs_rehash(stored) else None)


class SessionCodec:
    """Signs and reads the session cookie (a small dict) with itsdangerous."""

    def __init__(self, secret: str, max_age: int = SESSION_MAX_AGE):
        self._s = URLSafeTimedSerializer(secret, salt="directive-nlp-desk-session")
        self.max_age = max_age

    def dump(self, data: dict) -> str:
        return self._s.dumps(data)

    def load(self, raw: Optional[str]) -> Optional[dict]:
        """The session, or ``None`` when the cookie is missing, tampered with or expired."""
        if not raw:
            return None
        try:
            data = self._s.loads(raw, max_age=self.max_age)
        except BadSignature:
            return None
        return data if isinstance(data, dict) else None


def new_session(uid: Optional[int] = None) -> dict:
    """A session with a fresh CSRF token (a new one at every login and logout)."""
    return {"uid": uid, "csrf": secrets.token_urlsafe(24)}


def csrf_ok(session: dict, sent: Optional[str]) -> bool:
    """Whether ``sent`` is the CSRF token bound to this session (constant-time compare)."""
    want = session.get("csrf") or ""
    return bool(sent) and bool(want) and hmac.compare_digest(str(sent), want)


class RateLimiter:
    """At most ``limit`` failures per ``window`` seconds per key (user name + client address)."""

    def __init__(self, limit: int = 5, window: float = 60.0):
        self.limit, self.window = limit, window
        self._fails: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, t: float) -> deque:
        q = self._fails[key]
        while q and t - q[0] > self.window:
            q.popleft()
        return q

    def blocked(self, key: str) -> Optional[int]:
        """Seconds to wait when ``key`` is over the limit, else ``None``."""
        with self._lock:
            t = time.monotonic()
            q = self._prune(key, t)
            if len(q) >= self.limit:
                return max(1, int(self.window - (t - q[0])) + 1)
            return None

    def fail(self, key: str) -> None:
        with self._lock:
            self._prune(key, time.monotonic()).append(time.monotonic())

    def reset(self, key: str) -> None:
        with self._lock:
            self._fails.pop(key, None)
