#!/usr/bin/env bash
# The demo: builds, brings up the lab with the reference case (seed-case), then runs the bot host
# with its local web chat in the foreground. Ctrl-C stops both and removes everything the lab made.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-seed-case}"
url="${ASPNETCORE_URLS:-http://127.0.0.1:5080}"

dotnet build src/NetOpsBot.Cli -c Release -nologo -v q
dotnet build src/NetOpsBot.Host -c Release -nologo -v q
cli=(dotnet src/NetOpsBot.Cli/bin/Release/net10.0/netopsbot.dll)

"${cli[@]}" lab down >/dev/null 2>&1 || true
"${cli[@]}" lab up --scenario "$scenario" --detach
trap '"${cli[@]}" lab down' EXIT

mkdir -p data
echo
echo "NetOpsBot web chat: $url   (type: /sshdiag sw-access-12)"
echo
# Development on loopback: the web chat's demo users (no login) are allowed only so; the host refuses them
# on any other address or environment. Readable log lines for a person at the terminal (production default:
# one JSON object per line).
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$url" Serilog__WriteTo__Console__Args__formatter="NetOpsBot.Host.ReadableLogFormatter, NetOpsBot.Host" \
  dotnet src/NetOpsBot.Host/bin/Release/net10.0/NetOpsBot.Host.dll \
  --NetOps:Storage:ConnectionString="Data Source=$PWD/data/netopsbot.db"
