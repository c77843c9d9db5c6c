"""HMAC request signing with a timestamp and a nonce, and the replays it rejects.

A bearer credential is valid for whoever holds it, so a captured request
can be sent again. Signing each request binds the credential to that exact
request: the client computes HMAC-SHA-256 over a canonical form of the
method, host, path, sorted query, a hash of the body, a timestamp and a
random nonce. The verifier recomputes the MAC, accepts the timestamp only
within a window around its own clock, and remembers every nonce until its
timestamp leaves the window. Together these turn "replay" into three
checks a forger cannot pass: a changed request fails the MAC, an old one
fails the window, and a fresh copy fails the nonce cache.

The nonce cache costs memory proportional to request rate times window;
the simulation at the end measures it against that prediction.

Run: ``python -m dsd_labs.security.request_signing --seed 1``
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import random
from dataclasses import dataclass, field, replace
from urllib.parse import quote

CLEANUP_EVERY_S = 10  # the verifier sweeps expired nonces this often


@dataclass(frozen=True)
class SignedRequest:
    method: str
    host: str
    path: str
    query: tuple[tuple[str, str], ...]
    body: bytes
    key_id: str
    timestamp: int
    nonce: str
    signature: str = ""


# [start canonical]
def canonical(req: SignedRequest) -> bytes:
    """The exact bytes both sides MAC. Anything left out here can be changed freely."""
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in sorted(req.query))
    return "\n".join([
        req.method.upper(), req.host.lower(), req.path, query,
        hashlib.sha256(req.body).hexdigest(), str(req.timestamp), req.nonce, req.key_id,
    ]).encode()


def sign(req: SignedRequest, secret: bytes) -> SignedRequest:
    mac = hmac.new(secret, canonical(req), hashlib.sha256).digest()
    return replace(req, signature=base64.urlsafe_b64encode(mac).decode())
# [end canonical]


@dataclass
class Verifier:
    """Checks the window, then the MAC, then the nonce, and remembers accepted nonces."""

    keys: dict[str, bytes]
    host: str
    window_s: int = 300
    seen: dict[tuple[str, str], int] = field(default_factory=dict)  # nonce -> forget after
    peak: int = 0

    def _forget_expired(self, now: int) -> None:
        for nonce in [n for n, until in self.seen.items() if until < now]:
            del self.seen[nonce]

    # [start verify]
    def verify(self, req: SignedRequest, now: int) -> str:
        """'accept' or the reason for rejecting. Order matters: see the comments."""
        secret = self.keys.get(req.key_id)
        if secret is None:
            return "unknown key id"
        if abs(now - req.timestamp) > self.window_s:
            return "timestamp outside window"  # old captures die here, cache or not
        expected = sign(replace(req, host=self.host), secret).signature  # MAC our own name
        if not hmac.compare_digest(expected, req.signature):
            return "bad signature"  # checked before the cache, so forgers cannot fill it
        if (req.key_id, req.nonce) in self.seen:
            return "replay (nonce seen)"
        self.seen[(req.key_id, req.nonce)] = req.timestamp + self.window_s
        self.peak = max(self.peak, len(self.seen))
        return "accept"
    # [end verify]


def scripted(window_s: int) -> list[tuple[str, str]]:
    """The fixed cases: (description, verifier's answer)."""
    secret = hashlib.sha256(b"checkout signing key").digest()
    v = Verifier({"checkout-1": secret}, host="payments.internal", window_s=window_s)
    eu = Verifier({"checkout-1": secret}, host="payments-eu.internal", window_s=window_s)
    t0 = 1_750_000_000
    base = SignedRequest("POST", "payments.internal", "/v1/charges", (("currency", "EUR"),),
                         b'{"order":"A-1041","amount":100}', "checkout-1", t0, "n-7f3a")
    req = sign(base, secret)
    cases = [
        ("fresh request", v, req, t0 + 1),
        ("same bytes re-sent 2 s later", v, req, t0 + 3),
        ("same bytes re-sent 10 min later", v, req, t0 + 600),
        ("amount changed to 10000", v,
         replace(req, body=b'{"order":"A-1041","amount":10000}'), t0 + 4),
        ("same bytes sent to payments-eu", eu, req, t0 + 4),
        ("new nonce, client clock 200 s behind", v,
         sign(replace(base, nonce="n-8c21", timestamp=t0 - 195), secret), t0 + 5),
        ("new nonce, client clock 400 s behind", v,
         sign(replace(base, nonce="n-9d02", timestamp=t0 - 395), secret), t0 + 5),
        ("unknown key id", v, replace(req, key_id="legacy-0"), t0 + 6),
    ]
    return [(title, verifier.verify(r, now)) for title, verifier, r, now in cases]


def simulate(seed: int, rate: int, seconds: int, window_s: int,
             replay_fraction: float) -> dict[str, int]:
    """Legitimate traffic plus captured requests replayed after random delays."""
    rng = random.Random(seed)
    secret = rng.randbytes(32)
    v = Verifier({"k": secret}, host="payments.internal", window_s=window_s)
    counts = {"legit accepted": 0, "legit rejected": 0, "replays sent": 0,
              "replays rejected by nonce": 0, "replays rejected by window": 0,
              "replays accepted": 0}
    pending: list[tuple[int, SignedRequest]] = []
    for now in range(seconds):
        for i in range(rate):
            req = sign(SignedRequest("POST", "payments.internal", "/v1/charges", (),
                                     f"{now}-{i}".encode(), "k", now, rng.randbytes(12).hex()),
                       secret)
            result = v.verify(req, now)
            counts["legit accepted" if result == "accept" else "legit rejected"] += 1
            if rng.random() < replay_fraction:
                pending.append((now + rng.randint(1, 2 * window_s), req))
        for _, req in [p for p in pending if p[0] == now]:
            counts["replays sent"] += 1
            result = v.verify(req, now)
            key = {"replay (nonce seen)": "replays rejected by nonce",
                   "timestamp outside window": "replays rejected by window"}.get(
                       result, "replays accepted")
            counts[key] += 1
        pending = [p for p in pending if p[0] > now]
        if now % CLEANUP_EVERY_S == 0:
            v._forget_expired(now)
    counts["peak nonce cache entries"] = v.peak
    return counts


def main(argv: list[str] | None = None) -> int:
    """Print the fixed cases and the replay simulation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--window", type=int, default=300, help="accepted clock difference, s")
    parser.add_argument("--rate", type=int, default=50, help="requests per second")
    parser.add_argument("--seconds", type=int, default=900)
    args = parser.parse_args(argv)
    print(f"window +/-{args.window} s around the verifier's clock")
    for title, result in scripted(args.window):
        print(f"  {title:<38} {result}")
    counts = simulate(args.seed, args.rate, args.seconds, args.window, replay_fraction=0.01)
    print(f"\nsimulation: {args.rate} req/s for {args.seconds} s, 1% of requests replayed "
          f"1..{2 * args.window} s later (seed {args.seed})")
    for name, value in counts.items():
        print(f"  {name:<28} {value:>8,}")
    slack = args.rate * (CLEANUP_EVERY_S + 1)
    print(f"  predicted: rate x window = {args.rate * args.window:,}")
    print(f"  plus up to {slack:,} expired entries awaiting the {CLEANUP_EVERY_S} s sweep")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
