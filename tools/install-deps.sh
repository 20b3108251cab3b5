#!/usr/bin/env bash
# Install the Debian 12 packages buzon needs, and only those that are missing.
#
#   tools/install-deps.sh run     what `make run` needs (build + serve)
#   tools/install-deps.sh check   that, plus what `make check` needs
#   tools/install-deps.sh bench   that, plus what `make bench` needs
#
# Prints each package it installs. Uses sudo when not root. Does nothing and
# prints nothing when everything is already there, so it is cheap to call
# from every make invocation.
set -euo pipefail

mode=${1:-run}

# Build and run: compiler, pkg-config and the libraries linked into buzon.
run_pkgs=(
  build-essential pkg-config
  libmicrohttpd-dev   # HTTP server
  libsqlite3-dev      # embedded database
  libqrencode-dev     # QR codes on posters
  libsodium-dev       # random ids, tokens, password hashing
  libcsv-dev          # RFC 4180 CSV parsing of XLSForm sheets
  libzip-dev          # XLSForm workbooks (.xlsx) are zips...
  libexpat1-dev       # ...of XML sheets, read with expat
  libjansson-dev      # JSON output of the API
  libxlsxwriter-dev   # XLSX exports
  libpng-dev          # PNG posters and bare QR images
  libjpeg62-turbo-dev # photos sent with a survey, decoded and re-encoded
  zlib1g-dev          # gzip of pages for slow mobile links
  librsvg2-dev        # PNG posters are the SVG poster rasterised (librsvg + cairo)
  nettle-dev          # MD5, SHA-1 and SHA-384 for digest(); P-256 and AES-GCM for sealed interviews
  libgmp-dev          # the numbers under nettle's P-256 (hogweed)
  fonts-dejavu-core   # a font every stock machine has, for PNG posters
  libcurl4-openssl-dev  # staff notices: SMTP (STARTTLS, smtps) and the signed webhook POST
)
# Tests: unit framework, sanitizer runtime, QR decoder, SVG rasteriser, and
# Chromium for the end-to-end tests (tests/e2e, driven from Node.js).
check_pkgs=(
  libcmocka-dev clang libclang-rt-14-dev
  zbar-tools librsvg2-bin sqlite3
  unzip               # tests read the XLSX downloads back (test_table_out)
  python3             # tools/csv2xlsx.py writes the e2e tests' workbooks; tools/check-diag-tr.py
  chromium
  python3-aiosmtpd    # test_notices: a local SMTP sink receiving the staff notices
)
# Node.js and npm from Debian, unless a node and an npm are already on the
# PATH (a newer Node.js from elsewhere bundles its own npm, which Debian's
# npm package would conflict with).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  check_pkgs+=(nodejs npm)
fi
# Benchmarks: the load generator and the reference web server.
bench_pkgs=(wrk nginx-light)

pkgs=("${run_pkgs[@]}")
[ "$mode" = check ] && pkgs+=("${check_pkgs[@]}")
[ "$mode" = bench ] && pkgs+=("${check_pkgs[@]}" "${bench_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "buzon: installing missing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "buzon: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
