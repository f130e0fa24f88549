#!/usr/bin/env bash
# Runs the build program: ./build.sh --target=Verify (./build.sh --help lists the options).
# Warm path: when no input of the build program (build/, global.json, build.sh, build.ps1) changed
# since the last build, the built program starts directly, without MSBuild. Like make, "changed"
# means newer than the stamp; deleting or renaming a file changes its folder, which counts too.
# build.ps1 uses the same stamp and the same rule, so switching between the two does not rebuild.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$root/build/bin/cake"
dll="$out/Build.dll"
stamp="$out/.built"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "Error: dotnet was not found. Fix: install the .NET SDK 10 (see global.json) and open a new shell." >&2
  exit 1
fi

changed() {
  [[ ! -f "$dll" || ! -f "$stamp" ]] && return 0
  [[ -n "$(cd "$root" && find build -path build/bin -prune -o -path build/obj -prune -o -newer "$stamp" -print -quit)" ]] && return 0
  [[ -n "$(cd "$root" && find global.json build.sh build.ps1 -newer "$stamp" -print -quit 2>/dev/null)" ]]
}

if changed; then
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
  touch "$stamp"
fi

exec dotnet "$dll" "$@"
