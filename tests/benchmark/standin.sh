# Shared by the benchmark scripts (sourced, not run): the LiteLLM stand-in on a free loopback port, a median, the
# CPU time of one command, and the PowerShell of the tool manifest.
# start_standin ROOT: builds and starts it with a fresh virtual key; sets port and standin (its pid), exports
# LITELLM_API_KEY, and returns once it answers (at most 10 s).
start_standin() {
  local root="$1"
  dotnet build "$root/tests/LiteLlmStandIn" -c Release --nologo -v q >/dev/null
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  export LITELLM_API_KEY="sk-bench-$RANDOM$RANDOM"
  dotnet "$root/tests/LiteLlmStandIn/bin/Release/net10.0/LiteLlmStandIn.dll" --port="$port" --master-key="sk-master-$RANDOM$RANDOM" --virtual-key="$LITELLM_API_KEY" >/dev/null &
  standin=$!
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health/liveliness" >/dev/null 2>&1 && break; sleep 0.1; done
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# CPU seconds of one command and everything it waited for.
cpu() { python3 -c 'import resource,subprocess,sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); r=resource.getrusage(resource.RUSAGE_CHILDREN); print(f"{r.ru_utime + r.ru_stime:.3f}")' "$@"; }

# powershell_dll ROOT: sets pwsh to the tool manifest's PowerShell (pwsh.dll, started as `dotnet "$pwsh"`); exits
# with what to run first when it or the built program is missing.
powershell_dll() {
  local version
  version="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tools"]["powershell"]["version"])' "$1/.config/dotnet-tools.json")"
  pwsh="${NUGET_PACKAGES:-$HOME/.nuget/packages}/powershell/$version/tools/net10.0/any/unix/pwsh.dll"
  [[ -f "$pwsh" && -f "$1/build/bin/cake/Build.dll" ]] || { echo "Run ./build.sh --version and dotnet tool restore first." >&2; exit 1; }
}
