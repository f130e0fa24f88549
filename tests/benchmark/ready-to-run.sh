#!/usr/bin/env bash
# The default path (JIT-compiled program) and the opt-in ReadyToRun copy (VERIFY_READY_TO_RUN=1), side by side:
# what the copy costs to make (time, size) and what it buys per warm run, against the LiteLLM stand-in on loopback.
# Works in a temporary copy of the repository's files, so build/ here is left as it is.
#   tests/benchmark/ready-to-run.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-15}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NO_COLOR=1
unset CI GITHUB_ACTIONS

copy="$(mktemp -d)"
standin=""
trap '[[ -n "$standin" ]] && kill "$standin" 2>/dev/null; rm -rf "$copy"' EXIT
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$copy")

size() { du -sm "$1" | cut -f1; }
seconds() { local start end; start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N); echo $(((end - start) / 1000000)); }

build_ms="$(VERIFY_READY_TO_RUN=0 seconds "$copy/build.sh" --version)"
echo "default build: ${build_ms} ms, build/ $(size "$copy/build") MB"
publish_ms="$(VERIFY_READY_TO_RUN=1 seconds "$copy/build.sh" --version)"
r2r="$(ls -d "$copy"/build/bin/r2r-*/ 2>/dev/null | head -1)"
[[ -f "$r2r/.complete" ]] || { echo "the ReadyToRun copy was not made: $copy/build/obj/r2r/publish.log" >&2; exit 1; }
echo "opt-in ReadyToRun publish: ${publish_ms} ms, the copy $(size "$r2r") MB, build/ $(size "$copy/build") MB"

source "$root/tests/benchmark/standin.sh"
start_standin "$root"
report="$copy/report.json"
verify=(--target=Verify "--litellm-url=http://127.0.0.1:$port" "--report=$report")

jit=() ready=() jit_tree=() ready_tree=()
for _ in $(seq 1 "$runs"); do  # round robin: the machine's speed drifts within minutes
  jit+=("$(seconds dotnet "$copy/build/bin/cake/Build.dll" "${verify[@]}")")
  ready+=("$(seconds dotnet "$r2r/Build.dll" "${verify[@]}")")
  jit_tree+=("$(seconds dotnet "$copy/build/bin/cake/Build.dll" --tree)")
  ready_tree+=("$(seconds dotnet "$r2r/Build.dll" --tree)")
done
echo "runs: $runs (cores: $(nproc))"
echo "warm Verify, default (JIT-compiled): median $(printf '%s\n' "${jit[@]}" | median) ms; --tree $(printf '%s\n' "${jit_tree[@]}" | median) ms"
echo "warm Verify, opt-in ReadyToRun:      median $(printf '%s\n' "${ready[@]}" | median) ms; --tree $(printf '%s\n' "${ready_tree[@]}" | median) ms"
