#!/usr/bin/env python3
"""Prints the jump host's PermitOpen line and the authorized_keys permitopen options for an inventory.json.

sshd matches these hosts literally, so each device's management address is listed (any port: the bot probes
the configured SSH port and the inventory's alternates), plus each console server line.
Usage: python3 permitopen.py inventory.json [bot-egress-cidr]
"""
import json
import sys

inventory = json.load(open(sys.argv[1], encoding="utf-8"))
consoles = {c["name"]: c["address"] for c in inventory.get("consoleServers", [])}
targets = []
for device in inventory.get("devices", []):
    targets.append(f'{device["managementAddress"]}:*')
    console = device.get("console")
    if console:
        targets.append(f'{consoles.get(console["server"], console["server"])}:{console["port"]}')
targets = list(dict.fromkeys(targets))
print("PermitOpen " + " ".join(targets))
options = ["restrict", "port-forwarding", 'command="/bin/false"']
if len(sys.argv) > 2:
    options.append(f'from="{sys.argv[2]}"')
options += [f'permitopen="{t}"' for t in targets]
print(",".join(options) + " <the bot's public key>")
