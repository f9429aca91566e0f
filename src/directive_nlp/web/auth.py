"""Passwords, signed session cookies, CSRF tokens, the login rate limit and the client address.

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


def new_session(sid: Optional[str] = None) -> dict:
    """A cookie session with a fresh CSRF token (a new one at every login and logout); ``sid`` names
    the server-side session of a logged-in user (``Store.start_session``)."""
    return {"sid": sid, "csrf": secrets.token_urlsafe(24)}


def csrf_ok(session: dict, sent: Optional[str]) -> bool:
    """Whether ``sent`` is the CSRF token bound to this session (constant-time compare)."""
    want = session.get("csrf") or ""
    return bool(sent) and bool(want) and hmac.compare_digest(str(sent), want)


class LoginLimiter:
    """Login attempts counted per account and per client address, before the password is checked.

    Each attempt is counted first, atomically in the database (``Store.count_attempt``), and only an
    attempt within both limits reaches argon2: 30 parallel guesses cannot all be checked, and a
    second desk process sees the same counts.  A successful login clears the account's count
    and takes back its own count on the address.
    """

    def __init__(self, store, limit: int = 5, ip_limit: int = 10, window: float = 60.0):
        self.store, self.limit, self.ip_limit, self.window = store, limit, ip_limit, window

    def keys(self, name: str, ip: str) -> tuple[str, str]:
        return f"user:{name.strip().casefold()[:150]}", f"ip:{ip[:150]}"

    def attempt(self, name: str, ip: str) -> Optional[int]:
        """Count an attempt; seconds to wait when it is over a limit (then do not check the password)."""
        user_key, ip_key = self.keys(name, ip)
        over = [k for k, lim in ((user_key, self.limit), (ip_key, self.ip_limit)) if self.store.count_attempt(k, self.window) > lim]
        if not over:
            return None
        return max(1, int(self.window - max(self.store.attempt_age(k) for k in over)) + 1)

    def succeeded(self, name: str, ip: str) -> None:
        user_key, ip_key = self.keys(name, ip)
        self.store.forget_attempts(user_key)
        self.store.forget_attempts(ip_key, one=True)


def client_ip(peer: Optional[str], forwarded_for: Optional[str], trusted: frozenset) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy; then the last address
    in ``X-Forwarded-For`` that is not itself a trusted proxy.  Headers from anyone else are ignored.

        >>> client_ip("127.0.0.1", "6.6.6.6", frozenset())
        '127.0.0.1'
        >>> client_ip("10.0.0.2", "1.2.3.4, 6.6.6.6", frozenset({"10.0.0.2"}))
        '6.6.6.6'
    """
    peer = peer or "-"
    if peer not in trusted or not forwarded_for:
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if hop not in trusted:
            return hop
    return peer
