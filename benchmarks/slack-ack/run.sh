#!/usr/bin/env bash
# Slash-command acknowledgement under load: Slack's own framework doing nothing (Bolt 5.1.0, ack-only
# /sshdiag handler) against NetOpsBot's /slack/commands (signature checked, the command durably recorded
# in SQLite, diagnoses started in the background against a real lab), same wrk load in the same run:
# 50 connections, every request a slash command neither server has seen (its own trigger_id, signed just
# before its round, from 500 users in 50 channels), so each one NetOpsBot answers is durably recorded first,
# not recognised as a replay. Prints both latency distributions and whether the target is met.
#
#   benchmarks/slack-ack/run.sh [seconds]      (default 10; needs root for the lab and to install wrk)
#
# Everything listens on 127.0.0.1 only; every process started here is stopped by its pid on exit.
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
root=$(cd ../.. && pwd)
duration=${1:-10}
# Enough fresh commands for a round at ~9,000 requests/s; a thread that runs out stops early, never replays.
per_round=$((duration * 9000))
secret="bench-signing-secret-$(date +%s)"
work=$(mktemp -d /tmp/netopsbot-slack-bench.XXXXXX)
# The lab's device account must traverse the run directory.
chmod 755 "$work"
run_dir="$work/lab"
pids=()

cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  dotnet "$root/src/NetOpsBot.Cli/bin/Release/net10.0/netopsbot.dll" lab down --run-dir "$run_dir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { # url
  for _ in $(seq 1 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "not answering: $1" >&2; return 1
}

