"""Pack the built formats into a versioned, verifiable release directory.

``check`` runs before anything is built, so a malformed version or an
existing release fails in a second, not after a full build. ``pack`` copies
each artifact under its release name, zips the HTML site, writes the course
archive, ``SHA256SUMS`` and ``manifest.json`` into a staging directory, and
renames it to ``dist/<version>/`` only when all of it is written: a failed
run leaves no half-written release, and an existing one is never replaced.

Usage:
  python scripts/make_dist.py check --version 1.2.0 --dist dist
  python scripts/make_dist.py pack --version 1.2.0 --build build --dist dist
  python scripts/make_dist.py verify --version 1.2.0 --dist dist
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "extensions"))
sys.path.insert(0, str(ROOT / "scripts"))

import publications  # noqa: E402
from reproducible_zip import write_zip, zip_tree  # noqa: E402

PACKAGE_README = """\
Distributed Systems Design, version {version}
{underline}

This package holds the whole course:

{listing}

Start with the Core Curriculum. To read the web edition offline, unzip
{html} and open index.html in a browser; every page links to the PDF and
ePub of its publication.

Check the files with:  sha256sum -c SHA256SUMS
Built from commit {commit}.
"""


class DistError(RuntimeError):
    """The release cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class Artifact:
    """One file of the release and where it comes from in the build tree."""

    name: str
    kind: str
    publication: str
    source: Path | None  # None: produced by this script


def release_dir(dist: Path, version: str) -> Path:
    return dist / version


def check(version: str, dist: Path) -> None:
    """Fail before building if the version is malformed or already released."""
    try:
        publications.check_version(version)
    except ValueError as exc:
        raise DistError(f"VERSION: {exc}") from exc
    target = release_dir(dist, version)
    if target.exists():
        raise DistError(f"{target} already exists: a release is never overwritten. "
                        "Choose another VERSION, or delete that directory yourself.")


def built_artifacts(build: Path, version: str) -> list[Artifact]:
    """Every per-publication file the build must have produced."""
    found = []
    for pub in publications.load():
        if "pdf" in pub.formats:
            found.append(Artifact(pub.artifact(version, "pdf"), "pdf", pub.key,
                                  build / "pdf" / pub.key / "latex" / f"dsd-{pub.key}.pdf"))
        if "epub" in pub.formats:
            found.append(Artifact(pub.artifact(version, "epub"), "epub", pub.key,
                                  build / "epub" / pub.key / pub.artifact(version, "epub")))
        if "xlsx" in pub.formats:
            found.append(Artifact(pub.artifact(version, "xlsx"), "xlsx", pub.key,
                                  build / "xlsx" / pub.artifact(version, "xlsx")))
    missing = [str(a.source) for a in found if a.source and not a.source.is_file()]
    if missing:
        raise DistError("the build did not produce: " + ", ".join(missing))
    if not (build / "html" / "index.html").is_file():
        raise DistError(f"the build did not produce {build / 'html' / 'index.html'}")
    return found


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def pack_html(build: Path, stage: Path, version: str, artifacts: list[Artifact]) -> Artifact:
    """Zip the HTML site with the downloads its pages link to."""
    site = stage / ".html"
    shutil.copytree(build / "html", site, ignore=shutil.ignore_patterns(".buildinfo"))
    downloads = site / "downloads"
    downloads.mkdir()
    for artifact in artifacts:
        shutil.copyfile(stage / artifact.name, downloads / artifact.name)
    name = f"dsd-html-{version}.zip"
    zip_tree(stage / name, site, f"dsd-html-{version}")
    shutil.rmtree(site)
    return Artifact(name, "html", "all", None)


def pack_course(stage: Path, version: str, artifacts: list[Artifact], commit: str) -> Artifact:
    """One archive with every artifact and a README that says what each is."""
    top = f"dsd-course-{version}"
    html = next(a.name for a in artifacts if a.kind == "html")
    listing = "\n".join(f"  {a.name}" for a in artifacts)
    readme = PACKAGE_README.format(version=version, underline="=" * (38 + len(version)),
                                   listing=listing, html=html, commit=commit)
    sums = "".join(f"{sha256(stage / a.name)}  {a.name}\n" for a in artifacts)
    entries = [(f"{top}/{a.name}", (stage / a.name).read_bytes()) for a in artifacts]
    entries += [(f"{top}/README.txt", readme.encode()), (f"{top}/SHA256SUMS", sums.encode())]
    name = f"{top}.zip"
    write_zip(stage / name, entries)
    return Artifact(name, "package", "all", None)


