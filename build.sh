#!/usr/bin/env bash
# Runs the build program: ./build.sh --target=Verify (./build.sh --help lists the options).
# Warm path: when nothing under build/ (nor global.json or this script) changed since the last
# build, the built program starts directly, without MSBuild. Any change rebuilds first.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$root/build/bin/cake"
dll="$out/Build.dll"
stamp="$out/.inputs.sha256"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "Error: dotnet was not found. Fix: install the .NET SDK 10 (see global.json) and open a new shell." >&2
  exit 1
fi

sha() { if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi; }

inputs_hash() {
  cd "$root"
  { find build -path build/bin -prune -o -path build/obj -prune -o -type f -print; echo global.json; echo build.sh; } \
    | LC_ALL=C sort | while IFS= read -r file; do printf '%s\n' "$file"; cat "$file"; done | sha | cut -d' ' -f1
}

hash="$(inputs_hash)"
if [[ ! -f "$dll" || ! -f "$stamp" || "$(cat "$stamp")" != "$hash" ]]; then
  echo "Building the build program (build/)..." >&2
  rm -f "$stamp"
  log="$(mktemp)"
  if ! dotnet build "$root/build/Build.csproj" --configuration Release --output "$out" --nologo --verbosity quiet >"$log" 2>&1; then
    grep -E 'error|Error' "$log" | sort -u >&2 || cat "$log" >&2
    rm -f "$log"
    echo "Error: the build program did not compile (errors above). Fix: correct build/ and run ./build.sh again." >&2
    exit 1
  fi
  rm -f "$log"
  printf '%s' "$hash" > "$stamp"
fi

exec dotnet "$dll" "$@"
