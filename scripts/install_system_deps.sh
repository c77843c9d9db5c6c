#!/usr/bin/env bash
# Check the system tools the build needs; install the missing ones with apt
# when run as root on Debian or Ubuntu, otherwise say exactly what to install.
#
# Each line: command-or-file check | Debian package | Homebrew equivalent
set -euo pipefail

TOOLS=(
  "cmd:latexmk|latexmk|mactex-no-gui (cask)"
  "cmd:pdflatex|texlive-latex-recommended|mactex-no-gui (cask)"
  "tex:fncychap.sty|texlive-latex-extra|mactex-no-gui (cask)"
  "tex:tgtermes.sty|tex-gyre|mactex-no-gui (cask)"
  "tex:helvet.sty|texlive-fonts-recommended|mactex-no-gui (cask)"
  "cmd:chromium|chromium|chromium (cask)"
  "file:/usr/share/java/epubcheck.jar|epubcheck|epubcheck"
  "cmd:java|default-jre-headless|openjdk"
  "cmd:pdffonts|poppler-utils|poppler"
  "cmd:pdftotext|poppler-utils|poppler"
  "cmd:soffice|libreoffice-calc-nogui|libreoffice (cask)"
  "cmd:node|nodejs|node"
  "cmd:npm|npm|node"
  "cmd:git|git|git"
)

present() {
  local check=$1
  case $check in
    cmd:*) command -v "${check#cmd:}" >/dev/null 2>&1 ;;
    file:*) [ -f "${check#file:}" ] ;;
    tex:*) command -v kpsewhich >/dev/null 2>&1 && [ -n "$(kpsewhich "${check#tex:}")" ] ;;
  esac
}

missing_pkgs=()
missing_lines=()
for entry in "${TOOLS[@]}"; do
  IFS='|' read -r check pkg brew <<<"$entry"
  if ! present "$check"; then
    missing_pkgs+=("$pkg")
    missing_lines+=("  ${check#*:}: Debian/Ubuntu package '$pkg', macOS: brew install $brew")
  fi
done

[ ${#missing_pkgs[@]} -eq 0 ] && exit 0

mapfile -t unique < <(printf '%s\n' "${missing_pkgs[@]}" | sort -u)
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 && [ -z "${DSD_NO_APT:-}" ]; then
  echo "Installing system packages: ${unique[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${unique[@]}"
  exit 0
fi

echo "error: the build needs system tools that are not installed:" >&2
printf '%s\n' "${missing_lines[@]}" >&2
echo "Install them with: sudo apt-get install --no-install-recommends ${unique[*]}" >&2
exit 1
