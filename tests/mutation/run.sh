#!/usr/bin/env bash
# Mutation testing of Gateway/, Security/, Settings/ and Hardening/ (and, when named, Frosting/) with Stryker.NET 5.1.0.
# Not run by CI: it takes minutes. Usage: tests/mutation/run.sh [FOLDER...]
# With folder names (Gateway, Security, Settings, Hardening, Frosting) only those are mutated and scored.
# It installs Stryker into .stryker-tool/ (git-ignored), runs it once over the four folders with the
# in-process tests (the end-to-end tests start the built program, which no in-process mutant reaches),
# and prints a score per folder: killed / (killed + survived + timeout + no coverage). Mutants Stryker
# could not compile (it cannot mutate C# pattern variables such as `is T x`) are left out, as Stryker does.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tool="$root/.stryker-tool"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Stryker counts a mutant as covered by the tests that run it while they run: the in-process cases that wait on
# deadlines run inside their own tests here, not side by side from their fixture's setup (Support/WaitingCases.cs).
export BUILD_TESTS_WAITING_CASES_IN_THEIR_TESTS=1

if [[ ! -x "$tool/dotnet-stryker" ]]; then
  dotnet tool install dotnet-stryker --version 5.1.0 --tool-path "$tool" >/dev/null
fi

output="$root/artifacts/mutation"
rm -rf "$output"
mkdir -p "$output"
cd "$root/tests/mutation"
folders=("$@")
[[ ${#folders[@]} -eq 0 ]] && folders=(Gateway Security Settings Hardening)
mutate=()
for folder in "${folders[@]}"; do
  case "$folder" in
    Gateway|Security|Settings|Hardening|Frosting) mutate+=(--mutate "**/$folder/**/*.cs") ;;
    *) echo "Error: unknown folder $folder. Fix: name one or more of Gateway, Security, Settings, Hardening, Frosting." >&2; exit 2 ;;
  esac
done
"$tool/dotnet-stryker" --config-file stryker-config.json --output "$output" "${mutate[@]}"

report="$(find "$output" "$root/tests/mutation/StrykerOutput" -name 'mutation-report.json' 2>/dev/null | sort | tail -n 1 || true)"
python3 - "$report" "${folders[@]}" <<'PY'
import json, sys, collections
report = json.load(open(sys.argv[1]))
counts = collections.defaultdict(collections.Counter)
for path, data in report["files"].items():
    parts = path.replace("\\", "/").split("/")
    folder = next((p for p in ("Gateway", "Security", "Settings", "Hardening", "Frosting") if p in parts), None)
    if folder:
        for mutant in data["mutants"]:
            counts[folder][mutant["status"]] += 1
goals = {"Gateway": 80, "Security": 80, "Settings": 80, "Hardening": 85, "Frosting": 80}
failed = False
print(f"{'folder':<10} {'score':>6} {'goal':>5}  killed survived timeout no-coverage compile-error ignored")
for folder in sys.argv[2:]:
    c = counts[folder]
    detected = c["Killed"] + c["Timeout"]
    tested = detected + c["Survived"] + c["NoCoverage"]
    score = 100.0 * detected / tested if tested else 0.0
    failed |= score < goals[folder]
    print(f"{folder:<10} {score:6.1f} {goals[folder]:>5}  {c['Killed']:>6} {c['Survived']:>8} {c['Timeout']:>7} {c['NoCoverage']:>11} {c['CompileError']:>13} {c['Ignored']:>7}")
sys.exit(1 if failed else 0)
PY
