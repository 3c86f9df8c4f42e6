#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry (built files only; pages make no
# outside requests). Change a version here, run this script, commit what it writes.
set -euo pipefail
cd "$(dirname "$0")"

PHOTOSWIPE=5.4.4
EXIFR=7.1.3
FRAUNCES=5.3.0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "photoswipe@$PHOTOSWIPE" "exifr@$EXIFR" \
    "@fontsource-variable/fraunces@$FRAUNCES" >/dev/null)
unpack() { mkdir -p "$work/$1" && tar xzf "$work/$2" -C "$work/$1" --strip-components=1; }
unpack photoswipe "photoswipe-$PHOTOSWIPE.tgz"
unpack exifr "exifr-$EXIFR.tgz"
unpack fraunces "fontsource-variable-fraunces-$FRAUNCES.tgz"

rm -rf photoswipe exifr fraunces
mkdir -p photoswipe exifr fraunces
cp "$work"/photoswipe/dist/{photoswipe.esm.min.js,photoswipe-lightbox.esm.min.js,photoswipe.css} \
    "$work/photoswipe/LICENSE" photoswipe/
# The lite build reads JPEG, HEIC, TIFF and PNG: EXIF dates, GPS and XMP. Served as .js so
# every server sends a JavaScript media type for the module.
cp "$work/exifr/dist/lite.esm.mjs" exifr/lite.esm.js
cp "$work/exifr/LICENSE" exifr/
# Titles only: the variable weight axis, Latin and Latin Extended, upright and italic.
cp "$work"/fraunces/files/fraunces-latin-{wght-normal,wght-italic,ext-wght-normal}.woff2 \
    "$work/fraunces/LICENSE" fraunces/

cat > VERSIONS <<NOTE
photoswipe $PHOTOSWIPE (MIT) https://www.npmjs.com/package/photoswipe
exifr $EXIFR (MIT) https://www.npmjs.com/package/exifr
@fontsource-variable/fraunces $FRAUNCES (SIL OFL 1.1) https://www.npmjs.com/package/@fontsource-variable/fraunces
NOTE
echo "vendored: $(tr '\n' ';' < VERSIONS)"
