#!/usr/bin/env bash
# The test build (what `dotnet test tests/Build.Tests` compiles first: four projects) from clean bin/ and obj/
# (the restore's output kept), with a compiler process per project (UseSharedCompilation=false) and with one
# compiler server for all four (true, what .ci/run sets), alternating, so both sides of a pair meet the same
# machine state. Prints wall time and the machine's busy CPU time (every process, the compiler server included)
# per build, then the medians and the median of the pairs' differences.
# Linux only (/proc/stat); run it on an otherwise idle machine. Usage: tests/benchmark/test-build.sh [PAIRS, default 3]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/standin.sh"
pairs="${1:-3}"
work="$(mktemp -d)"
trap 'dotnet build-server shutdown --vbcscompiler >/dev/null 2>&1; rm -rf "$work"' EXIT
git clone -q "$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)" "$work/repo"
cd "$work/repo"
export CI=true
dotnet restore tests/Build.Tests >/dev/null

busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }

for _ in $(seq 1 "$pairs"); do
  for shared in false true; do
    rm -rf build/bin build/obj/Release tests/*/bin tests/*/obj/Debug tests/*/obj/Release
    dotnet build-server shutdown --vbcscompiler >/dev/null 2>&1
    before="$(busy)"
    start="$(date +%s.%N)"
    UseSharedCompilation="$shared" dotnet build tests/Build.Tests --no-restore --nologo -v q >/dev/null
    end="$(date +%s.%N)"
    after="$(busy)"
    echo "$shared $(echo "$end - $start" | bc) $(( (after - before) / $(getconf CLK_TCK) ))" | tee -a "$work/times"
  done
done

for shared in false true; do
  echo "UseSharedCompilation=$shared: median $(awk -v s="$shared" '$1 == s {print $2}' "$work/times" | median | cut -c1-5) s," \
    "$(awk -v s="$shared" '$1 == s {print $3}' "$work/times" | median) CPU-s"
done
echo "one server saves, pair by pair (median): $(paste - - <"$work/times" | awk '{print $2 - $5}' | median | cut -c1-4) s," \
  "$(paste - - <"$work/times" | awk '{print $3 - $6}' | median) CPU-s"