def write_manifest(stage: Path, version: str, artifacts: list[Artifact], commit: str) -> None:
    records = [{"file": a.name, "kind": a.kind, "publication": a.publication,
                "bytes": (stage / a.name).stat().st_size, "sha256": sha256(stage / a.name)}
               for a in artifacts]
    manifest = {"name": "dsd-course", "version": version, "commit": commit,
                "source_date_epoch": int(os.environ.get("SOURCE_DATE_EPOCH", "0")),
                "artifacts": records}
    (stage / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    (stage / "SHA256SUMS").write_text(
        "".join(f"{r['sha256']}  {r['file']}\n" for r in records), encoding="utf-8")


def pack(version: str, build: Path, dist: Path) -> Path:
    """Assemble the release in a staging directory, then publish it with one rename."""
    check(version, dist)
    artifacts = built_artifacts(build, version)
    dist.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=dist, prefix=f".staging-{version}-"))
    try:
        for artifact in artifacts:
            assert artifact.source is not None
            shutil.copyfile(artifact.source, stage / artifact.name)
        commit = git_commit()
        artifacts.append(pack_html(build, stage, version, artifacts))
        artifacts.append(pack_course(stage, version, artifacts, commit))
        write_manifest(stage, version, artifacts, commit)
        for path in stage.iterdir():
            path.chmod(0o644)
        stage.chmod(0o755)
        target = release_dir(dist, version)
        if target.exists():
            raise DistError(f"{target} appeared while packing; not replacing it")
        os.rename(stage, target)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return target


def verify(release: Path) -> list[str]:
    """Check a release directory against its own SHA256SUMS and manifest.

    The release workflow runs this on the files it is about to upload, after
    they have travelled between jobs, so an asset that changed or went
    missing on the way stops the release before anything is published.
    """
    sums_file, manifest_file = release / "SHA256SUMS", release / "manifest.json"
    for required in (sums_file, manifest_file):
        if not required.is_file():
            raise DistError(f"{required}: missing; not a release made by make dist")
    listed: dict[str, str] = {}
    for number, line in enumerate(sums_file.read_text(encoding="utf-8").splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or "/" in name:
            raise DistError(f"{sums_file}:{number}: expected '<sha256>  <file name>'")
        listed[name] = digest
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    recorded = {r["file"]: r["sha256"] for r in manifest.get("artifacts", [])}
    if recorded != listed:
        raise DistError(f"{manifest_file}: its artifacts disagree with {sums_file.name}")
    if manifest.get("version") != release.name:
        raise DistError(f"{manifest_file}: version {manifest.get('version')!r} "
                        f"is not the directory's {release.name!r}")
    present = {p.name for p in release.iterdir()} - {sums_file.name, manifest_file.name}
    if present != set(listed):
        extra, missing = sorted(present - set(listed)), sorted(set(listed) - present)
        raise DistError(f"{release}: files not matching SHA256SUMS "
                        f"(unlisted: {extra or 'none'}, missing: {missing or 'none'})")
    for name, digest in sorted(listed.items()):
        if sha256(release / name) != digest:
            raise DistError(f"{release / name}: checksum does not match SHA256SUMS")
    return sorted(listed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["check", "pack", "verify"])
    parser.add_argument("--version", required=True)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    args = parser.parse_args(argv)
    try:
        if args.step == "check":
            check(args.version, args.dist)
        elif args.step == "verify":
            names = verify(release_dir(args.dist, args.version))
            print(f"{len(names)} artifacts match SHA256SUMS and manifest.json")
        else:
            target = pack(args.version, args.build, args.dist)
            print(f"release written to {target}")
    except (DistError, publications.RegistryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
