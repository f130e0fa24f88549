using FakeTailscale;

// Usage (through the wrapper scripts tests write): FakeTailscale tailscale|tailscaled ARGS...
// Environment: FAKE_TS_STATE (folder for state and log), FAKE_TS_SCENARIO (comma-separated),
// FAKE_TS_HOSTS (name=address pairs the SOCKS5 proxy resolves).
var state = new FakeState(Environment.GetEnvironmentVariable("FAKE_TS_STATE") ?? throw new InvalidOperationException("FAKE_TS_STATE is not set"));
return args switch
{
    ["tailscaled", .. var rest] => await Daemon.RunAsync(state, rest),
    ["tailscale", .. var rest] => await Cli.RunAsync(state, rest),
    _ => 2,
};
