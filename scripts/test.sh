#!/usr/bin/env bash
# Runs every test. Installs what the tests need on a fresh Debian machine, builds once, then runs the
# suites that need the lab inside a private network namespace (no clash with a host sshd or another
# lab, and loopback tuned like a LAN: quickack), plus the plain-loopback suite outside it.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null || need+=(openssh-client)
[ -e /usr/lib/python3/dist-packages/netmiko ] || need+=(python3-netmiko)
command -v unshare >/dev/null || need+=(util-linux)
command -v ip >/dev/null || need+=(iproute2)
command -v cc >/dev/null || need+=(gcc)   # the lab builds its native device-login shim (falls back to .NET without)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
# The monitoring stack the alert tests start (blackbox probes -> Prometheus rule -> Alertmanager -> the bot).
[ -x /usr/bin/prometheus ] || need+=(prometheus)
[ -x /usr/bin/prometheus-blackbox-exporter ] || need+=(prometheus-blackbox-exporter)
[ -x /usr/bin/prometheus-alertmanager ] || need+=(prometheus-alertmanager)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
mkdir -p /run/sshd

echo "== npm (official Adaptive Cards renderer for card validation)"
npm ci --prefix tests/NetOpsBot.Cards.Tests/js --no-audit --no-fund --loglevel=error
npm ci --prefix tests/NetOpsBot.Teams.Tests/js --no-audit --no-fund --loglevel=error   # Agents Playground (Teams client), botframework-connector (token oracle), app-manifest schemas
npm ci --prefix tests/NetOpsBot.Slack.Tests/js --no-audit --no-fund --loglevel=error  # Slack's SDKs: Bolt verifier oracle, official clients vs the fake Slack
npm ci --prefix tests/NetOpsBot.Host.Tests/js --no-audit --no-fund --loglevel=error   # oidc-provider (OpenID Certified) for the web chat's sign-in test

echo "== build"
dotnet build NetOpsBot.sln -c Release -nologo -v q

log=$(mktemp)
run_tests() { # label filter
  # -m:1: one test assembly at a time; several suites start labs and sshd processes, and 2 cores
  # shared between them would turn timing checks (boot windows, timeouts) into noise.
  dotnet test NetOpsBot.sln -m:1 -c Release --no-build --nologo --filter "$2" 2>&1 | tee -a "$log"
  return "${PIPESTATUS[0]}"
}

status=0
echo "== tests in a private network namespace"
export -f run_tests
export log
unshare --net --fork --kill-child -- bash -euo pipefail -c '
  ip link set lo up
  # Delayed ACK + Nagle add ~44 ms per command through a stock jump host; a LAN would not.
  ip route replace local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 quickack 1
  run_tests netns "Category!=PlainLoopback"
' || status=$?

echo "== tests on the plain host loopback"
run_tests loopback "Category=PlainLoopback" || status=$?

# One summary line over every suite ("Failed: n, Passed: n, Skipped: n" per test assembly).
awk '/(Passed|Failed)! +- Failed:/ {
       for (i = 1; i <= NF; i++) { v = $(i+1); gsub(",", "", v)
         if ($i == "Failed:") f += v; if ($i == "Passed:") p += v; if ($i == "Skipped:") s += v } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
