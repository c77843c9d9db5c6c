"""Capacity headroom arithmetic: N+2, zone loss, growth runway, autoscaling, rollouts, restores.

Every number a capacity plan quotes should follow from a few stated inputs:
peak demand, what one instance serves at the latency objective (measured by
a load test), the utilization ceiling the queueing curve allows, the failure
the fleet must survive, and how fast demand grows. Each section below prints
one such derivation; the Module 14 pages show them section by section.

Run: ``python -m dsd_labs.operations.headroom --section zones``
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

SECTIONS = ("fleet", "zones", "growth", "autoscale", "rollout", "backfill", "restore")


# [start sizing]
def tasks_for(peak: float, per_task: float, utilization: float = 1.0) -> int:
    """Smallest number of tasks that serves ``peak`` with each task at most
    ``utilization`` of what it can serve."""
    return math.ceil(peak / (per_task * utilization) - 1e-9)


def zonal_fleet(peak: float, per_task: float, zones: int, normal: float,
                degraded: float) -> tuple[int, float]:
    """Tasks per zone so that losing one zone leaves the rest at most ``degraded``
    busy, and the fleet at most ``normal`` busy with all zones up.
    Returns (tasks per zone, utilization with all zones up)."""
    per_zone = max(tasks_for(peak / (zones - 1), per_task, degraded),
                   tasks_for(peak / zones, per_task, normal))
    return per_zone, peak / (zones * per_zone * per_task)
# [end sizing]


def fleet() -> list[str]:
    """The SRE book's example: 3,470 QPS at peak, 100 QPS per task, N+2 per region."""
    peak, per_task = 3470, 100
    n = tasks_for(peak, per_task)
    lines = [f"Peak {peak:,} QPS, {per_task} QPS per task: N = {n}, N+1 = {n + 1}, N+2 = {n + 2}"]
    regions = {"North America": 1430, "South America": 290, "Europe+Africa": 1400,
               "Asia+Australia": 350}
    total = 0
    for region, qps in regions.items():
        need = tasks_for(qps, per_task)
        total += need + 2
        lines.append(f"  {region:15} {qps:5,} QPS: N = {need:2}, N+2 = {need + 2:2}")
    lines.append(f"  per-region N+2 needs {total} tasks against {n + 2} in one place "
                 f"(+{total / (n + 2) - 1:.0%})")
    return lines


def zones(peak: float = 36_000, per_task: float = 1_200, normal: float = 0.70,
          degraded: float = 0.85) -> list[str]:
    """Size a fleet for a zone loss, for 1 to 4 zones."""
    lines = [f"Peak {peak:,.0f} req/s; load test: {per_task:,.0f} req/s per instance at the "
             f"latency SLO;\nceiling {normal:.0%} busy normally, {degraded:.0%} with a zone down"]
    plain = tasks_for(peak, per_task, normal)
    lines.append(f"  no zone tolerance: {plain} instances, {peak / (plain * per_task):.1%} busy")
    for count in (2, 3, 4):
        per_zone, busy = zonal_fleet(peak, per_task, count, normal, degraded)
        lines.append(f"  {count} zones: {per_zone:2} per zone = {count * per_zone:3} instances, "
                     f"{busy:.1%} busy at peak, +{count * per_zone / plain - 1:.0%} over plain")
    return lines


def growth(peak: float = 36_000, monthly: float = 0.04, per_task: float = 1_200,
           per_zone: int = 18, degraded: float = 0.85, lead_months: int = 3) -> list[str]:
    """When does a 3-zone fleet stop surviving a zone loss, and what it needs in a year."""
    limit = 2 * per_zone * per_task * degraded
    runway = math.log(limit / peak) / math.log(1 + monthly)
    lines = [f"Demand +{monthly:.0%} per month from {peak:,.0f} req/s; 3 zones x {per_zone} "
             f"hold {limit:,.0f} req/s with a zone down"]
    lines.append(f"  runway: {runway:.1f} months; lead time {lead_months} months -> order now"
                 if runway < lead_months else f"  runway: {runway:.1f} months")
    for months in (lead_months, 6, 12):
        future = peak * (1 + monthly) ** months
        need, _ = zonal_fleet(future, per_task, 3, 0.70, degraded)
        lines.append(f"  in {months:2} months: {future:7,.0f} req/s -> {need} per zone, "
                     f"{3 * need} instances")
    return lines


