#!/usr/bin/env bash
# Validates the SARIF Harden writes as GitHub code scanning reads it: Microsoft's SARIF multitool from npm,
# `validate --rule-kind "Sarif;Gh"` (SARIF 2.1.0 rules and GitHub's ingestion rules). Fails on any error or
# warning. Harden runs over the test fixtures, so every rule of the audit is in the file with results.
#   tests/lint/sarif.sh            (after npm ci --prefix tests/lint)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tool="$here/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
chmod u+x "$tool" # npm does not run the package's own chmod (install scripts are off)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$root/build.sh" --target=Harden --exclusive --harden=audit --workflows="$root/tests/Build.Tests/Fixtures/Workflows" \
  --report="$work/report.json" --sarif="$work/harden.sarif" >/dev/null 2>&1 || true
[[ -s "$work/harden.sarif" ]] || { echo "sarif: Harden wrote no SARIF file" >&2; exit 1; }
results="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$work/harden.sarif")"

output="$("$tool" validate --rule-kind "Sarif;Gh" "$work/harden.sarif" 2>&1 || true)"
findings="$(grep -cE ': (error|warning) [A-Z]+[0-9]+' <<<"$output" || true)"
grep -E ': (error|warning) [A-Z]+[0-9]+' <<<"$output" | head -20 || true
echo "sarif-multitool: ${results} result(s) validated, ${findings} finding(s)"
[[ "$findings" == "0" ]] && grep -q "Analysis completed successfully" <<<"$output"
