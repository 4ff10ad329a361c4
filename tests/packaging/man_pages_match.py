#!/usr/bin/python3
"""The manual pages say what the programs do: every command that `clusterscope-cli --help`
lists has its own entry in clusterscope-cli(1), and every option of `clusterscope --help` is in
clusterscope(1). Usage: man_pages_match.py CLI MAN_DIR [APP]"""
import re, subprocess, sys

cli, man_dir = sys.argv[1], sys.argv[2]
app = sys.argv[3] if len(sys.argv) > 3 else None
missing = []

usage = subprocess.run([cli, "--help"], capture_output=True, text=True, check=True).stdout
commands = re.findall(r"^  ([a-z][a-z-]*)\s", usage, re.M)
page = open(f"{man_dir}/clusterscope-cli.1").read()
entries = set(re.findall(r"^\.B ([a-z][a-z-]*)", page, re.M))
missing += [f"clusterscope-cli(1) has no entry for the command '{c}'" for c in commands
            if c not in entries]
if not commands:
    missing.append("clusterscope-cli --help listed no commands")

if app:
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    help_text = subprocess.run([app, "--help"], capture_output=True, text=True, env=env,
                               check=True).stdout
    options = re.findall(r"^\s+(?:-\w, )?--([a-z][a-z-]*)", help_text, re.M)
    page = open(f"{man_dir}/clusterscope.1").read().replace("\\-", "-")
    missing += [f"clusterscope(1) does not describe --{o}" for o in options
                if f"--{o}" not in page]
    if not options:
        missing.append("clusterscope --help listed no options")

for m in missing:
    print(m)
print(f"{len(commands)} commands checked; {'FAILED' if missing else 'all documented'}")
sys.exit(1 if missing else 0)
