"""Just enough DER and X.509 to issue SPIFFE-style certificates for the mTLS lab.

A certificate is a signed DER structure (RFC 5280). This module encodes the
fields a workload certificate needs: a subject, a validity window, a P-256
public key, and the extensions that a verifier checks: basic constraints,
key usage, extended key usage, a URI subject alternative name carrying the
SPIFFE ID (the X509-SVID profile), and key identifiers. The CA signs the
encoded ``TBSCertificate`` with ECDSA P-256 / SHA-256 from ``p256``.

Run: ``python -m dsd_labs.security.x509``
"""

from __future__ import annotations

import argparse
import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from dsd_labs.security import p256

# Object identifiers used below.
OID_EC_PUBLIC_KEY = "1.2.840.10045.2.1"
OID_PRIME256V1 = "1.2.840.10045.3.1.7"
OID_ECDSA_SHA256 = "1.2.840.10045.4.3.2"
OID_COMMON_NAME = "2.5.4.3"
OID_ORGANIZATION = "2.5.4.10"
OID_SUBJECT_KEY_ID = "2.5.29.14"
OID_KEY_USAGE = "2.5.29.15"
OID_SUBJECT_ALT_NAME = "2.5.29.17"
OID_BASIC_CONSTRAINTS = "2.5.29.19"
OID_AUTHORITY_KEY_ID = "2.5.29.35"
OID_EXT_KEY_USAGE = "2.5.29.37"
OID_SERVER_AUTH = "1.3.6.1.5.5.7.3.1"
OID_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"

KU_DIGITAL_SIGNATURE = 0
KU_KEY_CERT_SIGN = 5
KU_CRL_SIGN = 6


# --- DER primitives (X.690) -------------------------------------------------

def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, value: bytes) -> bytes:
    """One DER element: tag, definite length, value."""
    return bytes([tag]) + _length(len(value)) + value


def integer(n: int) -> bytes:
    """A non-negative INTEGER, with a leading zero byte when the top bit is set."""
    body = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big")
    return tlv(0x02, body)


def sequence(*items: bytes) -> bytes:
    return tlv(0x30, b"".join(items))


def set_of(*items: bytes) -> bytes:
    return tlv(0x31, b"".join(sorted(items)))  # DER sorts SET OF by encoding


