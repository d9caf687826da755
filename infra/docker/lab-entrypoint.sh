#!/bin/sh
# Starts the lab, then hands the host replicas (user 1654, read-only /config) copies of what they need:
# the inventory (its keyFile pointing into /config), known_hosts, credentials and the bot's jump key.
set -eu
run=/var/lib/netopsbot-lab
dotnet /cli/netopsbot.dll lab up --scenario "${SCENARIO:-seed-case}" --run-dir "$run" --detach
trap 'dotnet /cli/netopsbot.dll lab down --run-dir "$run"; exit 0' TERM INT
install -d -m 0755 /share
key=$(sed -n 's/.*"keyFile": *"\([^"]*\)".*/\1/p' "$run/inventory.json" | head -n 1)
install -o 1654 -m 0400 "$key" /share/jump_ed25519
install -o 1654 -m 0400 "$run/credentials.json" /share/credentials.json
install -o 1654 -m 0444 "$run/known_hosts" /share/known_hosts
sed "s#$key#/config/jump_ed25519#g" "$run/inventory.json" > /share/inventory.json
touch /share/ready
while :; do sleep 3600 & wait $!; done
