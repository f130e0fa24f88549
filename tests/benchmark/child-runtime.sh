#!/usr/bin/env bash
# What the suite's runs cost with the runtime's W^X mapping (the default) and without it (DOTNET_EnableWriteXorExecute=0,
# what tests/Build.Tests gives every process it starts, Support/ChildEnvironment.cs): a PowerShell start of build.ps1 and a
# Harden run of the JIT-compiled program, alternating on and off so both sides of a pair meet the same machine state.
# Prints the CPU time (user + system) of each start, then the medians per side.
# Linux only; run it on an otherwise idle machine after ./build.sh and dotnet tool restore.
#   tests/benchmark/child-runtime.sh [PAIRS, default 5]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/tests/benchmark/standin.sh"
pairs="${1:-5}"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off NO_COLOR=1
powershell_dll "$root"
times="$(mktemp)"
trap 'rm -f "$times" "$times.json"' EXIT

for _ in $(seq 1 "$pairs"); do
  for wx in 1 0; do
    echo "pwsh $wx $(DOTNET_EnableWriteXorExecute=$wx cpu dotnet "$pwsh" -NoProfile -NonInteractive -File ./build.ps1 --version)" | tee -a "$times"
    echo "program $wx $(DOTNET_EnableWriteXorExecute=$wx cpu dotnet build/bin/cake/Build.dll --target=Harden --exclusive --report="$times.json")" | tee -a "$times"
  done
done

for what in pwsh program; do
  for wx in 1 0; do
    echo "$what, DOTNET_EnableWriteXorExecute=$wx: median $(awk -v w="$what" -v x="$wx" '$1 == w && $2 == x {print $3}' "$times" | median) CPU-s"
  done
done
