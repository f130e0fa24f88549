using FakeTailscale;

// Usage (through the wrapper script tests write): FakeTailscale tailscaled ARGS...
// Environment: FAKE_TS_STATE (folder for state and log), FAKE_TS_SCENARIO (comma-separated),
// FAKE_TS_HOSTS (name=address pairs the SOCKS5 proxy resolves).
// The CLI (Cli) answers in the test host, behind a shell client on PATH (Build.Tests' FakeTailnet): a .NET process
// per call cost about 0.1 CPU-seconds, and the suite makes over a hundred.
return args switch
{
    ["tailscaled", .. var rest] => await Daemon.RunAsync(FakeState.FromEnvironment(), rest),
    _ => 2,
};
