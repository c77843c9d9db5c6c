"""Pin the JWT lab: the strict verifier accepts honest tokens and rejects each attack."""

import json

import pytest

from dsd_labs.security import jwt_verify as jv


@pytest.fixture
def sc() -> jv.Scenario:
    return jv.Scenario()


def strict(sc: jv.Scenario, token: str, revoked: frozenset = frozenset()) -> str:
    return jv.outcome(jv.verify, token, sc.verifier_keys(), sc.policy, sc.now, revoked)


def test_compact_serialization_round_trips(sc) -> None:
    token = jv.encode(sc.claims(), "HS256", sc.hs_key, sc.hs_key.kid)
    head, _, sig = token.split(".")
    assert "=" not in token  # base64url without padding
    assert json.loads(jv.b64url_decode(head)) == {"alg": "HS256", "typ": "JWT", "kid": "mesh-hs-1"}
    assert len(jv.b64url_decode(sig)) == 32
    assert jv.verify(token, sc.verifier_keys(), sc.policy, sc.now)["sub"].startswith("spiffe://")


def test_es256_signature_is_raw_r_and_s(sc) -> None:
    token = jv.encode(sc.claims(), "ES256", sc.es_key, sc.es_key.kid)
    assert len(jv.b64url_decode(token.split(".")[2])) == 64


def test_every_attack_rejected_by_strict_verifier(sc) -> None:
    results = {title: strict(sc, token, frozenset({"c1f0"}) if title.startswith("stolen")
                             else frozenset()) for title, token in sc.cases()}
    assert results["valid ES256 token"] == "accept"
    assert results["valid HS256 token"] == "accept"
    assert results["expired 30 s ago"] == "accept"  # inside the 60 s leeway
    rejected = {title for title, result in results.items() if result.startswith("reject")}
    assert rejected == set(results) - {"valid ES256 token", "valid HS256 token",
                                       "expired 30 s ago"}


def test_naive_verifier_falls_for_none_and_key_confusion(sc) -> None:
    cases = dict(sc.cases())
    material = {sc.es_key.kid: sc.es_key.published_bytes(), sc.hs_key.kid: sc.hs_key.secret}
    publics = {sc.es_key.kid: sc.es_key.public}
    for title in ('alg "none", empty signature', "HS256 signed with the public key",
                  "token for billing, sent to payments"):
        assert jv.outcome(jv.naive_verify, cases[title], material, publics, sc.now) == "accept"


def test_key_is_bound_to_one_algorithm(sc) -> None:
    forged = jv.encode(sc.claims(), "HS256", sc.es_key.published_bytes(), sc.es_key.kid)
    assert "is ES256, not HS256" in strict(sc, forged)


def test_leeway_boundaries(sc) -> None:
    def with_exp(exp: int) -> str:
        return strict(sc, jv.encode(sc.claims(iat=exp - 300, exp=exp), "HS256", sc.hs_key,
                                    sc.hs_key.kid))
    assert with_exp(sc.now - 59) == "accept"
    assert with_exp(sc.now - 60) == "reject: expired"  # now >= exp + leeway
    nbf_late = jv.encode(sc.claims(nbf=sc.now + 61), "HS256", sc.hs_key, sc.hs_key.kid)
    nbf_ok = jv.encode(sc.claims(nbf=sc.now + 60), "HS256", sc.hs_key, sc.hs_key.kid)
    assert strict(sc, nbf_late) == "reject: not yet valid"
    assert strict(sc, nbf_ok) == "accept"


def test_audience_list_and_malformed_tokens(sc) -> None:
    multi = jv.encode(sc.claims(aud=["billing", "payments"]), "HS256", sc.hs_key, sc.hs_key.kid)
    assert strict(sc, multi) == "accept"
    assert strict(sc, "a.b").startswith("reject: not a compact JWS")
    assert strict(sc, "e30.e30.!!") == "reject: malformed base64url"


def test_weak_hmac_key_refused() -> None:
    with pytest.raises(ValueError):
        jv.Key("k", "HS256", secret=b"x" * 31)


def test_main_prints_table(capsys) -> None:
    assert jv.main([]) == 0
    out = capsys.readouterr().out
    assert "naive" in out and "strict" in out
    assert "reject: algorithm 'none' not allowed" in out
    assert "configuring a weak key fails early" in out