def oid(dotted: str) -> bytes:
    """An OBJECT IDENTIFIER: first two arcs packed, the rest in base-128."""
    arcs = [int(a) for a in dotted.split(".")]
    body = bytearray([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(reversed(chunk))
    return tlv(0x06, bytes(body))


def bit_string(data: bytes, unused_bits: int = 0) -> bytes:
    return tlv(0x03, bytes([unused_bits]) + data)


def octet_string(data: bytes) -> bytes:
    return tlv(0x04, data)


def boolean(value: bool) -> bytes:
    return tlv(0x01, b"\xff" if value else b"\x00")


def utf8(text: str) -> bytes:
    return tlv(0x0C, text.encode())


def explicit(number: int, inner: bytes) -> bytes:
    """A constructed context-specific tag [number] EXPLICIT."""
    return tlv(0xA0 | number, inner)


def der_time(moment: datetime) -> bytes:
    """UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 4.1.2.5)."""
    if moment.year < 2050:
        return tlv(0x17, moment.strftime("%y%m%d%H%M%SZ").encode())
    return tlv(0x18, moment.strftime("%Y%m%d%H%M%SZ").encode())


def named_bits(bits: list[int]) -> bytes:
    """A BIT STRING of named bits (key usage), with trailing zero bits removed as DER requires."""
    highest = max(bits)
    nbytes = highest // 8 + 1
    value = bytearray(nbytes)
    for bit in bits:
        value[bit // 8] |= 0x80 >> (bit % 8)
    unused = 7 - highest % 8
    return bit_string(bytes(value), unused)


# --- Certificates -------------------------------------------------------------

def name(common_name: str, organization: str) -> bytes:
    """A distinguished name with O and CN attributes."""
    return sequence(
        set_of(sequence(oid(OID_ORGANIZATION), utf8(organization))),
        set_of(sequence(oid(OID_COMMON_NAME), utf8(common_name))),
    )


def public_key_info(key: p256.PrivateKey) -> bytes:
    """SubjectPublicKeyInfo for a P-256 key."""
    algorithm = sequence(oid(OID_EC_PUBLIC_KEY), oid(OID_PRIME256V1))
    return sequence(algorithm, bit_string(key.public_bytes()))


def key_id(key: p256.PrivateKey) -> bytes:
    """Key identifier: SHA-1 of the public key bits (RFC 5280 4.2.1.2, method 1)."""
    return hashlib.sha1(key.public_bytes()).digest()


def extension(ext_oid: str, value: bytes, critical: bool = False) -> bytes:
    parts = [oid(ext_oid)]
    if critical:
        parts.append(boolean(True))
    parts.append(octet_string(value))
    return sequence(*parts)


@dataclass(frozen=True)
class Identity:
    """What a certificate asserts: a SPIFFE ID and whether it may issue certificates."""

    spiffe_id: str
    common_name: str
    is_ca: bool = False
    dns_names: tuple[str, ...] = ()


# [start extensions]
def extensions_for(identity: Identity, subject_key: p256.PrivateKey,
                   issuer_key: p256.PrivateKey) -> list[bytes]:
    """The X509-SVID extensions: a CA may sign certificates, a leaf may only authenticate."""
    san = [tlv(0x86, identity.spiffe_id.encode())]  # [6] uniformResourceIdentifier
    san += [tlv(0x82, dns.encode()) for dns in identity.dns_names]  # [2] dNSName
    exts = [extension(OID_SUBJECT_ALT_NAME, sequence(*san))]
    if identity.is_ca:
        exts.append(extension(OID_BASIC_CONSTRAINTS, sequence(boolean(True)), critical=True))
        exts.append(extension(OID_KEY_USAGE, named_bits([KU_KEY_CERT_SIGN, KU_CRL_SIGN]),
                              critical=True))
    else:
        exts.append(extension(OID_BASIC_CONSTRAINTS, sequence(), critical=True))
        exts.append(extension(OID_KEY_USAGE, named_bits([KU_DIGITAL_SIGNATURE]), critical=True))
        exts.append(extension(OID_EXT_KEY_USAGE,
                              sequence(oid(OID_SERVER_AUTH), oid(OID_CLIENT_AUTH))))
    exts.append(extension(OID_SUBJECT_KEY_ID, octet_string(key_id(subject_key))))
    exts.append(extension(OID_AUTHORITY_KEY_ID, sequence(tlv(0x80, key_id(issuer_key)))))
    return exts
# [end extensions]


def issue(identity: Identity, subject_key: p256.PrivateKey, issuer: Identity,
          issuer_key: p256.PrivateKey, serial: int, not_before: datetime,
          not_after: datetime) -> bytes:
    """Build and sign a version 3 certificate; return its DER encoding."""
    algorithm = sequence(oid(OID_ECDSA_SHA256))
    tbs = sequence(
        explicit(0, integer(2)),  # version 3
        integer(serial),
        algorithm,
        name(issuer.common_name, "dsd-labs"),
        sequence(der_time(not_before), der_time(not_after)),
        name(identity.common_name, "dsd-labs"),
        public_key_info(subject_key),
        explicit(3, sequence(*extensions_for(identity, subject_key, issuer_key))),
    )
    r, s = p256.sign(issuer_key, tbs)
    return sequence(tbs, algorithm, bit_string(sequence(integer(r), integer(s))))


def ec_private_key_der(key: p256.PrivateKey) -> bytes:
    """The SEC1 ECPrivateKey structure (RFC 5915) that OpenSSL loads as 'EC PRIVATE KEY'."""
    return sequence(
        integer(1),
        octet_string(key.d.to_bytes(32, "big")),
        explicit(0, oid(OID_PRIME256V1)),
        explicit(1, bit_string(key.public_bytes())),
    )


def pem(label: str, der: bytes) -> str:
    """Base64 armor with 64-character lines."""
    body = base64.b64encode(der).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def utc(year: int, month: int = 1, day: int = 1) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    """Issue a CA and one workload certificate and print their sizes and PEM header."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spiffe-id", default="spiffe://example.org/ns/shop/sa/checkout")
    args = parser.parse_args(argv)
    seed = b"dsd-labs-x509"
    ca = Identity("spiffe://example.org", "example.org CA", is_ca=True)
    ca_key = p256.key_from_seed(seed, "ca")
    leaf = Identity(args.spiffe_id, "checkout")
    leaf_key = p256.key_from_seed(seed, "leaf")
    ca_der = issue(ca, ca_key, ca, ca_key, 1, utc(2020), utc(2049))
    leaf_der = issue(leaf, leaf_key, ca, ca_key, 2, utc(2020), utc(2049))
    print(f"CA certificate:   {len(ca_der)} bytes DER")
    print(f"leaf certificate: {len(leaf_der)} bytes DER, SAN URI {leaf.spiffe_id}")
    print(pem("CERTIFICATE", leaf_der).splitlines()[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
