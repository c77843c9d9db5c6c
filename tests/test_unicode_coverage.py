"""Every non-ASCII character in the text can be typeset by the PDF build.

pdfLaTeX stops at the first character it has no definition for. This test
names the file, line and character first, and points at the one place to
declare it (extensions/latex/dsd-unicode.sty).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STY = ROOT / "extensions" / "latex" / "dsd-unicode.sty"
# Characters LaTeX's utf8 input encoding already maps with T1 and textcomp.
NATIVE = set("–—‘’“”«»§°©®·¡¿") | {chr(c) for c in range(0xC0, 0x180) if c not in (0xD7, 0xF7)}


def declared() -> set[str]:
    codes = re.findall(r"\\DeclareUnicodeCharacter\{([0-9A-F]+)\}", STY.read_text())
    return {chr(int(code, 16)) for code in codes}


def test_every_character_is_typesettable() -> None:
    allowed = NATIVE | declared()
    files = [*ROOT.glob("source/**/*.md"), *ROOT.glob("data/**/*.yaml"),
             *ROOT.glob("source/bibliography/*.bib")]
    missing = []
    for path in sorted(files):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            missing += [f"{path.relative_to(ROOT)}:{number}: {ch!r} U+{ord(ch):04X}"
                        for ch in line if ord(ch) > 127 and ch not in allowed]
    assert not missing, "declare these in dsd-unicode.sty:\n" + "\n".join(missing[:20])
