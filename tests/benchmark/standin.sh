# Shared by the benchmark scripts (sourced, not run): the LiteLLM stand-in on a free loopback port, and a median.
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
