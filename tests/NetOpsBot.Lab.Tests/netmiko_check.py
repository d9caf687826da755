#!/usr/bin/python3
"""A client nobody on this team wrote: Debian's python3-netmiko (2.4.2), device type `huawei`,
through the lab's jump host. Prints the outputs as JSON for the test to check against the lab.

Usage: netmiko_check.py STATUS_JSON DEVICE [PORT]
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
port = int(sys.argv[3]) if len(sys.argv) > 3 else 22
device = next(d for d in status["devices"] if d["name"] == name)

with tempfile.NamedTemporaryFile("w", suffix=".ssh_config", delete=False) as cfg:
    cfg.write(
        f"Host {device['address']}\n"
        f"  ProxyCommand ssh -F {status['sshConfig']} -W {device['address']}:{port} lab-jump\n"
    )
    cfg_path = cfg.name

try:
    conn = ConnectHandler(
        device_type="huawei",
        host=device["address"],
        port=port,
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
    out = {
        "prompt": conn.find_prompt(),
        "tcp": conn.send_command("display tcp status"),
        "routes": conn.send_command("display ip routing-table"),
    }
    conn.disconnect()
finally:
    os.unlink(cfg_path)

print(json.dumps(out))
