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
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
mkdir -p /run/sshd

echo "== build"
dotnet build NetOpsBot.sln -c Release -nologo -v q

results=$(mktemp -d)
run_tests() { # label filter
  dotnet test NetOpsBot.sln -c Release --no-build --nologo --filter "$2" \
    --logger "trx;LogFilePrefix=$1" --results-directory "$results" -v q
}

status=0
echo "== tests in a private network namespace"
export -f run_tests
export results
unshare --net --fork --kill-child -- bash -euo pipefail -c '
  ip link set lo up
  # Delayed ACK + Nagle add ~44 ms per command through a stock jump host; a LAN would not.
  ip route replace local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 quickack 1
  run_tests netns "Category!=PlainLoopback"
' || status=$?

echo "== tests on the plain host loopback"
run_tests loopback "Category=PlainLoopback" || status=$?

python3 - "$results" <<'PY' || true
import sys, glob, re
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    t = open(f, encoding="utf-8").read()
    m = re.search(r'<Counters [^>]*', t)
    if m:
        c = dict(re.findall(r'(\w+)="(\d+)"', m.group(0)))
        passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)); skipped += int(c.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
