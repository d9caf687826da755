#!/usr/bin/env bash
# Builds the Teams app package (manifest.json + color.png + outline.png at the zip root) for one bot.
# Usage: manifests/teams/package.sh <bot app id (GUID)> <domain, e.g. netopsbot.example.com> [out.zip]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
app_id="${1:?usage: package.sh <app id> <domain> [out.zip]}"
domain="${2:?usage: package.sh <app id> <domain> [out.zip]}"
out="${3:-$here/netopsbot-teams.zip}"
[[ "$app_id" =~ ^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$ ]] || { echo "app id must be a GUID: $app_id" >&2; exit 2; }
[[ "$domain" =~ ^[A-Za-z0-9.-]+$ ]] || { echo "domain must be a host name: $domain" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
APP_ID="$app_id" DOMAIN="$domain" python3 - "$here/manifest.template.json" "$work/manifest.json" <<'PY'
import json, os, sys
text = open(sys.argv[1], encoding="utf-8").read().replace("${APP_ID}", os.environ["APP_ID"]).replace("${DOMAIN}", os.environ["DOMAIN"])
json.loads(text)  # fail here, not in Teams, if the template stopped being JSON
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY
python3 "$here/make_icons.py" "$work"
rm -f "$out"
python3 - "$out" "$work" <<'PY'
import sys, zipfile, pathlib
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name in ("manifest.json", "color.png", "outline.png"):
        z.write(pathlib.Path(sys.argv[2]) / name, name)
PY
echo "$out"
