"""Does a valid new record break the test suite? Adds valid records of every kind to a copy of data/
and runs the suite on it (issue 22: "a valid new record (any kind, any country) added to data/
passes make test unchanged").

    .venv/bin/python scripts/new_records_check.py            # the whole suite on the copy
    .venv/bin/python scripts/new_records_check.py -k rules   # extra arguments go to pytest

The records are made up for the check (they live only in build/new-records/, never in data/):
one of each kind, in files of their own, in countries and with values the real data already has
(a second South Korean device ban and download suspension of DeepSeek, a network block, a state
attorney general's investigation, a new app and company, findings to a known recipient and to a
new one, a new data type). `validate` accepts them; any test that fails on the copy pins the
real data's exact contents instead of a rule.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "new-records"

SOURCE = """  sources:
  - url: https://example.org/new-records-check/{n}
    publisher: Example (a made-up source for the check)
    published: '2025-03-01'
    accessed: '2025-03-02'
    quote: A made-up quote for the check that a valid new record passes the test suite.
    language: en
    kind: direct
"""

ACTIONS = (
    """# yaml-language-server: $schema=../schema/actions.schema.json
actions:
- id: CA-9001
  jurisdiction: KR
  subdivision: null
  authority: A South Korean ministry (made up for the check)
  action_type: government_device_ban
  action_described: ban on work computers
  scope: government_devices
  scope_described: staff devices
  apps:
  - deepseek
  companies: []
  announced: '2025-02-20'
  effective: null
  lifted: null
  status: in_force
  status_described: in force
  notes: null
  primary_documents:
  - issuer: A South Korean ministry
    title: Internal notice
    date: '2025-02-20'
    url: null
    access: not_read
"""
    + SOURCE.format(n=1)
    + """- id: CA-9002
  jurisdiction: KR
  subdivision: null
  authority: Personal Information Protection Commission (made up for the check)
  action_type: download_suspension
  action_described: suspension
  scope: new_downloads
  scope_described: null
  apps:
  - deepseek
  companies: []
  announced: '2025-03-01'
  effective: '2025-03-01'
  lifted: null
  status: in_force
  status_described: null
  notes: null
"""
    + SOURCE.format(n=2)
    + """- id: CA-9003
  jurisdiction: DE
  subdivision: null
  authority: A German parliament (made up for the check)
  action_type: network_block
  action_described: blocked on the parliament's network
  scope: government_networks
  scope_described: null
  apps:
  - deepseek
  companies: []
  announced: '2025-03-01'
  effective: null
  lifted: null
  status: in_force
  status_described: null
  notes: null
"""
    + SOURCE.format(n=3)
    + """- id: CA-9004
  jurisdiction: US
  subdivision: US-CA
  authority: Attorney General of California (made up for the check)
  action_type: investigation
  action_described: investigation
  scope: company_practices
  scope_described: null
  apps:
  - new-check-chat
  companies: []
  announced: '2025-03-01'
  effective: null
  lifted: null
  status: ongoing
  status_described: null
  notes: null
"""
    + SOURCE.format(n=4)
    + """- id: CA-9005
  jurisdiction: IT
  subdivision: null
  authority: Garante per la protezione dei dati personali (made up for the check)
  action_type: fine
  action_described: sanzione
  scope: company_practices
  scope_described: null
  apps:
  - deepseek
  companies: []
  announced: '2025-03-01'
  effective: null
  lifted: '2025-04-01'
  status: ended
  status_described: null
  notes: null
  sources:
  - url: https://example.org/new-records-check/5
    publisher: Esempio
    published: '2025-03-01'
    accessed: null
    quote: Il Garante ha inflitto una sanzione (citazione inventata per la verifica).
    language: it
    translation: The Garante imposed a fine (a quote made up for the check).
    kind: primary
"""
)

FINDINGS = (
    """# yaml-language-server: $schema=../schema/findings.schema.json
findings:
- id: AF-9001
  app: deepseek
  platform: android
  app_version: null
  auditor: A security firm (made up for the check)
  auditor_kind: security_firm
  auditor_country: null
  method: network_traffic
  audit_date: '2025-03'
  data_types:
  - chat_content
  - new_check_type
  data_described:
  - prompts
  recipients:
  - volcano-engine
  recipient_described: Volcano Engine
  domains: []
  recipient_countries:
  - CN
  evidence_status: alleged
  status_described: claimed
  distinct_from: null
  superseded_by: null
  notes: null
"""
    + SOURCE.format(n=6)
    + """- id: AF-9002
  app: new-check-chat
  platform: ios
  app_version: null
  auditor: Another security firm (made up for the check)
  auditor_kind: security_firm
  auditor_country: null
  method: network_traffic
  audit_date: '2025-03-02'
  data_types:
  - chat_content
  data_described: []
  recipients:
  - new-check-co
  recipient_described: null
  domains: []
  recipient_countries:
  - JP
  evidence_status: observed_by_auditor
  status_described: null
  distinct_from: null
  superseded_by: null
  notes: null
"""
    + SOURCE.format(n=7)
)

APPS = """# yaml-language-server: $schema=../schema/apps.schema.json
apps:
- id: new-check-chat
  name: New Check Chat
  developer: new-check-co
  platforms: []
  ios_app_id: null
  android_package: null
  website: null
  aliases: []
  notes: null
  sources: []
"""

COMPANIES = """# yaml-language-server: $schema=../schema/companies.schema.json
companies:
- id: new-check-co
  name: New Check Co
  legal_names: []
  aliases: []
  kinds:
  - ai_developer
  country: JP
  city: null
  parents: []
  domains: []
  notes: null
""" + SOURCE.format(n=8)

DATA_TYPES = """# yaml-language-server: $schema=../schema/data_types.schema.json
data_types:
- id: new_check_type
  label: New check type
  category: other
  description: A data type made up for the check.
  apple_label: null
  google_play_label: null
"""


def make_copy() -> Path:
    """A copy of data/ with the made-up records added; returns its path."""
    data = OUT / "data"
    if OUT.exists():
        shutil.rmtree(OUT)
    shutil.copytree(ROOT / "data", data)
    for kind, text in (
        ("actions", ACTIONS),
        ("findings", FINDINGS),
        ("apps", APPS),
        ("companies", COMPANIES),
        ("data_types", DATA_TYPES),
    ):
        (data / kind).mkdir(exist_ok=True)
        (data / kind / "zz-new-records-check.yaml").write_text(text, encoding="utf-8")
    return data


def main(argv: list[str]) -> int:
    data = make_copy()
    py = sys.executable
    check = subprocess.run([py, "-m", "chatbot_watch", "validate", "--data", str(data)], cwd=ROOT)
    if check.returncode != 0:
        print("the made-up records do not validate: fix this script first", file=sys.stderr)
        return 2
    env = {**os.environ, "CHATBOT_WATCH_TEST_REAL_DATA": str(data)}
    args = argv or ["-q", "-n", "auto", "--maxprocesses", "4", "--dist", "worksteal"]
    return subprocess.run([py, "-m", "pytest", *args], cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
