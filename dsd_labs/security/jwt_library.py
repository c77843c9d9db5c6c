"""The JWT attacks of ``jwt_verify.py``, against a vetted library: PyJWT 2.15.1.

The from-scratch verifier shows the rules RFC 8725 asks for; production code
gets them from a library, configured correctly. This lab signs ES256 tokens
with a P-256 key from ``cryptography`` and verifies them with
``jwt.decode``, passing what the verifier expects rather than trusting the
token: ``algorithms=["ES256"]``, the audience, the issuer, the claims that
must be present, and a clock-skew leeway. Each case prints PyJWT's verdict
and, for a rejection, the exception it raised.

Two things make the run reproducible although ECDSA signatures are random
and PyJWT reads the wall clock: the private key is derived from a fixed
integer, and only verdicts are printed, never tokens or times. Valid tokens
expire far in the future; the expired cases expire 30 s and 10 min before
the moment they are signed, each at least 30 s from the 60 s leeway's edge,
far longer than a run takes.

Run: ``python -m dsd_labs.security.jwt_library``
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import time
from collections.abc import Sequence

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ISSUER = "https://idp.example.org"
AUDIENCE = "payments"
FAR_FUTURE = 4_000_000_000  # 2096: valid tokens never expire during a build
PRIVATE_VALUE = int.from_bytes(hashlib.sha256(b"dsd-labs-jwt-library").digest(), "big") % (
    0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551)  # P-256 order


def signing_key() -> ec.EllipticCurvePrivateKey:
    """The issuer's key, derived from a fixed integer instead of generated at random."""
    return ec.derive_private_key(PRIVATE_VALUE, ec.SECP256R1())


def public_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    """What the verifier is configured with, and what anyone can download."""
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def claims(**changes: object) -> dict:
    """An honest token's claims; ``None`` removes a claim."""
    base = {"iss": ISSUER, "sub": "spiffe://example.org/ns/shop/sa/checkout",
            "aud": AUDIENCE, "iat": int(time.time()) - 60, "exp": FAR_FUTURE, "scope": "charge"}
    return {k: v for k, v in (base | changes).items() if v is not None}


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515 section 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge_hs256(payload: dict, secret: bytes) -> str:
    """Sign by hand: PyJWT refuses to use a PEM public key as an HMAC secret."""
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps(payload).encode())
    signature = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(signature)}"


# [start verify]
def verify(token: str, key: bytes, algorithms: Sequence[str] = ("ES256",),
           leeway: int = 60) -> dict:
    """Return the claims of a valid token; PyJWT raises a PyJWTError subclass otherwise."""
    return jwt.decode(
        token, key,
        algorithms=list(algorithms),  # an allow-list chosen by the verifier, never the token
        audience=AUDIENCE, issuer=ISSUER, leeway=leeway,
        options={"require": ["exp", "iat", "iss", "aud"]},
    )
# [end verify]


def verdict(token: str, key: bytes, algorithms: Sequence[str] = ("ES256",),
            leeway: int = 60) -> str:
    """``accepted``, or ``rejected:`` and the name of the exception PyJWT raised."""
    try:
        verify(token, key, algorithms, leeway)
    except jwt.PyJWTError as exc:  # InvalidKeyError is not an InvalidTokenError
        return f"rejected: {type(exc).__name__}"
    return "accepted"


def cases() -> list[tuple[str, str]]:
    """(case, verdict) for each token, titled as in ``jwt_verify``'s cases where shared."""
    key = signing_key()
    pem = public_pem(key)
    now = int(time.time())

    def es256(**changes: object) -> str:
        return jwt.encode(claims(**changes), key, algorithm="ES256")

    good = es256()
    head, _, sig = good.split(".")
    tampered = f"{head}.{b64url(json.dumps(claims(scope='refund')).encode())}.{sig}"
    return [
        ("valid ES256 token", verdict(good, pem)),
        ("claims edited after signing", verdict(tampered, pem)),
        ('alg "none", empty signature',
         verdict(jwt.encode(claims(), None, algorithm="none"), pem)),
        ("HS256 signed with the public key", verdict(forge_hs256(claims(), pem), pem)),
        ("  same, verifier allows HS256 too",
         verdict(forge_hs256(claims(), pem), pem, ("ES256", "HS256"))),
        ("token for billing, sent to payments", verdict(es256(aud="billing"), pem)),
        ("issued by another issuer", verdict(es256(iss="https://dev-idp.example.org"), pem)),
        ("expired 30 s ago", verdict(es256(iat=now - 330, exp=now - 30), pem)),
        ("  same, leeway 0", verdict(es256(iat=now - 330, exp=now - 30), pem, leeway=0)),
        ("expired 10 min ago", verdict(es256(iat=now - 900, exp=now - 600), pem)),
        ("nbf 10 min in the future", verdict(es256(nbf=now + 600), pem)),
        ("no exp claim", verdict(es256(exp=None), pem)),
    ]


def main(argv: list[str] | None = None) -> int:
    """Print one verdict per case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    print(f"PyJWT {jwt.__version__}: algorithms=['ES256'] iss={ISSUER} aud={AUDIENCE} "
          "leeway 60 s")
    print(f"{'case':<36} verdict")
    for title, result in cases():
        print(f"{title:<36} {result}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
