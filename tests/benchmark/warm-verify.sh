#!/usr/bin/env bash
# Compares a warm `./build.sh --target=Verify` with the program's own start (`./build.sh --tree`) and
# with the same two requests made by curl, against the LiteLLM stand-in on loopback, in one run.
# Goal (issue: warm Verify near the runtime's floor): warm Verify median at most 350 ms here.
#   tests/benchmark/warm-verify.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-15}"
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
source "$root/tests/benchmark/standin.sh"
start_standin "$root"
trap 'kill $standin 2>/dev/null || true' EXIT

url="http://127.0.0.1:$port"
report="$(mktemp -d)/report.json"
./build.sh --target=Verify --litellm-url="$url" --report="$report" >/dev/null # warms the build

# The default path is the JIT-compiled program; with VERIFY_READY_TO_RUN=1 exported the warming run above made the
# ReadyToRun copy in the foreground (if there was none for this build) and the warm runs use it.
# tests/benchmark/ready-to-run.sh compares the two paths side by side (docs/performance.md).
echo "code: $(./build.sh --target=Harden --exclusive --verbosity=diagnostic --report="$report" 2>/dev/null | grep -o 'build program: [A-Za-z-]*' || echo unknown)"

time_ms() { local start end; start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N); echo $(((end - start) / 1000000)); }

curl_pair() {
  curl -fsS "$url/health/liveliness" &&
    curl -fsS "$url/v1/chat/completions" -H "Authorization: Bearer $LITELLM_API_KEY" -H 'Content-Type: application/json' \
      -d '{"model":"gpt-4","messages":[{"role":"user","content":"Reply with the single word: pong"}],"max_tokens":16}'
}

# Round robin: this machine's speed drifts by 10-20% within minutes, so each round times all four under
# the same conditions, and the ratios compare like with like.
verify_runs=() tree_runs=() jit_runs=() curl_runs=()
for _ in $(seq 1 "$runs"); do
  verify_runs+=("$(time_ms ./build.sh --target=Verify --litellm-url="$url" --report="$report")")
  tree_runs+=("$(time_ms ./build.sh --tree)")
  jit_runs+=("$(time_ms dotnet build/bin/cake/Build.dll --target=Verify --litellm-url="$url" --report="$report")")
  curl_runs+=("$(time_ms curl_pair)")
done

verify_median="$(printf '%s\n' "${verify_runs[@]}" | median)"
tree_median="$(printf '%s\n' "${tree_runs[@]}" | median)"
curl_median="$(printf '%s\n' "${curl_runs[@]}" | median)"
echo "runs: $runs (cores: $(nproc))"
echo "warm ./build.sh --target=Verify: median ${verify_median} ms (min $(printf '%s\n' "${verify_runs[@]}" | sort -n | head -1), max $(printf '%s\n' "${verify_runs[@]}" | sort -n | tail -1))"
echo "warm ./build.sh --tree (start):  median ${tree_median} ms"
echo "JIT-compiled program, same Verify: median $(printf '%s\n' "${jit_runs[@]}" | median) ms (no script, no ReadyToRun)"
echo "curl, same two requests:         median ${curl_median} ms"
jit_median="$(printf '%s\n' "${jit_runs[@]}" | median)"
awk -v v="$verify_median" -v t="$tree_median" -v c="$curl_median" -v j="$jit_median" 'BEGIN { printf "ratios: Verify / --tree = %.2f, Verify / curl = %.1f, Verify / JIT-compiled Verify = %.2f\n", v / t, v / (c > 0 ? c : 1), v / j }'
if (( ${verify_median%.*} <= 350 )); then echo "goal met: warm Verify median at most 350 ms"; else echo "goal missed: warm Verify median is ${verify_median} ms (goal 350 ms)"; exit 1; fi
