"""Pin the envelope-encryption lab's bookkeeping (its cipher is a labeled stand-in)."""

import random

import pytest

from dsd_labs.security import envelope as ev


def test_round_trip_and_tamper_detection() -> None:
    key, nonce = b"k" * 32, b"n" * 12
    sealed = ev.seal(key, nonce, b"hello world", b"obj-1")
    assert ev.open_sealed(key, nonce, sealed, b"obj-1") == b"hello world"
    with pytest.raises(ev.IntegrityError):
        ev.open_sealed(key, nonce, sealed, b"obj-2")  # wrong associated data
    with pytest.raises(ev.IntegrityError):
        ev.open_sealed(key, nonce, bytes([sealed[0] ^ 1]) + sealed[1:], b"obj-1")


def test_rotation_keeps_old_versions_readable_and_rewrap_moves_deks() -> None:
    kms = ev.Kms(random.Random(1))
    store = ev.BlobStore(kms)
    store.put("a", b"alpha")
    kms.rotate()
    store.put("b", b"beta")
    assert store.objects["a"].wrapped_dek[0] == 1 and store.objects["b"].wrapped_dek[0] == 2
    assert store.get("a") == b"alpha"
    ciphertext_before = store.objects["a"].ciphertext
    store.objects["a"].wrapped_dek = kms.re_encrypt(store.objects["a"].wrapped_dek, b"a")
    assert store.objects["a"].ciphertext == ciphertext_before  # data untouched
    kms.disabled.add(1)
    assert store.get("a") == b"alpha"


def test_disabling_a_kek_before_rewrap_strands_data() -> None:
    kms = ev.Kms(random.Random(2))
    store = ev.BlobStore(kms)
    store.put("a", b"alpha")
    kms.rotate()
    kms.disabled.add(1)
    with pytest.raises(ev.IntegrityError):
        store.get("a")


def test_one_generate_call_per_object() -> None:
    kms = ev.Kms(random.Random(3))
    store = ev.BlobStore(kms)
    for i in range(10):
        store.put(f"o{i}", b"x")
    assert kms.calls["generate"] == 10


def test_main_labels_the_stand_in(capsys) -> None:
    assert ev.main(["--objects", "20"]) == 0
    out = capsys.readouterr().out
    assert "not real encryption" in out
    assert "re-wrapped 20 DEKs" in out
