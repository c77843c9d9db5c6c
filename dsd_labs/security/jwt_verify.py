"""JSON Web Tokens from the RFCs: an encoder, a strict verifier, and the attacks it stops.

A JWT (RFC 7519) in compact JWS form (RFC 7515) is
``BASE64URL(header) . BASE64URL(claims) . BASE64URL(signature)``, and the
signature covers the first two parts as ASCII. This module signs with HS256
(HMAC-SHA-256, a shared secret) or ES256 (ECDSA P-256, RFC 7518 3.4) and
verifies with the rules RFC 8725 asks for: an algorithm allow-list that
never contains ``none``, each key bound to exactly one algorithm, the
signature checked before any claim is believed, ``exp`` and ``nbf`` with a
bounded clock-skew leeway, and ``iss`` and ``aud`` compared with what this
verifier expects. A deliberately naive verifier that trusts the header runs
beside it, so each attack shows what it would have bought the attacker.

Times are integers passed in by the caller: nothing reads the wall clock.

Run: ``python -m dsd_labs.security.jwt_verify``
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
from dataclasses import dataclass, field

from dsd_labs.security import p256

B64URL_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515 section 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    """Inverse of :func:`b64url`; rejects characters outside the URL-safe alphabet."""
    if any(c not in B64URL_ALPHABET for c in text):
        raise TokenError("malformed base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenError(Exception):
    """A token was rejected; the message says which rule failed."""


@dataclass(frozen=True)
class Key:
    """A verification key bound to one algorithm, as RFC 8725 section 3.1 asks."""

    kid: str
    alg: str  # "HS256" or "ES256"
    secret: bytes = b""
    ec: p256.PrivateKey | None = None  # the signer holds the private key
    public: tuple[int, int] | None = None  # a verifier needs only this

    def __post_init__(self) -> None:
        if self.alg == "HS256" and len(self.secret) < 32:
            # RFC 7518 3.2: the key must be at least as long as the hash output.
            raise ValueError(f"HS256 key {self.kid!r} has {len(self.secret)} bytes; need >= 32")
        if self.alg not in ("HS256", "ES256"):
            raise ValueError(f"unsupported algorithm {self.alg}")

    def published_bytes(self) -> bytes:
        """What an attacker can download from a JWKS endpoint: the public key bytes."""
        assert self.public is not None
        x, y = self.public
        return b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")


def _sign(alg: str, key_material: Key | bytes, signing_input: bytes) -> bytes:
    if alg == "HS256":
        secret = key_material if isinstance(key_material, bytes) else key_material.secret
        return hmac.new(secret, signing_input, hashlib.sha256).digest()
    if alg == "ES256":
        assert isinstance(key_material, Key) and key_material.ec is not None
        r, s = p256.sign(key_material.ec, signing_input)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")  # JWS uses r || s, not DER
    if alg == "none":
        return b""
    raise ValueError(alg)


def encode(claims: dict, alg: str, key_material: Key | bytes | None, kid: str = "") -> str:
    """Serialize and sign; ``key_material`` may be raw bytes to model a forger."""
    header = {"alg": alg, "typ": "JWT"} | ({"kid": kid} if kid else {})
    head = b64url(json.dumps(header, separators=(",", ":")).encode())
    body = b64url(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{head}.{body}".encode()
    signature = _sign(alg, key_material or b"", signing_input)
    return f"{head}.{body}.{b64url(signature)}"


@dataclass(frozen=True)
class Policy:
    """What this verifier accepts. Everything not listed here is rejected."""

    issuer: str
    audience: str
    algorithms: frozenset[str]
    leeway_s: int = 60
    max_lifetime_s: int = 3600


def _split(token: str) -> tuple[dict, dict, bytes, bytes]:
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("not a compact JWS (need exactly three parts)")
    try:
        header = json.loads(b64url_decode(parts[0]))
        claims = json.loads(b64url_decode(parts[1]))
    except (ValueError, UnicodeDecodeError) as exc:
        raise TokenError("header or claims are not JSON") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise TokenError("header and claims must be JSON objects")
    return header, claims, f"{parts[0]}.{parts[1]}".encode(), b64url_decode(parts[2])


def _signature_ok(key: Key, signing_input: bytes, signature: bytes) -> bool:
    if key.alg == "HS256":
        expected = hmac.new(key.secret, signing_input, hashlib.sha256).digest()
        return hmac.compare_digest(expected, signature)  # constant-time comparison
    if len(signature) != 64 or key.public is None:
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    return p256.verify(key.public, signing_input, (r, s))


# [start verify]
def verify(token: str, keys: dict[str, Key], policy: Policy, now: int,
           revoked_jti: frozenset[str] = frozenset()) -> dict:
    """Return the claims of a valid token or raise TokenError naming the broken rule."""
    header, claims, signing_input, signature = _split(token)
    alg = header.get("alg")
    if alg not in policy.algorithms:  # "none" is never in the allow-list
        raise TokenError(f"algorithm {alg!r} not allowed")
    if "crit" in header:
        raise TokenError("critical header parameters not supported")
    key = keys.get(header.get("kid", ""))
    if key is None:
        raise TokenError("unknown key id")
    if key.alg != alg:  # the key decides the algorithm, never the header
        raise TokenError(f"key {key.kid} is {key.alg}, not {alg}")
    if not _signature_ok(key, signing_input, signature):
        raise TokenError("bad signature")
    # Only now are the claims trustworthy enough to read.
    for name in ("iss", "aud", "exp", "iat"):
        if name not in claims:
            raise TokenError(f"missing required claim {name!r}")
    if claims["iss"] != policy.issuer:
        raise TokenError("issuer not trusted")
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if policy.audience not in audiences:
        raise TokenError(f"aud {claims['aud']}, expected {policy.audience}")
    if now >= claims["exp"] + policy.leeway_s:
        raise TokenError("expired")
    if now < claims.get("nbf", claims["iat"]) - policy.leeway_s:
        raise TokenError("not yet valid")
    if claims["exp"] - claims["iat"] > policy.max_lifetime_s:
        raise TokenError(f"lifetime over {policy.max_lifetime_s} s limit")
    if claims.get("jti") in revoked_jti:
        raise TokenError("revoked (jti on the denylist)")
    return claims
# [end verify]


# [start naive]
def naive_verify(token: str, material: dict[str, bytes],
                 publics: dict[str, tuple[int, int]], now: int) -> dict:
    """A vulnerable verifier: it lets the token's header pick the algorithm.

    It stores raw key bytes per key id (the HMAC secret, or the public key
    as published) and uses them for whatever algorithm the header names,
    accepts ``none``, and never looks at ``aud`` or ``iss``. Each of these
    flaws has shipped in real JWT libraries.
    """
    header, claims, signing_input, signature = _split(token)
    alg, kid = header.get("alg"), header.get("kid", "")
    if alg == "HS256":
        expected = hmac.new(material.get(kid, b""), signing_input, hashlib.sha256).digest()
        ok = hmac.compare_digest(expected, signature)
    elif alg == "ES256":
        r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        ok = kid in publics and p256.verify(publics[kid], signing_input, (r, s))
    else:  # "none"
        ok = True
    if not ok:
        raise TokenError("bad signature")
    if "exp" in claims and now >= claims["exp"]:
        raise TokenError("expired")
    return claims
# [end naive]


@dataclass
class Scenario:
    """The issuer's keys, the payments verifier's policy, and a clock."""

    now: int = 1_750_000_000
    es_key: Key = field(init=False)
    hs_key: Key = field(init=False)
    policy: Policy = field(init=False)

    def __post_init__(self) -> None:
        signer = p256.key_from_seed(b"dsd-labs-jwt", "idp")
        self.es_key = Key("idp-es-1", "ES256", ec=signer, public=signer.public)
        self.hs_key = Key("mesh-hs-1", "HS256", secret=hashlib.sha256(b"lab secret").digest())
        self.policy = Policy(issuer="https://idp.example.org", audience="payments",
                             algorithms=frozenset({"ES256", "HS256"}))

    def verifier_keys(self) -> dict[str, Key]:
        public_only = Key(self.es_key.kid, "ES256", public=self.es_key.public)
        return {public_only.kid: public_only, self.hs_key.kid: self.hs_key}

    def claims(self, **changes: object) -> dict:
        base = {"iss": "https://idp.example.org", "sub": "spiffe://example.org/ns/shop/sa/checkout",
                "aud": "payments", "iat": self.now - 60, "exp": self.now + 240,
                "jti": "c1f0", "scope": "charge"}
        return {k: v for k, v in (base | changes).items() if v is not None}

    def cases(self) -> list[tuple[str, str]]:
        """(description, token) pairs: two honest tokens, then attacks and edge cases."""
        es, hs = self.es_key, self.hs_key
        good = encode(self.claims(), "ES256", es, es.kid)
        head, _, sig = good.split(".")
        tampered_body = b64url(json.dumps(self.claims(scope="refund"),
                                          separators=(",", ":")).encode())
        return [
            ("valid ES256 token", good),
            ("valid HS256 token", encode(self.claims(), "HS256", hs, hs.kid)),
            ("claims edited after signing", f"{head}.{tampered_body}.{sig}"),
            ('alg "none", empty signature', encode(self.claims(), "none", None, es.kid)),
            ("HS256 signed with the public key", encode(self.claims(), "HS256",
                                                       es.published_bytes(), es.kid)),
            ("token for billing, sent to payments",
             encode(self.claims(aud="billing"), "ES256", es, es.kid)),
            ("issued by another issuer",
             encode(self.claims(iss="https://dev-idp.example.org"), "HS256", hs, hs.kid)),
            ("expired 30 s ago",
             encode(self.claims(iat=self.now - 330, exp=self.now - 30), "ES256", es, es.kid)),
            ("expired 10 min ago",
             encode(self.claims(iat=self.now - 900, exp=self.now - 600), "ES256", es, es.kid)),
            ("nbf 10 min in the future",
             encode(self.claims(nbf=self.now + 600), "ES256", es, es.kid)),
            ("no exp claim", encode(self.claims(exp=None), "ES256", es, es.kid)),
            ("30-day lifetime", encode(self.claims(exp=self.now + 30 * 86_400), "ES256", es,
                                       es.kid)),
            ("stolen, then revoked (jti c1f0)", good),
        ]


def outcome(fn, *args, **kwargs) -> str:
    try:
        fn(*args, **kwargs)
    except TokenError as exc:
        return f"reject: {exc}"
    return "accept"


def main(argv: list[str] | None = None) -> int:
    """Run every case through the naive and the strict verifier."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leeway", type=int, default=60, help="clock-skew leeway in seconds")
    args = parser.parse_args(argv)
    sc = Scenario()
    sc.policy = Policy(sc.policy.issuer, sc.policy.audience, sc.policy.algorithms, args.leeway)
    keys = sc.verifier_keys()
    material = {sc.es_key.kid: sc.es_key.published_bytes(), sc.hs_key.kid: sc.hs_key.secret}
    publics = {sc.es_key.kid: sc.es_key.public}
    print(f"verifier: iss={sc.policy.issuer} aud={sc.policy.audience}")
    print(f"allowed algorithms: {', '.join(sorted(sc.policy.algorithms))}; "
          f"leeway {sc.policy.leeway_s} s")
    print(f"{'case':<36} {'naive':<7} strict")
    for title, token in sc.cases():
        revoked = frozenset({"c1f0"}) if title.startswith("stolen") else frozenset()
        naive = outcome(naive_verify, token, material, publics, sc.now).split(":")[0]
        strict = outcome(verify, token, keys, sc.policy, sc.now, revoked)
        print(f"{title:<36} {naive:<7} {strict}")
    try:
        Key("short", "HS256", secret=b"hunter2")
    except ValueError as exc:
        print(f"\nconfiguring a weak key fails early: {exc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
