#!/usr/bin/env bash
# What build.ps1's warm path costs on top of PowerShell's own start: round robin, an empty script (pwsh -File
# /dev/null), ./build.ps1 --version, and the same build.ps1 at another revision (default HEAD~1, copied beside it so
# that $PSScriptRoot is the checkout), each as -File from another shell, as the tests and users start it. Prints the
# CPU time (user + system, the program's --version included) of each start, then the medians.
# Linux only; run it on an otherwise idle machine after ./build.sh --version and dotnet tool restore.
#   tests/benchmark/build-ps1.sh [ROUNDS, default 9] [REVISION, default HEAD~1]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/tests/benchmark/standin.sh"
rounds="${1:-9}"
revision="${2:-HEAD~1}"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off NO_COLOR=1
powershell_dll "$root"
times="$(mktemp)"
other="$root/build-ps1-benchmark-$$.ps1"
trap 'rm -f "$times" "$other"' EXIT
git show "$revision:build.ps1" >"$other"
./build.sh --version >/dev/null

for _ in $(seq 1 "$rounds"); do
  echo "empty $(cpu dotnet "$pwsh" -NoProfile -NonInteractive -File /dev/null)" | tee -a "$times"
  echo "build.ps1 $(cpu dotnet "$pwsh" -NoProfile -NonInteractive -File ./build.ps1 --version)" | tee -a "$times"
  echo "$revision $(cpu dotnet "$pwsh" -NoProfile -NonInteractive -File "$other" --version)" | tee -a "$times"
done

for what in empty build.ps1 "$revision"; do
  echo "$what: median $(awk -v w="$what" '$1 == w {print $2}' "$times" | median) CPU-s"
done
