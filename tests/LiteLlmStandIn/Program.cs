using LiteLlmStandIn;

// Starts the stand-in alone, for trying the build without a gateway. It is not LiteLLM.
//   dotnet run --project tests/LiteLlmStandIn -- --port=4000 [--https --ca-out=standin-ca.pem] [--master-key=sk-local-1234]
//     [--virtual-key=sk-local-ci] (a scoped, budgeted virtual key in its database) [--no-database] (master key only)
var options = new StandInOptions { Port = 4000 };
string? caOut = null;
foreach (var arg in args)
{
    var (name, value) = arg.Split('=', 2) is [var n, var v] ? (n, v) : (arg, string.Empty);
    switch (name)
    {
        case "--port" when int.TryParse(value, out var port):
            options = options with { Port = port };
            break;
        case "--https":
            options = options with { Certificates = TestCertificates.Create() };
            break;
        case "--ca-out":
            caOut = value;
            break;
        case "--master-key":
            options = options with { MasterKey = value };
            break;
        case "--root-path":
            options = options with { RootPath = value.TrimEnd('/') };
            break;
        case "--virtual-key" when value.Length > 0:
            // Scoped the way the README's /key/generate call scopes a CI key: the smoke models, a budget, 90 days.
            options = options with { VirtualKeys = new Dictionary<string, VirtualKey>(options.VirtualKeys) { [value] = new("ci-smoke", DateTimeOffset.UtcNow.AddDays(90), 0, 5, ["gpt-4"], 10) } };
            break;
        case "--no-database":
            options = options with { HasDatabase = false };
            break;
        default:
            Console.Error.WriteLine($"Error: unknown option {name}. Fix: use --port=N, --https, --ca-out=PATH, --master-key=KEY, --virtual-key=KEY, --no-database or --root-path=/prefix.");
            return 1;
    }
}

StandInServer server;
try
{
    server = await StandInServer.StartAsync(options);
}
catch (IOException exception) when (exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine($"Error: port {options.Port} is already in use on loopback (another gateway or stand-in?). Fix: stop it, or start the stand-in with --port=N.");
    return 1;
}

await using var _ = server;
if (options.Certificates is { } certificates)
{
    var path = caOut ?? "standin-ca.pem";
    certificates.WriteAuthorityPem(path);
    Console.WriteLine($"Test CA written to {path}: pass --ca-cert={path} to the build.");
}

Console.WriteLine($"LiteLLM stand-in (not LiteLLM) listening on {server.BaseUrl} (127.0.0.1{(System.Net.Sockets.Socket.OSSupportsIPv6 ? " and [::1]" : string.Empty)}); models: {string.Join(", ", options.Models)}. Ctrl-C stops it.");
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
server.Stopping.Register(() => stop.TrySetResult());
await stop.Task;
return 0;
