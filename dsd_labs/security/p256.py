"""ECDSA over NIST P-256 with deterministic nonces (RFC 6979), for the labs only.

The mutual TLS lab needs certificates signed by a CA it creates, and the JWT
lab needs an asymmetric algorithm (ES256) to show why a key must be bound to
one algorithm. The standard library has hashing and HMAC but no public-key
signatures, so this module implements the curve arithmetic in Jacobian
coordinates and the signature of FIPS 186 with the nonce derivation of
RFC 6979: the same key and message always give the same signature, which
keeps the labs' output reproducible.

Not constant time, not validated, not for production: use ``cryptography``.

Run: ``python -m dsd_labs.security.p256``
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
from dataclasses import dataclass

# Curve parameters of P-256 (secp256r1, prime256v1), FIPS 186-4 D.1.2.3.
P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
A = P - 3
B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
GX = 0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296
GY = 0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551

Point = tuple[int, int] | None  # affine point; None is the point at infinity
Jacobian = tuple[int, int, int]  # (X, Y, Z) with x = X/Z², y = Y/Z³; Z = 0 is infinity


def _double(p: Jacobian) -> Jacobian:
    """Point doubling in Jacobian coordinates (a = −3 formulas)."""
    x, y, z = p
    if z == 0 or y == 0:
        return (0, 1, 0)
    yy = y * y % P
    s = 4 * x * yy % P
    zz = z * z % P
    m = 3 * (x - zz) * (x + zz) % P
    x3 = (m * m - 2 * s) % P
    y3 = (m * (s - x3) - 8 * yy * yy) % P
    z3 = 2 * y * z % P
    return (x3, y3, z3)


def _add(p: Jacobian, q: Jacobian) -> Jacobian:
    """Point addition in Jacobian coordinates."""
    if p[2] == 0:
        return q
    if q[2] == 0:
        return p
    x1, y1, z1 = p
    x2, y2, z2 = q
    z1z1, z2z2 = z1 * z1 % P, z2 * z2 % P
    u1, u2 = x1 * z2z2 % P, x2 * z1z1 % P
    s1, s2 = y1 * z2 * z2z2 % P, y2 * z1 * z1z1 % P
    if u1 == u2:
        return _double(p) if s1 == s2 else (0, 1, 0)
    h, r = (u2 - u1) % P, (s2 - s1) % P
    hh = h * h % P
    hhh = h * hh % P
    v = u1 * hh % P
    x3 = (r * r - hhh - 2 * v) % P
    y3 = (r * (v - x3) - s1 * hhh) % P
    z3 = h * z1 * z2 % P
    return (x3, y3, z3)


def _to_affine(p: Jacobian) -> Point:
    x, y, z = p
    if z == 0:
        return None
    zinv = pow(z, -1, P)
    zinv2 = zinv * zinv % P
    return (x * zinv2 % P, y * zinv2 * zinv % P)


def scalar_mult(k: int, point: Point = (GX, GY)) -> Point:
    """Compute k·point by double-and-add (left to right)."""
    if point is None or k % N == 0:
        return None
    acc: Jacobian = (0, 1, 0)
    base: Jacobian = (point[0], point[1], 1)
    for bit in bin(k % N)[2:]:
        acc = _double(acc)
        if bit == "1":
            acc = _add(acc, base)
    return _to_affine(acc)


def on_curve(point: Point) -> bool:
    """True if ``point`` satisfies y² = x³ − 3x + b over GF(p)."""
    if point is None:
        return False
    x, y = point
    return (y * y - (x * x * x + A * x + B)) % P == 0


@dataclass(frozen=True)
class PrivateKey:
    """A P-256 private scalar and its public point."""

    d: int

    @property
    def public(self) -> tuple[int, int]:
        point = scalar_mult(self.d)
        assert point is not None
        return point

    def public_bytes(self) -> bytes:
        """The uncompressed SEC1 encoding 04 || X || Y (65 bytes)."""
        x, y = self.public
        return b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")


def key_from_seed(seed: bytes, label: str) -> PrivateKey:
    """Derive a private key from a seed and a label.

    The labs need the same keys on every run so that their output does not
    change. A real key comes from a cryptographically secure random source
    (``secrets``) or, better, is generated inside a KMS or HSM and never leaves it.
    """
    counter = 0
    while True:
        digest = hmac.new(seed, f"{label}/{counter}".encode(), hashlib.sha256).digest()
        d = int.from_bytes(digest, "big")
        if 1 <= d < N:
            return PrivateKey(d)
        counter += 1


def _bits2int(data: bytes) -> int:
    return int.from_bytes(data, "big")  # qlen = hlen = 256 bits for P-256 with SHA-256


# [start rfc6979]
def _rfc6979_nonce(d: int, digest: bytes) -> int:
    """Deterministic per-signature nonce k from RFC 6979 section 3.2 (HMAC-SHA-256).

    A repeated or predictable k reveals the private key from two signatures,
    which is why deriving it from the key and the message is safer than
    trusting a random source at signing time.
    """
    x = d.to_bytes(32, "big")
    h = (_bits2int(digest) % N).to_bytes(32, "big")
    v, k = b"\x01" * 32, b"\x00" * 32
    k = hmac.new(k, v + b"\x00" + x + h, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    k = hmac.new(k, v + b"\x01" + x + h, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    while True:
        v = hmac.new(k, v, hashlib.sha256).digest()
        candidate = _bits2int(v)
        if 1 <= candidate < N:
            return candidate
        k = hmac.new(k, v + b"\x00", hashlib.sha256).digest()
        v = hmac.new(k, v, hashlib.sha256).digest()
# [end rfc6979]


def sign(key: PrivateKey, message: bytes) -> tuple[int, int]:
    """ECDSA signature (r, s) over SHA-256(message)."""
    digest = hashlib.sha256(message).digest()
    e = _bits2int(digest) % N
    while True:
        k = _rfc6979_nonce(key.d, digest)
        point = scalar_mult(k)
        assert point is not None
        r = point[0] % N
        s = pow(k, -1, N) * (e + r * key.d) % N
        if r and s:
            return r, s
        digest = hashlib.sha256(digest).digest()  # unreachable in practice


def verify(public: tuple[int, int], message: bytes, signature: tuple[int, int]) -> bool:
    """Check an ECDSA signature; reject out-of-range values and off-curve keys."""
    r, s = signature
    if not (1 <= r < N and 1 <= s < N) or not on_curve(public):
        return False
    e = _bits2int(hashlib.sha256(message).digest()) % N
    w = pow(s, -1, N)
    u1, u2 = e * w % N, r * w % N
    p1, p2 = scalar_mult(u1), scalar_mult(u2, public)
    j1: Jacobian = (p1[0], p1[1], 1) if p1 else (0, 1, 0)
    j2: Jacobian = (p2[0], p2[1], 1) if p2 else (0, 1, 0)
    total = _to_affine(_add(j1, j2))
    return total is not None and total[0] % N == r


def main(argv: list[str] | None = None) -> int:
    """Sign and verify one message, and show that a changed message fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--message", default="sample")
    args = parser.parse_args(argv)
    key = key_from_seed(b"dsd-labs", "demo")
    message = args.message.encode()
    r, s = sign(key, message)
    print(f"public key on curve: {on_curve(key.public)}")
    print(f"signature r = {r:064x}")
    print(f"signature s = {s:064x}")
    print(f"verify original message: {verify(key.public, message, (r, s))}")
    print(f"verify changed message:  {verify(key.public, message + b'!', (r, s))}")
    again = sign(key, message)
    print(f"deterministic nonce, same signature twice: {again == (r, s)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
