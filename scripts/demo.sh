#!/usr/bin/env bash
# The demo: builds, brings up the lab with the reference case (seed-case), then runs the bot host
# with its local web chat in the foreground. Ctrl-C stops both and removes everything the lab made.
# It never stops a lab it did not start: a second demo on one machine takes --run-dir,
# --address-block and --port of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: scripts/demo.sh [SCENARIO] [--port N] [--run-dir DIR] [--address-block N]" >&2
  echo "  SCENARIO       a lab scenario name or file (default seed-case)" >&2
  echo "  --port N       web chat port on 127.0.0.1 (default 5080)" >&2
  echo "  --run-dir DIR  the lab's run directory (default /tmp/netopsbot-lab)" >&2
  echo "  --address-block N  the lab's address block: 198.18.N.0/30 in namespaces (as root), 127.0.N.x on loopback (default 1)" >&2
  exit 2
}
scenario=seed-case
port=5080
run_dir=/tmp/netopsbot-lab
block=1
while [ $# -gt 0 ]; do
  case "$1" in
    --port) [ $# -ge 2 ] || usage; port="$2"; shift 2 ;;
    --run-dir) [ $# -ge 2 ] || usage; run_dir="$2"; shift 2 ;;
    --address-block) [ $# -ge 2 ] || usage; block="$2"; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "unknown option: $1" >&2; usage ;;
    *) scenario="$1"; shift ;;
  esac
done
case "$port" in ''|*[!0-9]*) echo "--port takes a number" >&2; exit 2 ;; esac
url="${ASPNETCORE_URLS:-http://127.0.0.1:$port}"

if command -v ss >/dev/null && [ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]; then
  echo "demo: port $port is in use on this machine; pick another with --port N." >&2
  exit 1
fi

cli=(dotnet src/NetOpsBot.Cli/bin/Release/net10.0/netopsbot.dll)
refuse_if_lab_running() {
  if "${cli[@]}" lab status --run-dir "$run_dir" >/dev/null 2>&1; then
    echo "demo: a lab is already running in $run_dir, and this demo did not start it; it is left alone." >&2
    echo "  Stop it with: dotnet ${cli[1]} lab down --run-dir $run_dir" >&2
    echo "  or run a second demo beside it: scripts/demo.sh $scenario --run-dir /tmp/netopsbot-lab-2 --address-block 2 --port $((port + 1))" >&2
    exit 1
  fi
}
# Before the build when the CLI is already there (no minutes of building to be told no), and after it.
[ -f "${cli[1]}" ] && refuse_if_lab_running

# -v minimal prints a line per project built: a cold build takes minutes and should not look hung.
echo "== building the CLI and the host (a first build takes a few minutes)"
dotnet build src/NetOpsBot.Cli -c Release -nologo -v minimal -clp:NoSummary
dotnet build src/NetOpsBot.Host -c Release -nologo -v minimal -clp:NoSummary
refuse_if_lab_running

echo "== starting the lab ($scenario)"
"${cli[@]}" lab up --scenario "$scenario" --run-dir "$run_dir" --address-block "$block" --detach
trap '"${cli[@]}" lab down --run-dir "$run_dir"' EXIT

mkdir -p data
echo
echo "NetOpsBot web chat: $url   (type: /sshdiag sw-access-12)"
echo
# Development on loopback: the web chat's demo users (no login) are allowed only so; the host refuses them
# on any other address or environment. Readable log lines for a person at the terminal (production default:
# one JSON object per line).
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$url" Serilog__WriteTo__Console__Args__formatter="NetOpsBot.Host.ReadableLogFormatter, NetOpsBot.Host" \
  dotnet src/NetOpsBot.Host/bin/Release/net10.0/NetOpsBot.Host.dll \
  --NetOps:Storage:ConnectionString="Data Source=$PWD/data/netopsbot.db" \
  --NetOps:LabRunDirectory="$run_dir"
