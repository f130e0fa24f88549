#!/usr/bin/env bash
# The test build (what `dotnet test tests/Build.Tests` compiles first: four projects) from clean bin/ and obj/
# (the restore's output kept) and a cold compiler server, under two environments, alternating, so both sides of a
# pair meet the same machine state. Prints wall time and the machine's busy CPU time (every process, the compiler
# server included) per build, then the medians and the median of the pairs' differences (A minus B).
# Defaults: A is one compiler server for all four projects (UseSharedCompilation=true: this machine's environment sets
# false, a compiler process per project), B the same without the runtime's profile-guided optimisation
# (DOTNET_TieredPGO=0): what .ci/run sets. The earlier comparison of a compiler per project against one server:
#   tests/benchmark/test-build.sh 3 UseSharedCompilation=false UseSharedCompilation=true
# Linux only (/proc/stat); run it on an otherwise idle machine. Usage: tests/benchmark/test-build.sh [PAIRS, default 3] [A] [B]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/standin.sh"
pairs="${1:-3}"
a="${2:-UseSharedCompilation=true}"
b="${3:-UseSharedCompilation=true DOTNET_TieredPGO=0}"
work="$(mktemp -d)"
trap 'dotnet build-server shutdown --vbcscompiler >/dev/null 2>&1; rm -rf "$work"' EXIT
git clone -q "$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)" "$work/repo"
cd "$work/repo"
export CI=true
dotnet restore tests/Build.Tests >/dev/null

busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }

for _ in $(seq 1 "$pairs"); do
  for side in A B; do
    rm -rf build/bin build/obj/Release tests/*/bin tests/*/obj/Debug tests/*/obj/Release
    dotnet build-server shutdown --vbcscompiler >/dev/null 2>&1
    settings="$a"
    [[ "$side" == B ]] && settings="$b"
    before="$(busy)"
    start="$(date +%s.%N)"
    # shellcheck disable=SC2086 # the settings are NAME=value words
    env $settings dotnet build tests/Build.Tests --no-restore --nologo -v q >/dev/null
    end="$(date +%s.%N)"
    after="$(busy)"
    echo "$side $(echo "$end - $start" | bc) $(( (after - before) / $(getconf CLK_TCK) ))" | tee -a "$work/times"
  done
done

for side in A B; do
  settings="$a"
  [[ "$side" == B ]] && settings="$b"
  echo "$side ($settings): median $(awk -v s="$side" '$1 == s {print $2}' "$work/times" | median | cut -c1-5) s," \
    "$(awk -v s="$side" '$1 == s {print $3}' "$work/times" | median) CPU-s"
done
echo "B saves, pair by pair (median): $(paste - - <"$work/times" | awk '{print $2 - $5}' | median | cut -c1-4) s," \
  "$(paste - - <"$work/times" | awk '{print $3 - $6}' | median) CPU-s"
