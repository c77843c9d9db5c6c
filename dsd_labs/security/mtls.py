"""Mutual TLS on loopback: a CA, SPIFFE identities, and the handshakes that must fail.

The lab creates a trust domain ``spiffe://example.org`` with its own CA,
issues X509-SVID certificates to a ``payments`` server and to clients, and
runs real TLS 1.3 handshakes over 127.0.0.1 with the standard ``ssl`` module
(OpenSSL underneath). The server requires a client certificate signed by the
trust domain's CA; after the handshake it reads the caller's SPIFFE ID from
the certificate and applies an allow-list. Each scenario shows which layer
stops the request: path validation in the handshake (no certificate, a
foreign CA, an expired certificate), or authorization after a successful
handshake (a valid identity that is not allowed). A client that checks the
server's SPIFFE ID, not a host name, refuses an impostor server.

Certificate lifetimes are fixed dates far in the past or future so that the
output never depends on the wall clock.

Run: ``python -m dsd_labs.security.mtls``
"""

from __future__ import annotations

import argparse
import socket
import ssl
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from dsd_labs.security import p256, x509

TRUST_DOMAIN = "spiffe://example.org"
SERVER_ID = f"{TRUST_DOMAIN}/ns/shop/sa/payments"
ALLOWED_CALLERS = frozenset({f"{TRUST_DOMAIN}/ns/shop/sa/checkout"})
VALID = (x509.utc(2020), x509.utc(2049))
EXPIRED = (x509.utc(2020), x509.utc(2021))


@dataclass
class Credential:
    """A certificate chain and key written to disk, which is what ``ssl`` loads."""

    spiffe_id: str
    cert_file: Path
    key_file: Path


@dataclass
class TrustDomain:
    """A CA for one trust domain, issuing leaf certificates into a scratch directory."""

    name: str
    seed: bytes
    directory: Path
    serial: int = 1
    ca: x509.Identity = field(init=False)
    ca_key: p256.PrivateKey = field(init=False)
    ca_pem: str = field(init=False)

    def __post_init__(self) -> None:
        self.ca = x509.Identity(self.name, f"{self.name} CA", is_ca=True)
        self.ca_key = p256.key_from_seed(self.seed, "ca")
        der = x509.issue(self.ca, self.ca_key, self.ca, self.ca_key, self.serial, *VALID)
        self.ca_pem = x509.pem("CERTIFICATE", der)

    # [start issue]
    def issue(self, spiffe_id: str, validity: tuple = VALID) -> Credential:
        """Sign a leaf certificate for ``spiffe_id`` (what SPIRE or istiod does per workload)."""
        self.serial += 1
        key = p256.key_from_seed(self.seed, f"{spiffe_id}/{self.serial}")
        leaf = x509.Identity(spiffe_id, spiffe_id.rsplit("/", 1)[-1])
        der = x509.issue(leaf, key, self.ca, self.ca_key, self.serial, *validity)
        stem = self.directory / f"{self.seed.hex()[:8]}-{self.serial}"
        cert_file, key_file = stem.with_suffix(".crt"), stem.with_suffix(".key")
        cert_file.write_text(x509.pem("CERTIFICATE", der) + self.ca_pem)  # leaf, then chain
        key_file.write_text(x509.pem("EC PRIVATE KEY", x509.ec_private_key_der(key)))
        return Credential(spiffe_id, cert_file, key_file)
    # [end issue]


def spiffe_id_of(peer_cert: dict) -> str | None:
    """The single URI SAN of a verified peer certificate, or None (X509-SVID section 2)."""
    uris = [value for kind, value in peer_cert.get("subjectAltName", ()) if kind == "URI"]
    return uris[0] if len(uris) == 1 and uris[0].startswith("spiffe://") else None


# [start contexts]
def server_context(bundle_pem: str, credential: Credential) -> ssl.SSLContext:
    """TLS 1.3 only; a client certificate chaining to the bundle is required."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.verify_flags |= ssl.VERIFY_X509_STRICT
    ctx.load_verify_locations(cadata=bundle_pem)
    ctx.load_cert_chain(credential.cert_file, credential.key_file)
    return ctx


def client_context(bundle_pem: str, credential: Credential | None) -> ssl.SSLContext:
    """Verify the server's chain; identity is checked by SPIFFE ID, not by host name."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.check_hostname = False  # SPIFFE authenticates the URI SAN instead (checked below)
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.verify_flags |= ssl.VERIFY_X509_STRICT
    ctx.load_verify_locations(cadata=bundle_pem)
    if credential is not None:
        ctx.load_cert_chain(credential.cert_file, credential.key_file)
    return ctx
# [end contexts]


def reason(exc: ssl.SSLError) -> str:
    """A short, version-independent description of why a handshake failed."""
    message = getattr(exc, "verify_message", "") or ""
    text = f"{exc.reason or ''} {message} {exc}".lower()
    for needle, short in (("expired", "certificate has expired"),
                          ("did not return a certificate", "no client certificate"),
                          ("certificate required", "no client certificate"),
                          ("unable to get local issuer", "unknown issuer (not our CA)"),
                          ("self-signed certificate in certificate chain",
                           "unknown issuer (not our CA)"),
                          ("unknown ca", "unknown issuer (not our CA)")):
        if needle in text:
            return short
    return exc.reason or "handshake failed"