def autoscale(replicas: int = 30, current: float = 84, target: float = 60,
              tolerance: float = 0.1) -> list[str]:
    """The Kubernetes HPA rule: desired = ceil(replicas x current / target),
    skipped while the ratio is within the tolerance of 1."""
    lines = [f"HPA: {replicas} replicas, target {target:g}% CPU, tolerance {tolerance:.0%}"]
    for metric in (current, 64, 50, 30):
        ratio = metric / target
        desired = replicas if abs(ratio - 1) <= tolerance else math.ceil(replicas * ratio)
        lines.append(f"  at {metric:3g}% CPU: ratio {ratio:.2f} -> {desired} replicas")
    return lines


def rollout(pods: int = 54, per_task: float = 1_200, peak: float = 36_000,
            zone_pods: int = 18, wave_seconds: int = 60) -> list[str]:
    """Capacity floor and duration of a rolling update; what blue/green and a canary cost."""
    lines = [f"{pods} pods, peak {peak:,.0f} req/s, {per_task:,.0f} req/s per pod"]
    for surge_pct, unavail_pct in ((25, 25), (10, 0)):
        surge = math.ceil(pods * surge_pct / 100)
        unavailable = math.floor(pods * unavail_pct / 100)
        floor = pods - unavailable
        waves = math.ceil(pods / (surge + unavailable))
        worst = floor - zone_pods
        lines.append(f"  maxSurge {surge_pct}% ({surge}), maxUnavailable {unavail_pct}% "
                     f"({unavailable}): >= {floor} ready, {peak / (floor * per_task):.0%} busy;")
        lines.append(f"    a zone lost mid-rollout leaves {worst}: {peak / (worst * per_task):.0%}"
                     f" busy; ~{waves} waves x {wave_seconds} s = {waves * wave_seconds / 60:.0f}"
                     f" min of mixed versions")
    lines.append(f"  blue/green: {2 * pods} pods while both colors run; "
                 f"one canary pod: {1 / (pods + 1):.1%} of traffic")
    return lines


def backfill(rows: float = 400e6, batch: int = 5_000, batch_ms: float = 50,
             pause_ms: float = 50, row_bytes: int = 200) -> list[str]:
    """Duration of a throttled backfill in small transactions, and the write rate
    that replicas must apply meanwhile."""
    batches = math.ceil(rows / batch)
    seconds = batches * (batch_ms + pause_ms) / 1000
    rate = batch / ((batch_ms + pause_ms) / 1000)
    return [
        f"Backfill {rows / 1e6:,.0f} M rows in batches of {batch:,}: {batches:,} transactions",
        f"  {batch_ms:g} ms per batch + {pause_ms:g} ms pause: {seconds / 3600:.1f} h at "
        f"{rate:,.0f} rows/s, about {rate * row_bytes / 1e6:.0f} MB/s of new row versions",
        f"  without the pause: {batches * batch_ms / 1000 / 3600:.1f} h at "
        f"{batch / (batch_ms / 1000):,.0f} rows/s, with the load and replica lag that go with it",
    ]


def restore(size_tb: float = 4.0, restore_mb_s: float = 400, wal_gb_day: float = 60,
            replay_mb_s: float = 50, rto_hours: float = 4.0) -> list[str]:
    """Worst-case restore time from a daily base backup plus archived WAL."""
    base = size_tb * 1e12 / (restore_mb_s * 1e6)
    replay = wal_gb_day * 1e9 / (replay_mb_s * 1e6)
    total = base + replay
    return [
        f"Restore {size_tb:g} TB at {restore_mb_s:g} MB/s: {base / 3600:.2f} h; replay up to "
        f"{wal_gb_day:g} GB of WAL at {replay_mb_s:g} MB/s: {replay / 60:.0f} min",
        f"  worst case {total / 3600:.2f} h against an RTO of {rto_hours:g} h: "
        f"{rto_hours - total / 3600:.2f} h left for detection, decision and checks",
        "  RPO: WAL archived every 60 s -> about 1 min; nightly dump only -> up to 24 h;",
        "  a streaming replica -> seconds for a lost server, no help against a DROP TABLE",
    ]


def main(argv: list[str] | None = None) -> int:
    """Print one section, or all of them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--section", choices=(*SECTIONS, "all"), default="all")
    args = parser.parse_args(argv)
    builders: dict[str, Callable[[], list[str]]] = {
        "fleet": fleet, "zones": zones, "growth": growth, "autoscale": autoscale,
        "rollout": rollout, "backfill": backfill, "restore": restore}
    chosen = SECTIONS if args.section == "all" else (args.section,)
    for i, name in enumerate(chosen):
        if i:
            print()
        print("\n".join(builders[name]()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
