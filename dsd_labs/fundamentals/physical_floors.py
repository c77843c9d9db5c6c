"""Physical floors behind three fallacies: latency, bandwidth and transport cost.

Each figure the fallacies page uses is computed here from stated inputs:

- the round-trip floor between two cities, from the great-circle distance
  and the speed of light in vacuum (real fiber paths are longer and slower,
  so every real round trip is above this floor);
- what a chain of sequential remote calls costs at that floor;
- how long a bulk copy takes at a given link rate;
- how many bytes the same readings take as JSON text and as packed binary.

Run: ``python -m dsd_labs.fundamentals.physical_floors``
"""

from __future__ import annotations

import argparse
import json
import math
import random
import struct

C_VACUUM_KM_PER_S = 299_792.458  # exact, by the SI definition of the meter
EARTH_MEAN_RADIUS_KM = 6_371.0  # mean radius used by the haversine formula

# Latitude and longitude in degrees (north and east positive).
PLACES = {
    "Ashburn, Virginia": (39.0438, -77.4874),
    "Dublin": (53.3498, -6.2603),
    "Frankfurt": (50.1109, 8.6821),
    "Tokyo": (35.6762, 139.6503),
    "Sydney": (-33.8688, 151.2093),
    "Sao Paulo": (-23.5505, -46.6333),
}
PAIRS = [("Ashburn, Virginia", "Dublin"), ("Dublin", "Frankfurt"),
         ("Ashburn, Virginia", "Tokyo"), ("Frankfurt", "Sydney"),
         ("Ashburn, Virginia", "Sao Paulo")]


# [start floor]
def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Shortest distance over the Earth's surface (haversine formula)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_MEAN_RADIUS_KM * math.asin(math.sqrt(h))


def rtt_floor_ms(km: float) -> float:
    """Round trip at the speed of light in vacuum: no network can beat it."""
    return 2 * km / C_VACUUM_KM_PER_S * 1000
# [end floor]


def transfer_hours(gigabytes: float, gigabits_per_s: float) -> float:
    """Hours to move ``gigabytes`` (10^9 bytes) at a sustained link rate."""
    return gigabytes * 8 / gigabits_per_s / 3600


def encoded_sizes(readings: int, seed: int) -> tuple[int, int]:
    """Bytes for ``readings`` float64 values as a JSON array and as packed binary."""
    rng = random.Random(seed)
    values = [rng.uniform(-100.0, 100.0) for _ in range(readings)]
    as_json = json.dumps(values, separators=(",", ":")).encode()
    packed = struct.pack(f"<{readings}d", *values)
    return len(as_json), len(packed)


def main(argv: list[str] | None = None) -> int:
    """Print the floors the fallacies page relies on."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20, help="sequential remote calls")
    parser.add_argument("--copy-gb", type=float, default=4000.0, help="bulk copy size, GB")
    parser.add_argument("--readings", type=int, default=1000, help="float64 values to encode")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    print("== Round-trip floor at the speed of light in vacuum")
    floors = {}
    for a, b in PAIRS:
        km = great_circle_km(PLACES[a], PLACES[b])
        floors[(a, b)] = rtt_floor_ms(km)
        print(f"   {a} - {b}: {km:7.0f} km, RTT >= {floors[(a, b)]:6.1f} ms")
    a, b = PAIRS[0]
    print(f"== {args.calls} sequential calls {a} - {b}: "
          f">= {args.calls * floors[(a, b)]:.0f} ms before any server work")
    print(f"== Copying {args.copy_gb:.0f} GB at a sustained rate")
    for rate in (1.0, 10.0, 25.0, 100.0):
        print(f"   {rate:5.0f} Gb/s: {transfer_hours(args.copy_gb, rate):6.2f} h")
    as_json, packed = encoded_sizes(args.readings, args.seed)
    print(f"== {args.readings} float64 readings: JSON {as_json} bytes, "
          f"packed {packed} bytes ({as_json / packed:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
