#!/usr/bin/env bash
# Runs the build program: ./build.sh --target=Verify (./build.sh --help lists the options).
# Warm path: when no input of the build program (build/, global.json, build.sh, build.ps1) changed
# since the last build, the built program starts directly, without MSBuild. Like make, "changed"
# means newer than the stamp; deleting or renaming a file changes its folder, which counts too.
# build.ps1 uses the same stamp and the same rule, so switching between the two does not rebuild.
set -euo pipefail

# The warm path starts no process but the program (on bash 4 and later): each one would cost every run.
root="${BASH_SOURCE[0]%/*}"
[[ "$root" == "${BASH_SOURCE[0]}" ]] && root=.
[[ -z "$root" ]] && root=/
[[ "$root" == /* ]] || root="$PWD/$root"
out="$root/build/bin/cake"
dll="$out/Build.dll"
stamp="$out/.built"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "Error: dotnet was not found. Fix: install the .NET SDK 10 (see global.json) and open a new shell." >&2
  exit 1
fi

# What "changed" means: an input of the build program newer than the stamp, or a new .NET SDK or runtime
# (the program is compiled again by the new SDK, and the ReadyToRun copy's precompiled code, made against the
# old runtime, is made again). Where that .NET lives is found once, at build time (a symbolic link to
# resolve), and kept beside the stamp in .dotnet-root.
changed() {
  [[ ! -f "$dll" || ! -f "$stamp" ]] && return 0
  local dotnet_root="" path sub
  [[ -f "$out/.dotnet-root" ]] && { read -r dotnet_root <"$out/.dotnet-root" || true; }
  [[ -n "$dotnet_root" && ( "$dotnet_root/sdk" -nt "$stamp" || "$dotnet_root/shared/Microsoft.NETCore.App" -nt "$stamp" ) ]] && return 0
  for path in "$root/global.json" "$root/build.sh" "$root/build.ps1"; do
    [[ "$path" -nt "$stamp" ]] && return 0
  done
  if shopt -s globstar dotglob nullglob 2>/dev/null; then
    # Bash 4 and later walk the folder without starting a process (a find cost about 15 ms of every run);
    # older ones (macOS's /bin/bash 3.2) use find. Folders count too: deleting or renaming a file changes
    # its folder. (The three options stay set; nothing below depends on them.)
    [[ "$root/build" -nt "$stamp" ]] && return 0
    for path in "$root"/build/*; do
      [[ "$path" == "$root/build/bin" || "$path" == "$root/build/obj" ]] && continue
      [[ "$path" -nt "$stamp" ]] && return 0
      if [[ -d "$path" && ! -L "$path" ]]; then
        for sub in "$path"/**; do
          [[ "$sub" -nt "$stamp" ]] && return 0
        done
      fi
    done
    return 1
  fi
  [[ -n "$(find "$root/build" \( -path "$root/build/bin" -o -path "$root/build/obj" \) -prune -o -newer "$stamp" -print -quit 2>/dev/null)" ]]
}

# Where dotnet lives (DOTNET_ROOT, else the folder of the dotnet on PATH, links resolved).
dotnet_root() {
  local path
  path="$(command -v dotnet)"
  path="$(readlink -f "$path" 2>/dev/null || printf '%s' "$path")"
  printf '%s\n' "${DOTNET_ROOT:-${path%/*}}"
}

# Runs an SDK build or publish with its output in LOG. The SDK leaves two empty folders in the temp folder after each
# (dotnet/sdk#35353, open): it gets a temp folder of its own (TMPDIR), removed when it ends (bash runs the EXIT trap on
# Ctrl-C too). Ctrl-C is not left to MSBuild, which can let one pass and build to the end (seen here under load: an
# interrupted publish went on compiling for 26 s, then the run said it had stopped it; dotnet/msbuild#11680 is one such
# case, a Ctrl-C after a separate restore). The command runs as a job in a process group of its own (set -m), and on
# Ctrl-C, TERM or HUP (a closed terminal's HUP no longer reaches that group) the script ends that group itself
# (MSBuild, the compiler, crossgen2): TERM, then KILL what is left after 5 s. Whatever the command's exit code
# (interrupted early, `dotnet build` can still exit 0), PARTIAL, what it left half-made, is removed, MESSAGE printed,
# exit 130.
run_sdk() {
  local log="$1" partial="$2" message="$3" status=0 interrupted=0 job _
  shift 3
  sdk_temp="$(mktemp -d)"
  trap 'rm -rf "$sdk_temp"' EXIT
  trap 'interrupted=1' INT TERM HUP
  set -m
  TMPDIR="$sdk_temp" "$@" >"$log" 2>&1 </dev/null &
  job=$!
  set +m
  # wait returns early when a trapped signal arrives.
  [[ $interrupted == 1 ]] || wait "$job" || status=$?
  if [[ $interrupted == 1 ]]; then
    kill -TERM -- "-$job" 2>/dev/null || true
    for _ in {1..50}; do kill -0 -- "-$job" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$job" 2>/dev/null || true
    wait "$job" 2>/dev/null || true
  fi
  trap - INT TERM HUP
  rm -rf "$sdk_temp"
  trap - EXIT
  if [[ $interrupted == 1 ]]; then
    rm -rf "$partial"
    echo "$message" >&2
    exit 130
  fi
  return "$status"
}

# ReadyToRun, opt-in (VERIFY_READY_TO_RUN=1; see docs/performance.md): on the first run with it turned on after a
# build (a failed attempt is not repeated for that build), in the foreground so Ctrl-C stops it (run_sdk) and nothing
# keeps running after the command returns, `dotnet publish` (at most 15 min) precompiles the program and its
# libraries (framework-dependent: the machine's .NET runs it) into build/bin/r2r-<stamp id>/ (about 35 MB); a warm
# run starts it once it is complete (.complete is written last, after the copy has started once) and belongs to the
# current stamp. Never in CI (a runner runs once). Its restore (for this machine's runtime) starts afresh in
# build/obj/r2r/ with its own lock file, so packages.lock.json is never rewritten.
ready_to_run() {
  [[ "${CI:-}" == "true" || -n "${GITHUB_ACTIONS:-}" || "${VERIFY_READY_TO_RUN:-0}" != "1" ]] && return 0
  local id="$1" target="$root/build/bin/r2r-$1" limit=()
  [[ -f "$root/build/obj/r2r/failed-$id" ]] && return 0
  command -v timeout >/dev/null 2>&1 && limit=(timeout 900)
  echo "Publishing the ReadyToRun copy (VERIFY_READY_TO_RUN=1): about 20 seconds, once per change to build/; Ctrl-C stops it." >&2
  rm -rf "$root/build/obj/r2r"
  mkdir -p "$root/build/obj/r2r"
  # Interrupted, it is not a failed publish: the next run with VERIFY_READY_TO_RUN=1 tries again.
  if ! run_sdk "$root/build/obj/r2r/publish.log" "$target" \
    "Interrupted: the ReadyToRun copy was not made (nothing is wrong with build/). Fix: run ./build.sh again to make it, or without VERIFY_READY_TO_RUN=1 to go on without it." \
    ${limit[@]+"${limit[@]}"} dotnet publish "$root/build/Build.csproj" --configuration Release --use-current-runtime --self-contained false --disable-build-servers \
    -p:PublishReadyToRun=true -p:RunAnalyzers=false -p:NuGetLockFilePath="$root/build/obj/r2r/packages.lock.json" \
    -p:BaseIntermediateOutputPath="$root/build/obj/r2r/" -p:BaseOutputPath="$root/build/obj/r2r/bin/" -p:ReadyToRunStamp="$id" --output "$target" --nologo --verbosity quiet; then
    rm -rf "$target"
    : >"$root/build/obj/r2r/failed-$id"
    echo "The ReadyToRun copy was not made (build/obj/r2r/publish.log); the JIT-compiled program runs." >&2
    return 0
  fi
  # The intermediate and build files (about 60 MB) serve no later run: the next publish starts afresh.
  find "$root/build/obj/r2r" -mindepth 1 -maxdepth 1 ! -name publish.log -exec rm -rf {} +
}

if changed; then
  echo "Building the build program (build/)..." >&2
  rm -f "$stamp"
  log="$(mktemp)"
  # No code analysis here: this build only makes the program run (its output is hidden unless it fails); the
  # analyzers run in the test build (CI), where a style warning belongs, and cost about 2.5 CPU-seconds per compile.
  if ! run_sdk "$log" "$log" "Interrupted: the build program was not built (nothing is wrong with build/). Fix: run ./build.sh again." \
    dotnet build "$root/build/Build.csproj" --configuration Release --output "$out" --nologo --verbosity quiet --disable-build-servers -p:RunAnalyzers=false; then
    grep -E 'error|Error' "$log" | sort -u >&2 || cat "$log" >&2
    rm -f "$log"
    echo "Error: the build program did not compile (errors above). Fix: correct build/ and run ./build.sh again." >&2
    exit 1
  fi
  rm -f "$log"
  rm -rf "$root"/build/bin/r2r-*
  id="$(date +%s)-$$-$RANDOM"
  dotnet_root >"$out/.dotnet-root"
  echo "$id" >"$stamp"
fi

# The program's usage lines and fixes name the script that ran it.
export VERIFY_SCRIPT=./build.sh

if [[ -s "$stamp" ]]; then
  read -r id <"$stamp" || true
  [[ ! -f "$root/build/bin/r2r-$id/.complete" ]] && ready_to_run "$id"
  [[ -f "$root/build/bin/r2r-$id/.complete" && -f "$root/build/bin/r2r-$id/Build.dll" ]] && dll="$root/build/bin/r2r-$id/Build.dll"
fi

exec dotnet "$dll" "$@"