# [start serve]
def serve_one(listener: socket.socket, ctx: ssl.SSLContext, outcome: dict) -> None:
    """Accept one connection: handshake, then authorize the caller's SPIFFE ID."""
    conn, _ = listener.accept()
    conn.settimeout(5)
    try:
        with ctx.wrap_socket(conn, server_side=True) as tls:
            caller = spiffe_id_of(tls.getpeercert())
            outcome["tls"] = f"{tls.version()} {tls.cipher()[0]}"
            if not tls.recv(1024):
                outcome["server"] = "client hung up before sending a request"
            elif caller in ALLOWED_CALLERS:
                outcome["server"] = f"200 OK for {caller}"
                tls.sendall(b"200 charged")
            else:
                outcome["server"] = f"403, {caller} not authorized"
                tls.sendall(b"403 forbidden")
    except ssl.SSLError as exc:
        if "tls" in outcome:
            outcome["server"] = "client hung up before sending a request"
        else:
            outcome["server"] = f"handshake rejected: {reason(exc)}"
    except OSError as exc:
        outcome["server"] = f"connection error: {exc.__class__.__name__}"
# [end serve]


def call(port: int, ctx: ssl.SSLContext, expected_server: str) -> str:
    """Connect, check the server's SPIFFE ID, send one request, return what happened."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        try:
            tls = ctx.wrap_socket(raw)
        except (ssl.SSLError, OSError) as exc:
            return f"failed: {reason(exc) if isinstance(exc, ssl.SSLError) else exc}"
        with tls:
            server = spiffe_id_of(tls.getpeercert())
            if server != expected_server:
                return f"refused server {server}"
            try:
                tls.sendall(b"POST /charge")
                return f"response {tls.recv(1024).decode() or '(closed)'}"
            except (ssl.SSLError, OSError):
                # In TLS 1.3 the client finishes its side of the handshake before
                # the server has checked the client's certificate, so a rejection
                # reaches it on its first read, as an alert or as a closed
                # connection, whichever the timing gives: report that, not which.
                return "failed: the server ended the connection during its checks"


def run_scenario(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext,
                 expected_server: str = SERVER_ID) -> dict:
    """One connection over loopback; returns the server's and the client's view."""
    outcome: dict = {}
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(5)
        thread = threading.Thread(target=serve_one, args=(listener, server_ctx, outcome))
        thread.start()
        outcome["client"] = call(listener.getsockname()[1], client_ctx, expected_server)
        thread.join(timeout=10)
    return outcome


def scenarios(directory: Path) -> list[tuple[str, dict]]:
    """Run every scenario and return (title, outcome) pairs."""
    ours = TrustDomain(TRUST_DOMAIN, b"example.org", directory)
    rogue = TrustDomain(TRUST_DOMAIN, b"rogue-ca", directory)  # same name, different key
    payments = ours.issue(SERVER_ID)
    server = server_context(ours.ca_pem, payments)
    checkout = ours.issue(f"{TRUST_DOMAIN}/ns/shop/sa/checkout")
    reviews = ours.issue(f"{TRUST_DOMAIN}/ns/shop/sa/reviews")
    stale = ours.issue(f"{TRUST_DOMAIN}/ns/shop/sa/checkout", EXPIRED)
    forged = rogue.issue(f"{TRUST_DOMAIN}/ns/shop/sa/checkout")
    impostor = ours.issue(f"{TRUST_DOMAIN}/ns/shop/sa/reviews")
    return [
        ("checkout calls payments", run_scenario(server, client_context(ours.ca_pem, checkout))),
        ("no client certificate", run_scenario(server, client_context(ours.ca_pem, None))),
        ("checkout ID signed by a foreign CA",
         run_scenario(server, client_context(ours.ca_pem, forged))),
        ("checkout with an expired certificate",
         run_scenario(server, client_context(ours.ca_pem, stale))),
        ("reviews calls payments", run_scenario(server, client_context(ours.ca_pem, reviews))),
        ("impostor server with a valid reviews certificate",
         run_scenario(server_context(ours.ca_pem, impostor),
                      client_context(ours.ca_pem, checkout))),
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the scenarios and print what the server and the client observed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dsd-mtls-") as tmp:
        results = scenarios(Path(tmp))
    print(f"trust domain {TRUST_DOMAIN}, server {SERVER_ID.removeprefix(TRUST_DOMAIN)}")
    print(f"allowed callers: {', '.join(sorted(ALLOWED_CALLERS))}")
    for number, (title, outcome) in enumerate(results, 1):
        print(f"\n{number}. {title}")
        if "tls" in outcome:
            print(f"   handshake: {outcome['tls']}")
        print(f"   server: {outcome.get('server', 'no request reached the application')}")
        print(f"   client: {outcome['client']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
