"""Pin the teaching ECDSA and X.509 code against published vectors and OpenSSL's parser."""

import ssl

from dsd_labs.security import p256, x509

# RFC 6979 appendix A.2.5: P-256, SHA-256, message "sample".
RFC_KEY = 0xC9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721


def test_public_key_matches_rfc6979_vector() -> None:
    x, y = p256.PrivateKey(RFC_KEY).public
    assert x == 0x60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6
    assert y == 0x7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299


def test_signature_matches_rfc6979_vector() -> None:
    r, s = p256.sign(p256.PrivateKey(RFC_KEY), b"sample")
    assert r == 0xEFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716
    assert s == 0xF7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8


def test_verify_rejects_other_message_other_key_and_out_of_range() -> None:
    key = p256.key_from_seed(b"t", "a")
    other = p256.key_from_seed(b"t", "b")
    sig = p256.sign(key, b"m")
    assert p256.verify(key.public, b"m", sig)
    assert not p256.verify(key.public, b"m2", sig)
    assert not p256.verify(other.public, b"m", sig)
    assert not p256.verify(key.public, b"m", (0, sig[1]))
    assert not p256.verify(key.public, b"m", (sig[0], p256.N))


def test_der_primitives() -> None:
    assert x509.integer(0) == b"\x02\x01\x00"
    assert x509.integer(128) == b"\x02\x02\x00\x80"  # leading zero keeps it positive
    assert x509.oid("1.2.840.10045.2.1") == bytes.fromhex("06072a8648ce3d0201")
    assert x509.named_bits([0]) == b"\x03\x02\x07\x80"  # digitalSignature only
    assert x509.named_bits([5, 6]) == b"\x03\x02\x01\x06"  # keyCertSign, cRLSign
    assert x509.tlv(0x04, b"x" * 200)[:3] == b"\x04\x81\xc8"  # long-form length


def test_openssl_parses_issued_certificate_with_spiffe_san() -> None:
    key = p256.key_from_seed(b"t", "ca")
    ca = x509.Identity("spiffe://example.org", "CA", is_ca=True)
    leaf = x509.Identity("spiffe://example.org/ns/a/sa/b", "b")
    der = x509.issue(leaf, p256.key_from_seed(b"t", "leaf"), ca, key, 7,
                     x509.utc(2020), x509.utc(2049))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(cadata=x509.pem("CERTIFICATE", der))  # parse only
    assert ctx.cert_store_stats()["x509"] == 1
