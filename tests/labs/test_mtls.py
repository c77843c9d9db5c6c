"""Pin the mutual TLS lab: only the trusted, allowed, unexpired workload gets a response."""

import tempfile
from pathlib import Path

import pytest

from dsd_labs.security import mtls


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        return dict(mtls.scenarios(Path(tmp)))


def test_allowed_workload_completes_tls13_and_is_served(results) -> None:
    outcome = results["checkout calls payments"]
    assert outcome["tls"].startswith("TLSv1.3")
    assert outcome["server"].startswith("200")
    assert outcome["client"] == "response 200 charged"


@pytest.mark.parametrize(("title", "why"), [
    ("no client certificate", "no client certificate"),
    ("checkout ID signed by a foreign CA", "unknown issuer"),
    ("checkout with an expired certificate", "expired"),
])
def test_path_validation_failures_never_reach_the_application(results, title, why) -> None:
    outcome = results[title]
    assert "tls" not in outcome  # the handshake never completed
    assert outcome["server"].startswith("handshake rejected")
    assert why in outcome["server"]


def test_authenticated_but_unauthorized_caller_gets_403(results) -> None:
    outcome = results["reviews calls payments"]
    assert outcome["tls"].startswith("TLSv1.3")
    assert "403" in outcome["server"] and "sa/reviews" in outcome["server"]


def test_client_refuses_server_with_wrong_spiffe_id(results) -> None:
    outcome = results["impostor server with a valid reviews certificate"]
    assert outcome["client"].startswith("refused server")
    assert "charged" not in outcome["client"]


def test_spiffe_id_requires_exactly_one_uri() -> None:
    one = {"subjectAltName": (("URI", "spiffe://a/b"), ("DNS", "b.local"))}
    two = {"subjectAltName": (("URI", "spiffe://a/b"), ("URI", "spiffe://a/c"))}
    assert mtls.spiffe_id_of(one) == "spiffe://a/b"
    assert mtls.spiffe_id_of(two) is None
    assert mtls.spiffe_id_of({"subjectAltName": (("URI", "https://a/b"),)}) is None


def test_main_prints_every_scenario(capsys) -> None:
    assert mtls.main([]) == 0
    out = capsys.readouterr().out
    assert out.count("server:") == 6
    assert "TLSv1.3" in out and "403" in out and "expired" in out


def test_output_is_the_same_on_every_run(capsys) -> None:
    """The page shows this output, so a timing-dependent line would change the book."""
    outputs = []
    for _ in range(3):
        mtls.main([])
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2]
    assert "the server ended the connection during its checks" in outputs[0]
