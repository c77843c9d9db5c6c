"""Pin the PyJWT lab: each case's verdict and exception type, and agreement with jwt_verify."""

import jwt
import pytest

from dsd_labs.security import jwt_library as jl
from dsd_labs.security import jwt_verify as jv


@pytest.fixture(scope="module")
def verdicts() -> dict[str, str]:
    return dict(jl.cases())


@pytest.fixture(scope="module")
def pem() -> bytes:
    return jl.public_pem(jl.signing_key())


def test_key_is_derived_not_generated() -> None:
    assert jl.public_pem(jl.signing_key()) == jl.public_pem(jl.signing_key())


def test_valid_token_accepted(pem: bytes) -> None:
    token = jwt.encode(jl.claims(), jl.signing_key(), algorithm="ES256")
    assert jl.verify(token, pem)["sub"].startswith("spiffe://")


def test_alg_none_rejected(pem: bytes) -> None:
    token = jwt.encode(jl.claims(), None, algorithm="none")
    with pytest.raises(jwt.exceptions.InvalidAlgorithmError):
        jl.verify(token, pem)


def test_key_confusion_rejected(pem: bytes) -> None:
    forged = jl.forge_hs256(jl.claims(), pem)
    with pytest.raises(jwt.exceptions.InvalidAlgorithmError):
        jl.verify(forged, pem)  # HS256 is not in the allow-list
    with pytest.raises(jwt.exceptions.InvalidKeyError):
        jl.verify(forged, pem, ("ES256", "HS256"))  # PyJWT refuses a PEM as HMAC secret
    assert not issubclass(jwt.exceptions.InvalidKeyError, jwt.exceptions.InvalidTokenError)
    with pytest.raises(jwt.exceptions.InvalidKeyError):
        jwt.encode(jl.claims(), pem, algorithm="HS256")


def test_wrong_audience_and_issuer_rejected(pem: bytes) -> None:
    key = jl.signing_key()
    with pytest.raises(jwt.exceptions.InvalidAudienceError):
        jl.verify(jwt.encode(jl.claims(aud="billing"), key, algorithm="ES256"), pem)
    with pytest.raises(jwt.exceptions.InvalidIssuerError):
        jl.verify(jwt.encode(jl.claims(iss="https://evil.example"), key, algorithm="ES256"), pem)


def test_expiry_and_leeway(pem: bytes) -> None:
    key = jl.signing_key()
    recent = jwt.encode(jl.claims(iat=1_000_000_000, exp=1_000_000_300), key, algorithm="ES256")
    with pytest.raises(jwt.exceptions.ExpiredSignatureError):
        jl.verify(recent, pem)
    assert jl.verify(recent, pem, leeway=10**10)["aud"] == "payments"  # leeway is applied


def test_every_verdict(verdicts: dict[str, str]) -> None:
    assert verdicts == {
        "valid ES256 token": "accepted",
        "claims edited after signing": "rejected: InvalidSignatureError",
        'alg "none", empty signature': "rejected: InvalidAlgorithmError",
        "HS256 signed with the public key": "rejected: InvalidAlgorithmError",
        "  same, verifier allows HS256 too": "rejected: InvalidKeyError",
        "token for billing, sent to payments": "rejected: InvalidAudienceError",
        "issued by another issuer": "rejected: InvalidIssuerError",
        "expired 30 s ago": "accepted",
        "  same, leeway 0": "rejected: ExpiredSignatureError",
        "expired 10 min ago": "rejected: ExpiredSignatureError",
        "nbf 10 min in the future": "rejected: ImmatureSignatureError",
        "no exp claim": "rejected: MissingRequiredClaimError",
    }


def test_agrees_with_the_from_scratch_verifier(verdicts: dict[str, str]) -> None:
    sc = jv.Scenario()
    strict = {title: jv.outcome(jv.verify, token, sc.verifier_keys(), sc.policy, sc.now)
              for title, token in sc.cases()}
    shared = [title for title in verdicts if title in strict]
    assert len(shared) == 10
    for title in shared:
        assert verdicts[title].startswith("accepted") == strict[title].startswith("accept")


def test_output_is_reproducible(capsys) -> None:
    jl.main([])
    first = capsys.readouterr().out
    jl.main([])
    assert capsys.readouterr().out == first
    assert "eyJ" not in first  # no token is ever printed
