#!/usr/bin/python3
"""Debian's python3-netmiko 2.4.2 doing the bot's device work, for the diagnosis benchmark.

Usage: netmiko_bench.py JOBS_JSON
JOBS_JSON: {"runs": N, "sshConfig": PATH, "knownHosts": PATH, "user": U, "password": P,
            "jobs": [{"host": ADDR, "port": PORT, "commands": [...]}, ...]}
Each run opens every job's session at once (one thread each, as the bot runs the gateway beside the
device), sends the commands with send_command, disconnects; prints one JSON list of per-run wall ms.
Timing starts after the interpreter and netmiko are loaded, like the bot's in-process timing.
Netmiko 2.4.2 substitutes port 22 for %p in a ProxyCommand, so host:port is written explicitly.
"""
import json
import os
import sys
import tempfile
import threading
import time

from netmiko import ConnectHandler

cfg = json.load(open(sys.argv[1]))


def proxy_config(job):
    f = tempfile.NamedTemporaryFile("w", suffix=".ssh_config", delete=False)
    f.write(f"Host {job['host']}\n  ProxyCommand ssh -F {cfg['sshConfig']} -W {job['host']}:{job['port']} lab-jump\n")
    f.close()
    return f.name


configs = [proxy_config(j) for j in cfg["jobs"]]
errors = []


def session(job, config):
    try:
        conn = ConnectHandler(
            device_type="huawei", host=job["host"], port=job["port"],
            username=cfg["user"], password=cfg["password"], ssh_config_file=config,
            ssh_strict=True, system_host_keys=False, alt_host_keys=True, alt_key_file=cfg["knownHosts"],
            fast_cli=True, timeout=20)
        for command in job["commands"]:
            # netmiko's huawei session_preparation already sends screen-length 0 temporary.
            if command != "screen-length 0 temporary":
                conn.send_command(command)
        conn.disconnect()
    except Exception as e:  # report, do not hide: a failed run must not look fast
        errors.append(f"{job['host']}:{job['port']}: {e}")


walls = []
try:
    for _ in range(cfg["runs"]):
        start = time.perf_counter()
        threads = [threading.Thread(target=session, args=(j, c)) for j, c in zip(cfg["jobs"], configs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        walls.append((time.perf_counter() - start) * 1000)
finally:
    for c in configs:
        os.unlink(c)

print(json.dumps({"wallMs": walls, "errors": errors}))
