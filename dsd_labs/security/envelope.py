"""Envelope encryption bookkeeping: data keys, key-encryption keys, rotation, re-wrapping.

A KMS holds key-encryption keys (KEKs) that never leave it. To store an
object, the service asks the KMS for a fresh data key (DEK), encrypts the
object locally with the DEK, and stores the DEK only in wrapped form
(encrypted under the KEK) next to the ciphertext. Reading calls the KMS to
unwrap the DEK. This lab tracks what that costs and what rotation means:
rotating the KEK changes which version wraps *new* DEKs, old versions stay
available to unwrap, and re-wrapping old DEKs touches a few dozen bytes per
object instead of re-encrypting the objects themselves.

NOT REAL ENCRYPTION. The ``seal``/``open_sealed`` pair below is a teaching
stand-in built from the standard library: a keystream of HMAC-SHA-256
blocks XORed with the data, then an HMAC tag over nonce, associated data
and ciphertext. It is not a reviewed AEAD, it is not constant time, and it
must not protect anything. Production code uses AES-256-GCM or
ChaCha20-Poly1305 from a vetted library, or the KMS's own client SDK.
Keys and nonces come from a seeded generator so the output is reproducible;
real keys come from ``secrets`` or from the KMS.

Run: ``python -m dsd_labs.security.envelope --seed 1``
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import random
from dataclasses import dataclass, field


class IntegrityError(Exception):
    """The tag did not match: wrong key, wrong associated data, or modified bytes."""


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (hmac.new(key, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest()
              for i in range((length + 31) // 32))
    return b"".join(blocks)[:length]


# [start seal]
def seal(key: bytes, nonce: bytes, data: bytes, associated: bytes) -> bytes:
    """TEACHING STAND-IN for an AEAD: ciphertext || 32-byte tag. Not real encryption."""
    enc_key = hmac.new(key, b"enc", hashlib.sha256).digest()
    mac_key = hmac.new(key, b"mac", hashlib.sha256).digest()
    body = bytes(a ^ b for a, b in zip(data, _stream(enc_key, nonce, len(data)), strict=True))
    tag = hmac.new(mac_key, nonce + len(associated).to_bytes(8, "big") + associated + body,
                   hashlib.sha256).digest()
    return body + tag


def open_sealed(key: bytes, nonce: bytes, sealed: bytes, associated: bytes) -> bytes:
    """Check the tag first; only then undo the keystream."""
    body, tag = sealed[:-32], sealed[-32:]
    mac_key = hmac.new(key, b"mac", hashlib.sha256).digest()
    expected = hmac.new(mac_key, nonce + len(associated).to_bytes(8, "big") + associated + body,
                        hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        raise IntegrityError("tag mismatch")
    enc_key = hmac.new(key, b"enc", hashlib.sha256).digest()
    return bytes(a ^ b for a, b in zip(body, _stream(enc_key, nonce, len(body)), strict=True))
# [end seal]


@dataclass
class Kms:
    """Holds KEK versions; callers only ever see wrapped data keys and their plaintext."""

    rng: random.Random
    versions: dict[int, bytes] = field(default_factory=dict)
    disabled: set[int] = field(default_factory=set)
    calls: dict[str, int] = field(default_factory=lambda: {"generate": 0, "decrypt": 0,
                                                           "re-encrypt": 0})

    def __post_init__(self) -> None:
        self.rotate()

    @property
    def primary(self) -> int:
        return max(self.versions)

    def rotate(self) -> int:
        """New material becomes primary; older versions stay for unwrapping."""
        self.versions[len(self.versions) + 1] = self.rng.randbytes(32)
        return self.primary

    def _wrap(self, dek: bytes, context: bytes) -> tuple[int, bytes, bytes]:
        nonce = self.rng.randbytes(12)
        return self.primary, nonce, seal(self.versions[self.primary], nonce, dek, context)

    def _unwrap(self, wrapped: tuple[int, bytes, bytes], context: bytes) -> bytes:
        version, nonce, blob = wrapped
        if version in self.disabled:
            raise IntegrityError(f"KEK version {version} is disabled")
        return open_sealed(self.versions[version], nonce, blob, context)

    # [start kms]
    def generate_data_key(self, context: bytes) -> tuple[bytes, tuple[int, bytes, bytes]]:
        """A fresh DEK in plaintext (use, then discard) and wrapped (store)."""
        self.calls["generate"] += 1
        dek = self.rng.randbytes(32)
        return dek, self._wrap(dek, context)

    def decrypt(self, wrapped: tuple[int, bytes, bytes], context: bytes) -> bytes:
        self.calls["decrypt"] += 1
        return self._unwrap(wrapped, context)

    def re_encrypt(self, wrapped: tuple[int, bytes, bytes], context: bytes) -> tuple:
        """Unwrap and wrap under the primary version without the DEK leaving the KMS."""
        self.calls["re-encrypt"] += 1
        return self._wrap(self._unwrap(wrapped, context), context)
    # [end kms]


@dataclass
class Stored:
    wrapped_dek: tuple[int, bytes, bytes]
    nonce: bytes
    ciphertext: bytes


@dataclass
class BlobStore:
    """Each object gets its own DEK; the object id is the associated data (encryption context)."""

    kms: Kms
    objects: dict[str, Stored] = field(default_factory=dict)

    def put(self, object_id: str, data: bytes) -> None:
        context = object_id.encode()
        dek, wrapped = self.kms.generate_data_key(context)
        nonce = self.kms.rng.randbytes(12)
        self.objects[object_id] = Stored(wrapped, nonce, seal(dek, nonce, data, context))

    def get(self, object_id: str) -> bytes:
        item, context = self.objects[object_id], object_id.encode()
        dek = self.kms.decrypt(item.wrapped_dek, context)
        return open_sealed(dek, item.nonce, item.ciphertext, context)


def main(argv: list[str] | None = None) -> int:
    """Store objects, rotate the KEK, re-wrap, and show what each step costs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--objects", type=int, default=1000)
    parser.add_argument("--object-bytes", type=int, default=4096)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    kms = Kms(rng)
    store = BlobStore(kms)
    first = rng.randbytes(args.object_bytes)
    store.put("obj-0", first)
    for i in range(1, args.objects):
        store.put(f"obj-{i}", rng.randbytes(args.object_bytes))
    print("NOTE: seal() is an HMAC-based teaching stand-in, not real encryption.")
    print(f"stored {args.objects} objects of {args.object_bytes} B, one DEK each; "
          f"KMS generate calls: {kms.calls['generate']}")
    kms.rotate()
    store.put("obj-new", b"written after rotation")
    under = {v: sum(1 for s in store.objects.values() if s.wrapped_dek[0] == v)
             for v in sorted(kms.versions)}
    print(f"rotated: primary is KEK v{kms.primary}; DEKs per KEK version {under}")
    print(f"  obj-0 still reads back: {store.get('obj-0') == first}; "
          f"disabling v1 now would strand {under[1]} objects")
    old = [k for k, s in store.objects.items() if s.wrapped_dek[0] != kms.primary]
    wrapped_bytes = sum(len(store.objects[k].wrapped_dek[2]) + 12 for k in old)
    for k in old:
        store.objects[k].wrapped_dek = kms.re_encrypt(store.objects[k].wrapped_dek, k.encode())
    data_bytes = sum(len(s.ciphertext) - 32 for s in store.objects.values())
    print(f"re-wrapped {len(old)} DEKs inside the KMS: {wrapped_bytes:,} B rewritten")
    print(f"  object data untouched: {data_bytes:,} B")
    kms.disabled.add(1)
    print(f"KEK v1 disabled; obj-0 still reads back: {store.get('obj-0') == first}")
    moved = store.objects["obj-1"]
    store.objects["obj-2"].wrapped_dek = moved.wrapped_dek
    for label, action in (("DEK of obj-1 pasted onto obj-2", lambda: store.get("obj-2")),
                          ("one ciphertext byte flipped", lambda: _flip_and_read(store))):
        try:
            action()
            print(f"{label}: read succeeded")
        except IntegrityError as exc:
            print(f"{label}: rejected ({exc})")
    print(f"KMS calls in total: {kms.calls}")
    return 0


def _flip_and_read(store: BlobStore) -> bytes:
    item = store.objects["obj-3"]
    item.ciphertext = bytes([item.ciphertext[0] ^ 1]) + item.ciphertext[1:]
    return store.get("obj-3")


if __name__ == "__main__":
    raise SystemExit(main())
