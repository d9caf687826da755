#!/usr/bin/env bash
# The demo: builds, then brings up the lab with the reference case (seed-case) in the foreground.
# Ctrl-C stops it and removes everything it created.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/NetOpsBot.Cli -c Release -nologo -v q
exec dotnet src/NetOpsBot.Cli/bin/Release/net10.0/netopsbot.dll lab up --scenario "${1:-seed-case}"
