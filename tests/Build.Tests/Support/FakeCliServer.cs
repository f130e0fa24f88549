using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Build.Tests.Support;

/// <summary>
/// Where the fake tailscale CLI answers: FakeTailscale's Cli, in the test host, on a loopback port. The tailscale on a
/// run's PATH is a shell client (<see cref="ClientScript"/>) that sends its call here and prints the answer, so a CLI
/// call costs a shell instead of a .NET start (about 4 against 100 ms of CPU; the suite makes over a hundred). The
/// answer is FakeTailscale's own code either way. Stopped when the suite ends (<see cref="SuiteLifetime"/>).
/// </summary>
public static class FakeCliServer
{
    // A call that never completes its request (a client killed mid-write) is dropped after this.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private static Lazy<Listening> _listening = NewListening();

    public static int Port => _listening.Value.Port;

    /// <summary>
    /// The tailscale CLI as a shell client of this server. Request: NUL-terminated fields (state folder, scenario,
    /// argument count, arguments, count of environment names, names: compgen -e, the caller's exported environment).
    /// Answer: exit code, stdout, stderr, each NUL-terminated. It waits at most 30 s for the answer.
    /// </summary>
    public static string ClientScript() =>
        $$"""
        #!/usr/bin/env bash
        # Fake tailscale CLI: the call goes to the test suite's fake (Build.Tests Support/FakeCliServer.cs) on loopback.
        exec 3<>/dev/tcp/127.0.0.1/{{Port}} || { echo "fake tailscale: the suite's fake is not listening" >&2; exit 96; }
        names=($(compgen -e))
        printf '%s\0' "${FAKE_TS_STATE-}" "${FAKE_TS_SCENARIO-}" "$#" "$@" "${#names[@]}" "${names[@]}" >&3
        IFS= read -r -d '' -t 30 code <&3 && IFS= read -r -d '' -t 30 out <&3 && IFS= read -r -d '' -t 30 err <&3 || { echo "fake tailscale: no answer from the suite's fake" >&2; exit 97; }
        printf '%s' "$out"
        printf '%s' "$err" >&2
        exit "$code"

        """;

    internal static void Stop()
    {
        var listening = Interlocked.Exchange(ref _listening, NewListening());
        if (listening.IsValueCreated)
        {
            listening.Value.Stop.Cancel();
            listening.Value.Listener.Stop();
        }
    }

    private static Lazy<Listening> NewListening() => new(Listen, LazyThreadSafetyMode.ExecutionAndPublication);

    private static Listening Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var listening = new Listening(listener, new CancellationTokenSource());
        _ = Task.Run(() => AcceptAsync(listening));
        return listening;
    }

    private static async Task AcceptAsync(Listening listening)
    {
        while (!listening.Stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listening.Listener.AcceptTcpClientAsync(listening.Stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(client, listening.Stop.Token));
        }
    }

    private static async Task AnswerAsync(TcpClient client, CancellationToken stop)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            var stream = client.GetStream();
            var request = new FieldReader(stream);
            var directory = await request.NextAsync(timeout.Token);
            var scenario = await request.NextAsync(timeout.Token);
            var args = await request.ManyAsync(timeout.Token);
            var names = await request.ManyAsync(timeout.Token);

            var stdout = new StringWriter { NewLine = "\n" };
            var stderr = new StringWriter { NewLine = "\n" };
            var state = new FakeTailscale.FakeState(directory, scenario.Length == 0 ? null : scenario, names);
            var code = FakeTailscale.Cli.Run(state, args, stdout, stderr);
            var answer = Encoding.UTF8.GetBytes($"{code}\0{stdout}\0{stderr}\0");
            await stream.WriteAsync(answer, timeout.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or FormatException)
        {
            // The client went away or sent no whole request: it exits with its own error (no answer).
        }
    }

    private sealed record Listening(TcpListener Listener, CancellationTokenSource Stop)
    {
        public int Port => ((IPEndPoint)Listener.LocalEndpoint).Port;
    }

    /// <summary>Reads NUL-terminated fields (UTF-8) from the client; the stream stays open for the answer.</summary>
    private sealed class FieldReader(Stream stream)
    {
        private readonly StreamReader _reader = new(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        private readonly char[] _one = new char[1];

        public async Task<string> NextAsync(CancellationToken cancellationToken)
        {
            var field = new StringBuilder();
            while (await _reader.ReadAsync(_one, cancellationToken) == 1)
            {
                if (_one[0] == '\0')
                {
                    return field.ToString();
                }

                field.Append(_one[0]);
            }

            throw new IOException("the request ended inside a field");
        }

        /// <summary>A count, then that many fields.</summary>
        public async Task<string[]> ManyAsync(CancellationToken cancellationToken)
        {
            var count = int.Parse(await NextAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            var fields = new string[count];
            for (var index = 0; index < count; index++)
            {
                fields[index] = await NextAsync(cancellationToken);
            }

            return fields;
        }
    }
}
