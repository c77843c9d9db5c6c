"""Release tags, versions and their order, for the release and site workflows.

A release is tagged ``vMAJOR.MINOR.PATCH`` with an optional SemVer
pre-release part (``v2.0.0-rc.1``). Build metadata (``+g1a2b3c4``) marks a
development build and is never allowed on a tag. Ordering follows SemVer 2.0.0
precedence, not tag age or string order, so that ``1.10.0`` sorts above
``1.9.0`` and ``2.0.0-rc.1`` below ``2.0.0``: the site's "stable" is chosen
with this order.

Usage:
  python scripts/release_versions.py from-tag v1.2.0        # prints 1.2.0
  python scripts/release_versions.py is-prerelease 2.0.0-rc.1   # prints true
"""

from __future__ import annotations

import argparse
import re
import sys

RELEASE_RE = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
    r"(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?$"
)


class VersionError(ValueError):
    """A tag or version string is not a release version; the message says why."""


def parse(version: str) -> tuple[int, int, int, tuple[str, ...]]:
    """Split a release version into its numbers and pre-release identifiers."""
    match = RELEASE_RE.match(version)
    if not match:
        raise VersionError(
            f"malformed release version {version!r}: expected MAJOR.MINOR.PATCH with "
            "an optional -prerelease part, e.g. 1.2.0 or 2.0.0-rc.1 (no +build part)")
    major, minor, patch, pre = match.groups()
    return int(major), int(minor), int(patch), tuple(pre.split(".")) if pre else ()


def version_from_tag(tag: str) -> str:
    """The release version a tag names: ``v1.2.0`` gives ``1.2.0``."""
    if not tag.startswith("v"):
        raise VersionError(f"malformed release tag {tag!r}: a release tag is v<version>, "
                           "e.g. v1.2.0 or v2.0.0-rc.1")
    version = tag[1:]
    parse(version)
    return version


def is_prerelease(version: str) -> bool:
    """Pre-releases are published but never become the stable version."""
    return bool(parse(version)[3])


def _identifier_key(identifier: str) -> tuple[int, int, str]:
    # SemVer: numeric identifiers compare numerically and sort below
    # alphanumeric ones, which compare in ASCII order.
    if identifier.isdigit():
        return (0, int(identifier), "")
    return (1, 0, identifier)


def precedence_key(version: str) -> tuple:
    """A sort key that orders versions by SemVer 2.0.0 precedence."""
    major, minor, patch, pre = parse(version)
    # A version without a pre-release part ranks above all of its pre-releases.
    pre_key = (1,) if not pre else (0, tuple(_identifier_key(p) for p in pre))
    return (major, minor, patch, pre_key)


def newest_stable(versions: list[str]) -> str | None:
    """The highest version that is not a pre-release, or None."""
    stable = [v for v in versions if not is_prerelease(v)]
    return max(stable, key=precedence_key) if stable else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("from-tag").add_argument("tag")
    sub.add_parser("is-prerelease").add_argument("version")
    args = parser.parse_args(argv)
    try:
        if args.command == "from-tag":
            print(version_from_tag(args.tag))
        else:
            print("true" if is_prerelease(args.version) else "false")
    except VersionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
