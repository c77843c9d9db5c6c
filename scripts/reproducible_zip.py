"""Write zip archives whose bytes depend only on their contents.

A zip records each entry's time, permissions and order; two builds of the
same commit differ in all three unless they are fixed. Here entries are
sorted, stamped with SOURCE_DATE_EPOCH and given fixed permissions, and an
ePub's ``mimetype`` entry comes first and uncompressed, as the OCF
specification requires.

Usage: python scripts/reproducible_zip.py --epub BOOK.epub   (rewrite in place)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

ZIP_EPOCH = 315532800  # 1980-01-01, the earliest time a zip entry can hold


def zip_time() -> tuple[int, int, int, int, int, int]:
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", "0")), ZIP_EPOCH)
    return time.gmtime(epoch)[:6]


def _info(name: str, stamp: tuple[int, int, int, int, int, int], stored: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.external_attr = 0o644 << 16
    info.create_system = 3  # Unix, whatever the host
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def write_zip(target: Path, entries: Iterable[tuple[str, bytes]], first: str | None = None) -> None:
    """Write ``entries`` (archive name, content) to ``target`` reproducibly.

    ``first`` names an entry to store uncompressed at the front (an ePub's
    ``mimetype``). The file appears atomically: it is written beside the
    target and renamed over it.
    """
    stamp = zip_time()
    items = sorted(entries, key=lambda item: (item[0] != first, item[0]))
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", compresslevel=9) as archive:
            for name, data in items:
                archive.writestr(_info(name, stamp, stored=name == first), data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def zip_tree(target: Path, folder: Path, prefix: str) -> None:
    """Zip every file below ``folder`` under the top-level directory ``prefix``."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    write_zip(target, ((f"{prefix}/{p.relative_to(folder).as_posix()}", p.read_bytes())
                       for p in files))


def repack_epub(book: Path) -> None:
    """Rewrite an ePub in place with fixed entry order, times and permissions."""
    with zipfile.ZipFile(book) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()
                   if not info.is_dir()]
    write_zip(book, entries, first="mimetype")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epub", type=Path, required=True, help="ePub to rewrite in place")
    args = parser.parse_args(argv)
    repack_epub(args.epub)
    return 0


if __name__ == "__main__":
    sys.exit(main())
