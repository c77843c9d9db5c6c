"""Drift arithmetic and one NTP exchange over an asymmetric path.

The first table turns a frequency error in parts per million into seconds
gained or lost per day and per month of free running, and into the time
until two clocks drifting in opposite directions disagree by a given skew.
The second part performs the on-wire calculation of RFC 5905 for one
request/response: the client's offset estimate is exact when the two
directions of the path take equal time, and is wrong by half the asymmetry
when they do not; the error can never exceed half the round-trip delay.

Run: ``python -m dsd_labs.clocks.ntp``
"""

from __future__ import annotations

import argparse

SECONDS_PER_DAY = 86_400


def drift_seconds(ppm: float, seconds: float) -> float:
    """Clock error accumulated over ``seconds`` at a constant rate error of ``ppm``."""
    return ppm * 1e-6 * seconds


# [start ntp]
def ntp_offset_delay(t1: float, t2: float, t3: float, t4: float) -> tuple[float, float]:
    """RFC 5905 on-wire calculation: (offset, round-trip delay) from four timestamps.

    t1: client sends (client clock); t2: server receives (server clock);
    t3: server replies (server clock); t4: client receives (client clock).
    The offset assumes the request and the reply spent equal time in flight.
    """
    offset = ((t2 - t1) + (t3 - t4)) / 2
    delay = (t4 - t1) - (t3 - t2)
    return offset, delay
# [end ntp]


def exchange(true_offset_ms: float, out_ms: float, back_ms: float,
             server_ms: float = 0.1) -> tuple[float, float]:
    """Simulate one exchange; the server's clock is ``true_offset_ms`` ahead of the client's."""
    t1 = 0.0
    t2 = t1 + out_ms + true_offset_ms
    t3 = t2 + server_ms
    t4 = t3 - true_offset_ms + back_ms
    return ntp_offset_delay(t1, t2, t3, t4)


def main(argv: list[str] | None = None) -> int:
    """Print the drift table and three NTP exchanges with growing path asymmetry."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--true-offset-ms", type=float, default=5.0)
    args = parser.parse_args(argv)
    print("rate error  per day (s)  per 30 days (s)  to reach 100 ms skew, opposite drift")
    for ppm in (1, 15, 50, 100, 200):
        day = drift_seconds(ppm, SECONDS_PER_DAY)
        month = drift_seconds(ppm, 30 * SECONDS_PER_DAY)
        to_skew = 0.100 / (2 * ppm * 1e-6)
        print(f"{ppm:>6} ppm  {day:>11.3f}  {month:>15.1f}  {to_skew:>8.0f} s "
              f"({to_skew / 60:.1f} min)")
    print(f"\nNTP exchange, server clock truly {args.true_offset_ms} ms ahead of the client")
    print("out (ms)  back (ms)  offset est. (ms)  delay (ms)  error (ms)  delay/2 (ms)")
    for out_ms, back_ms in ((10, 10), (2, 18), (0.5, 19.5)):
        offset, delay = exchange(args.true_offset_ms, out_ms, back_ms)
        error = round(offset - args.true_offset_ms, 6) + 0.0
        print(f"{out_ms:>8}  {back_ms:>9}  {offset:>16.2f}  {delay:>10.2f}  "
              f"{error:>10.2f}  {delay / 2:>12.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
