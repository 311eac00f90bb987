using AwgProxy.Interop.Cli;
using AwgProxy.Interop.Running;
using AwgProxy.Interop.Transport;

namespace AwgProxy.Interop;

/// <summary>
/// Command dispatch, separate from <c>Main</c> so tests can run whole commands in-process:
/// <code>
/// AwgProxy.Interop server [-listen 127.0.0.1:4434] [-cert c.pem -key k.pem] [-alpn interop-test,h3] [-retry] …
/// AwgProxy.Interop client [-addr 127.0.0.1:4434] [-mode get|put|echo|handshake] [-bytes N] [-alpn h3] …
/// </code>
/// Exit codes: 0 success, 1 failure (client: last line <c>RESULT fail …</c>), 2 bad command line.
/// </summary>
public static class InteropProgram
{
    public const string TransportUnavailable = "transport unavailable";

    /// <param name="args">The command line, starting with the command name.</param>
    /// <param name="factory">The QUIC transport; null prints <c>RESULT fail transport unavailable</c>.</param>
    /// <param name="onServerListening">Optional callback with the server's bound address.</param>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        IInteropTransportFactory? factory,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken,
        Action<System.Net.EndPoint>? onServerListening = null)
    {
        stdout = TextWriter.Synchronized(stdout);
        stderr = TextWriter.Synchronized(stderr);
        string command = args.Count > 0 ? args[0] : string.Empty;
        string[] rest = args.Skip(1).ToArray();
        switch (command)
        {
            case "client":
            {
                FlagsParse<ClientFlags> parsed = ClientFlags.Parse(rest);
                if (Usage(parsed.HelpRequested, parsed.Error, parsed.FlagSet, stderr) is { } exit)
                {
                    return exit;
                }

                if (factory is null)
                {
                    stdout.WriteLine(ResultLine.Fail(TransportUnavailable));
                    return ExitCode.Failure;
                }

                return await new ClientRunner(parsed.Flags!, factory, stdout, stderr).RunAsync(cancellationToken).ConfigureAwait(false);
            }

            case "server":
            {
                FlagsParse<ServerFlags> parsed = ServerFlags.Parse(rest);
                if (Usage(parsed.HelpRequested, parsed.Error, parsed.FlagSet, stderr) is { } exit)
                {
                    return exit;
                }

                if (factory is null)
                {
                    stdout.WriteLine(ResultLine.Fail(TransportUnavailable));
                    return ExitCode.Failure;
                }

                var runner = new ServerRunner(parsed.Flags!, factory, stdout, stderr);
                if (onServerListening is not null)
                {
                    runner.Listening += onServerListening;
                }

                return await runner.RunAsync(cancellationToken).ConfigureAwait(false);
            }

            default:
                stderr.WriteLine("usage: AwgProxy.Interop server|client [flags]  (-h for flags)");
                stderr.WriteLine("  a stand-in for quicgo-peer: raw streams with ALPN interop-test, HTTP/3 with -alpn h3");
                return ExitCode.Usage;
        }
    }

    /// <summary>Go's flag behaviour: -h prints usage and exits 0, a bad flag prints the error and usage and exits 2.</summary>
    private static int? Usage(bool help, string? error, GoFlagSet flags, TextWriter stderr)
    {
        if (help)
        {
            flags.WriteUsage(stderr);
            return ExitCode.Success;
        }

        if (error is not null)
        {
            stderr.WriteLine(error);
            flags.WriteUsage(stderr);
            return ExitCode.Usage;
        }

        return null;
    }
}
