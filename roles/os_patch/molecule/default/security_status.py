"""Prints JSON: upgradable packages split by whether the candidate comes from a security archive."""
import json

import apt

cache = apt.Cache()
status = {"security_pending": [], "other_pending": []}
for package in cache:
    if not package.is_installed or not package.is_upgradable:
        continue
    origins = package.candidate.origins
    is_security = any(o.label == "Debian-Security" or o.archive.endswith("-security") for o in origins)
    key = "security_pending" if is_security else "other_pending"
    status[key].append(f"{package.name} {package.installed.version} -> {package.candidate.version}")
print(json.dumps(status))
