#!/bin/sh
# Fetches plotly.js's basic bundle, which the dashboard draws its bar and line charts
# with (afweging_ui/plotly_bundles.py), from the npm registry into afweging_ui/assets/,
# and checks it against afweging_ui/assets/SHA256SUMS. It is kept in the repository so
# that the wheel and `make run` need no node; run this only to check it or to move to a
# new version (which must be the plotly.js the plotly package bundles, as
# tests/test_plotly_view.py checks; --update writes SHA256SUMS anew).
set -eu
VERSION=4.1.1
cd "$(dirname "$0")/.."
dest=afweging_ui/assets
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in basic; do
  (cd "$tmp" && npm pack --silent "plotly.js-$name-dist-min@$VERSION" >/dev/null)
  tar -xzf "$tmp/plotly.js-$name-dist-min-$VERSION.tgz" -C "$tmp" \
    "package/plotly-$name.min.js" package/LICENSE
  cp "$tmp/package/plotly-$name.min.js" "$dest/plotly-$name-$VERSION.min.js"
done
cp "$tmp/package/LICENSE" "$dest/LICENSE-plotly.js"
if [ "${1:-}" = "--update" ]; then
  (cd "$dest" && sha256sum plotly-*.min.js > SHA256SUMS)
fi
(cd "$dest" && sha256sum -c SHA256SUMS)
