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

# npm and the build at once: npm is network and disk, the build is CPU.
echo "== npm (official Adaptive Cards renderer for card validation) and build"
npm_log=$(mktemp)
(
  npm ci --prefix tests/NetOpsBot.Cards.Tests/js --no-audit --no-fund --loglevel=error
  npm ci --prefix tests/NetOpsBot.Teams.Tests/js --no-audit --no-fund --loglevel=error   # Agents Playground (Teams client), botframework-connector (token oracle), app-manifest schemas
  npm ci --prefix tests/NetOpsBot.Slack.Tests/js --no-audit --no-fund --loglevel=error  # Slack's SDKs: Bolt verifier oracle, official clients vs the fake Slack
  npm ci --prefix tests/NetOpsBot.Host.Tests/js --no-audit --no-fund --loglevel=error   # oidc-provider (OpenID Certified) for the web chat's sign-in test
) >"$npm_log" 2>&1 &
npm_pid=$!
dotnet build NetOpsBot.sln -c Release -nologo -v q
npm_status=0
wait "$npm_pid" || npm_status=$?
cat "$npm_log"
rm -f "$npm_log"
[ "$npm_status" -eq 0 ] || { echo "npm ci failed"; exit "$npm_status"; }

log=$(mktemp -d)
# Two lanes at once, each in its own private network namespace (a lab's address block, its published
# jump-host address and the loopback labs' 127.x addresses are per namespace, so the lanes' labs cannot
# clash), loopback tuned like a LAN (quickack). Lane "host" is Host.Tests (about half of the whole run's
# test time), then Lab and Ssh; lane "rest" is every other test project. Within a lane one assembly runs at a
# time, and the Host, Teams and Slack suites keep their tests serial (AssemblyInfo.cs), so at most two
# lab-and-host tests share the two cores at any moment. Each line is prefixed with its lane.
lane() { # name filter project...
  local name=$1 filter=$2; shift 2
  local status=0 p
  for p in "$@"; do
    dotnet test "$p" -c Release --no-build --nologo --filter "$filter" 2>&1 | tee -a "$log/$name" | sed -u "s/^/[$name] /"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  done
  return $status
}
netns_lane() { # name project...
  unshare --net --fork --kill-child -- bash -uo pipefail -c '
    set -e
    ip link set lo up
    # Delayed ACK + Nagle add ~44 ms per command through a stock jump host; a LAN would not.
    ip route replace local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 quickack 1
    set +e
    lane "$@"' lane "$1" "Category!=PlainLoopback" "${@:2}"
}
export -f lane
export log

# The host lane carries the suite's tightest latency bars (a card in the browser within 1 s of the ask); the
# rest lane's bars are seconds wide. So the rest lane runs in a CPU cgroup of a quarter of the default weight:
# when both lanes want the cores at once the host lane gets them, and when the host lane waits (labs booting,
# recovery watches, most of its time) the rest lane has the machine. A cgroup also takes its processes out of
# the kernel's autogrouping, which would otherwise give each lab sshd session the weight of a whole lane
# (docs/BENCHMARKS.md, chat benchmark). Without a writable cgroup file system both lanes share equally.
low_weight_cgroup() { # prints the cgroup.procs file to write a pid to, or nothing
  local g
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then   # cgroup v2
    g=/sys/fs/cgroup/netopsbot-tests-rest
    grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || echo +cpu >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || return 0
    mkdir -p "$g" 2>/dev/null && echo 25 >"$g/cpu.weight" 2>/dev/null && echo "$g/cgroup.procs"
  elif [ -d /sys/fs/cgroup/cpu ]; then                # cgroup v1
    g=/sys/fs/cgroup/cpu/netopsbot-tests-rest
    mkdir -p "$g" 2>/dev/null && echo 256 >"$g/cpu.shares" 2>/dev/null && echo "$g/cgroup.procs"
  fi
  return 0
}
rest_cgroup=$(low_weight_cgroup)

# Lab and Ssh follow Host in its lane: their bars are the kernel's (an RST within 2 s, `lab up` within 10 s,
# 22 silent within 3 s of a reboot), and by then the rest lane is done (about 9 min against Host's 11+), so
# they run on an otherwise idle machine as before.
host_lane=(tests/NetOpsBot.Host.Tests tests/NetOpsBot.Lab.Tests tests/NetOpsBot.Ssh.Tests)
# Longest first, so the short unit suites fill the end of the lane.
rest_lane=(tests/NetOpsBot.Teams.Tests tests/NetOpsBot.Slack.Tests tests/NetOpsBot.Cli.Tests)
for p in tests/*/*.Tests.csproj; do
  d=$(dirname "$p")
  [[ " ${host_lane[*]} ${rest_lane[*]} " == *" $d "* ]] || rest_lane+=("$d")
done
# Tests tagged Category=PlainLoopback run on the host's own loopback, after the (shorter) rest lane.
mapfile -t loopback_lane < <(grep -rl --include='*.cs' 'PlainLoopback' tests/*.Tests | cut -d/ -f1-2 | sort -u)

status=0
echo "== tests: lanes 'host' (${host_lane[*]##*/}) and 'rest' (${#rest_lane[@]} projects) at once, each in a private network namespace; then 'loopback' (${loopback_lane[*]##*/})"
start=$SECONDS
# NETOPSBOT_TEST_LANES=1: the lanes one after the other (the rest lane still in its own namespace and at
# its weight, which then changes nothing), for telling a lane-induced failure from a real one.
if [ "${NETOPSBOT_TEST_LANES:-2}" = 1 ]; then
  echo "== NETOPSBOT_TEST_LANES=1: lanes in sequence"
  netns_lane host "${host_lane[@]}" || status=$?
  host_pid=
else
  netns_lane host "${host_lane[@]}" & host_pid=$!
fi
( s=0
  if [ -n "$rest_cgroup" ] && echo "$BASHPID" >"$rest_cgroup" 2>/dev/null; then
    echo "== lane rest runs at a quarter of the CPU weight (${rest_cgroup%/cgroup.procs})"
  fi
  netns_lane rest "${rest_lane[@]}" || s=$?
  echo "== lane rest done after $((SECONDS - start)) s"
  lane loopback "Category=PlainLoopback" "${loopback_lane[@]}" || s=$?
  exit $s ) & rest_pid=$!
if [ -n "$host_pid" ]; then
  wait "$host_pid" || status=$?
  echo "== lane host done after $((SECONDS - start)) s"
fi
wait "$rest_pid" || status=$?
echo "== tests took $((SECONDS - start)) s"
[ -z "$rest_cgroup" ] || rmdir "${rest_cgroup%/cgroup.procs}" 2>/dev/null || true

# One summary line over every suite ("Failed: n, Passed: n, Skipped: n" per test assembly).
awk '/(Passed|Failed)! +- Failed:/ {
       for (i = 1; i <= NF; i++) { v = $(i+1); gsub(",", "", v)
         if ($i == "Failed:") f += v; if ($i == "Passed:") p += v; if ($i == "Skipped:") s += v } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"/*
rm -rf "$log"
exit $status