command -v wrk >/dev/null || { echo "== installing wrk"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
[ -d node_modules/@slack/bolt ] || npm ci --no-audit --no-fund --loglevel=error
echo "== build (Release)"
dotnet build "$root/src/NetOpsBot.Host" -c Release -nologo -v q >/dev/null
dotnet build "$root/src/NetOpsBot.Cli" -c Release -nologo -v q >/dev/null
cli="$root/src/NetOpsBot.Cli/bin/Release/net10.0/netopsbot.dll"

echo "== lab (seed-case) in $run_dir"
dotnet "$cli" lab up --scenario seed-case --detach --run-dir "$run_dir" --address-block 193 >/dev/null

stub_port=$(free_port); bolt_port=$(free_port); host_port=$(free_port)
node slack-stub.mjs "$stub_port" >"$work/stub.log" 2>&1 & pids+=($!)
node bolt-app.mjs "$bolt_port" "$secret" >"$work/bolt.log" 2>&1 & pids+=($!)
(
  export ASPNETCORE_URLS="http://127.0.0.1:$host_port"
  export NetOps__LabRunDirectory="$run_dir"
  export NetOps__Storage__ConnectionString="Data Source=$work/bench.db"
  export NetOps__Diagnosis__DebugWindowSeconds=1
  export Serilog__MinimumLevel__Default=Warning
  export Slack__SigningSecret="$secret" Slack__BotToken=xoxb-bench Slack__ApiBaseUrl="http://127.0.0.1:$stub_port/api/"
  exec dotnet "$root/src/NetOpsBot.Host/bin/Release/net10.0/NetOpsBot.Host.dll"
) >"$work/host.log" 2>&1 & pids+=($!)
wait_http "http://127.0.0.1:$host_port/healthz"
wait_http "http://127.0.0.1:$bolt_port/"   # any answer (404) means Bolt is up

bench() { # label url path seconds: a fresh set of signed commands, sent once each
  node "$here/gen-requests.mjs" "$per_round" "$secret" "http://127.0.0.1:$stub_port" "$work/requests.tsv"
  SLACK_REQUESTS="$work/requests.tsv" SLACK_PATH="$3" SLACK_THREADS=2 wrk -t2 -c50 -d"$4s" --latency -s "$here/commands.lua" "$2"
}

# Both under the same conditions: NetOpsBot's warm-up starts diagnoses that keep running in the background
# (lab, SSH, SQLite) for the rest of the run (most of its commands are refused by the per-user and
# per-channel rate limits, as a flood would be, and answered through response_url); then the two endpoints
# are measured in turns, Bolt, NetOpsBot, Bolt, NetOpsBot, so drift in that background load falls on both.
# The figures of each round are printed; the summary takes the worse round of each.
echo "== warm-up: NetOpsBot /slack/commands 5 s (starts the background diagnoses), Bolt 5 s"
bench netopsbot "http://127.0.0.1:$host_port" /slack/commands 5 >/dev/null
bench bolt "http://127.0.0.1:$bolt_port" /slack/events 5 >/dev/null
for round in 1 2; do
  echo "== round $round: @slack/bolt 5.1.0, ack-only /sshdiag (POST /slack/events), ${duration} s"
  bench bolt "http://127.0.0.1:$bolt_port" /slack/events "$duration" | tee "$work/bolt$round.txt" | grep -E "^ +(50|90|99)%|Requests/sec|requests:"
  echo "== round $round: NetOpsBot /slack/commands (verify + durable record + background diagnosis), ${duration} s"
  bench netopsbot "http://127.0.0.1:$host_port" /slack/commands "$duration" | tee "$work/ours$round.txt" | grep -E "^ +(50|90|99)%|Requests/sec|requests:"
done
worse() { # prefix: the round whose p99 is higher
  a=$(grep -E "^ +99%" "$work/${1}1.txt" | awk '{print $2}'); b=$(grep -E "^ +99%" "$work/${1}2.txt" | awk '{print $2}')
  python3 -c "import sys,re
def ms(v):
    n=float(re.sub('[a-z]+','',v)); u=re.sub('[0-9.]+','',v)
    return n*{'us':0.001,'ms':1,'s':1000}[u]
print('1' if ms(sys.argv[1])>=ms(sys.argv[2]) else '2')" "$a" "$b"
}
cp "$work/bolt$(worse bolt).txt" "$work/bolt.txt"
cp "$work/ours$(worse ours).txt" "$work/ours.txt"

recorded=$(python3 - "$work/bench.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
facts = next((t for t in tables if 'onversation' in t), None)
print(db.execute(f"select count(*) from \"{facts}\" where key like 'cmd:%'").fetchone()[0] if facts else '?',
      db.execute("select count(*) from incidents").fetchone()[0] if 'incidents' in tables else '?')
PY
)
p() { grep -E "^ +$2%" "$1" | awk '{print $2}'; }
rps() { grep -E "^Requests/sec" "$1" | awk '{print $2}'; }
echo
echo "== summary (worse round of each)"
printf '%-28s %10s %10s %10s %10s %12s\n' "" p50 p90 p99 "" req/s
printf '%-28s %10s %10s %10s %10s %12s\n' "bolt (ack only)" "$(p "$work/bolt.txt" 50)" "$(p "$work/bolt.txt" 90)" "$(p "$work/bolt.txt" 99)" "" "$(rps "$work/bolt.txt")"
printf '%-28s %10s %10s %10s %10s %12s\n' "netopsbot (record + queue)" "$(p "$work/ours.txt" 50)" "$(p "$work/ours.txt" 90)" "$(p "$work/ours.txt" 99)" "" "$(rps "$work/ours.txt")"
sent_ours=$(cat "$work"/ours?.txt | awk '/requests:/ {gsub(";","",$2); n += $2} END {print n}')
echo "commands durably recorded / incidents opened: $recorded (NetOpsBot's measured rounds sent $sent_ours, each a new trigger_id after the warm-up's)"
bad=$(cat "$work"/bolt?.txt "$work"/ours?.txt | awk '/non-2xx answers:/ {gsub("[^0-9]","",$5); n += $5} END {print n+0}')
ms() { python3 -c "import sys,re
v=sys.argv[1]; n=float(re.sub('[a-z]+','',v)); u=re.sub('[0-9.]+','',v)
print(n*{'us':0.001,'ms':1,'s':1000}[u])" "$1"; }
ours99=$(ms "$(p "$work/ours.txt" 99)"); bolt99=$(ms "$(p "$work/bolt.txt" 99)")
verdict=$(python3 -c "import sys; print('met' if float(sys.argv[1]) <= float(sys.argv[2]) else 'NOT met')" "$ours99" "$bolt99")
echo "target (NetOpsBot p99 <= Bolt p99, worse rounds): $verdict (${ours99} ms vs ${bolt99} ms)"
mkdir -p "$root/artifacts/benchmarks"
cp "$work"/bolt?.txt "$work"/ours?.txt "$work/host.log" "$root/artifacts/benchmarks/" 2>/dev/null || true
if [ "$bad" != 0 ]; then
  echo "FAILED: $bad non-2xx answers (a stale signature or a refusal): the figures above do not measure the ack path" >&2
  exit 1
fi
