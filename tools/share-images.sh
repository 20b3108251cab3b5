#!/bin/sh
# share-images.sh (issue 17 item 7): remakes the sharing images in www/ from
# www/icon.svg and the poster code, so they stay in the poster's design:
# icon-192.png and icon-512.png (the web manifest's icons), favicon.ico (one
# 32x32 PNG inside an ICO, for browsers that ask /favicon.ico) and og.png
# (600x314, the top of the poster: what a link pasted in WhatsApp shows).
# Needs rsvg-convert and python3; run from the repository after `make`.
set -eu
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
rsvg-convert -w 192 -h 192 www/icon.svg -o www/icon-192.png
rsvg-convert -w 512 -h 512 www/icon.svg -o www/icon-512.png
rsvg-convert -w 32 -h 32 www/icon.svg -o "$t/i32.png"
build/buzon poster satisfaccion --point mercado-municipal --format svg -o "$t/poster.svg" >/dev/null 2>&1
python3 - "$t" <<'PY'
import re, struct, sys
t = sys.argv[1]
p = open(t + '/i32.png', 'rb').read()
open('www/favicon.ico', 'wb').write(struct.pack('<HHH', 0, 1, 1) +
    struct.pack('<BBBBHHII', 32, 32, 0, 0, 1, 32, len(p), 22) + p)
s = open(t + '/poster.svg').read()
s = s.replace('width="210mm" height="297mm" viewBox="0 0 210 297"', 'width="600" height="314" viewBox="0 0 210 110"')
def keep(m):   # the poster's header only: no form, point or QR
    y = re.search(r' y="([\d.]+)"', m.group(0))
    return m.group(0) if y and float(y.group(1)) < 62 else ''
s = re.sub(r'<text[^>]*>.*?</text>', keep, s, flags=re.S)
s = s.replace('<rect x="6" y="6" width="198" height="285"', '<rect x="6" y="6" width="198" height="98"')
s = re.sub(r'<(path|g)\b.*?(/>|</\1>)', '', s, flags=re.S)
s = s.replace('</svg>', '<text x="105" y="86" font-size="9" fill="#1a1a1a" font-weight="bold">buzón ciudadano</text></svg>')
open(t + '/og.svg', 'w').write(s)
PY
rsvg-convert "$t/og.svg" -w 600 -h 314 -b white -o www/og.png
