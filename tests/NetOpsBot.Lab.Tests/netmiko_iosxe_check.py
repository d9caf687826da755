#!/usr/bin/python3
"""A client nobody on this team wrote: Debian's python3-netmiko, device type `cisco_ios`, through the
lab's jump host to an emulated IOS-XE switch. Runs the ssh-unreachable runbook's IOS-XE commands and
prints {"prompt": ..., "outputs": {command: output}} as JSON for the test to parse.

Usage: netmiko_iosxe_check.py STATUS_JSON DEVICE COMMAND...
Netmiko 2.4.2 substitutes port 22 for %p in a ProxyCommand, so the device's host:port is written
into the ProxyCommand explicitly.
"""
import json
import os
import sys
import tempfile

from netmiko import ConnectHandler

status = json.load(open(sys.argv[1]))
name = sys.argv[2]
commands = sys.argv[3:]
device = next(d for d in status["devices"] if d["name"] == name)

with tempfile.NamedTemporaryFile("w", suffix=".ssh_config", delete=False) as cfg:
    cfg.write(
        f"Host {device['address']}\n"
        f"  ProxyCommand ssh -F {status['sshConfig']} -W {device['address']}:22 lab-jump\n"
    )
    cfg_path = cfg.name

try:
    conn = ConnectHandler(
        device_type="cisco_ios",
        host=device["address"],
        port=22,
        username=device["user"],
        password=device["password"],
        ssh_config_file=cfg_path,
        # Strict: the device key must match the lab's known_hosts, as for every other client.
        ssh_strict=True,
        system_host_keys=False,
        alt_host_keys=True,
        alt_key_file=status["knownHosts"],
        fast_cli=True,
        timeout=20,
    )
    out = {"prompt": conn.find_prompt(), "outputs": {}}
    for command in commands:
        out["outputs"][command] = conn.send_command(command)
    conn.disconnect()
finally:
    os.unlink(cfg_path)

print(json.dumps(out))
