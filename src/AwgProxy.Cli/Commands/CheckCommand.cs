using System.CommandLine;
using System.Globalization;
using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Hosting;
using AwgProxy.Obfuscation;

namespace AwgProxy.Cli.Commands;

/// <summary>
/// <c>awgproxy check -c FILE</c>: the start-up validation without starting anything. Problems go to
/// standard error (exit 1); a valid file prints the summary line, any warnings and the wire-size
/// budget of each AWG message class for the configured wire MTU (exit 0).
/// </summary>
internal static class CheckCommand
{
    public static Command Create(CliConsole console)
    {
        var config = CommandSupport.ConfigOption();
        var command = new Command("check", "Validate a client or server config file and print its summary and wire-size budget") { config };
        command.SetAction(parse =>
        {
            if (!CommandSupport.TryReadLogLevel(console, "check", out var level))
            {
                return ExitCodes.Error;
            }

            using var result = ConfigLoader.Load(parse.GetRequiredValue(config), options: new ConfigLoadOptions { LogLevelOverride = level });
            if (!result.Succeeded)
            {
                CommandSupport.PrintProblems(console.Error, "check", result);
                return ExitCodes.Error;
            }

            var resolved = result.Config!;
            var output = console.Out;
            output.WriteLine($"{result.Path}: OK ({resolved.RoleName} config, {result.Format.ToString().ToUpperInvariant()})");
            output.WriteLine(resolved.Summary);
            foreach (var warning in result.Warnings)
            {
                output.WriteLine($"warning: {warning}");
            }

            var (profile, clientSide) = resolved switch
            {
                ResolvedClientConfig client => (client.AwgProfile, true),
                ResolvedServerConfig server => (server.AwgProfile, false),
                _ => throw new InvalidOperationException("Unknown config type."),
            };
            WriteBudget(output, profile, clientSide);
            output.Flush();
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The per-class budget table, QUIC's maximum datagram size, and (client) the I-packet and junk sizes.</summary>
    internal static void WriteBudget(TextWriter output, AwgProfile profile, bool clientSide)
    {
        var budget = profile.Budget;
        output.WriteLine(Invariant($"wire-size budget for a {budget.WireMtu}-byte wire MTU (each datagram: S_k random bytes + {WireSizeBudget.HeaderSize}-byte header + QUIC):"));
        output.WriteLine("  class         S_k  overhead  QUIC capacity");
        foreach (var k in Enum.GetValues<AwgMessageClass>())
        {
            var name = Invariant($"{(int)k} {k.ToString().ToLowerInvariant()}");
            output.WriteLine(Invariant($"  {name,-13}{budget.Padding(k),4}{budget.Overhead(k),10}{budget.QuicCapacity(k),15}"));
        }

        output.WriteLine(Invariant($"  max QUIC datagram size: {budget.MaxQuicDatagramSize} bytes (QUIC needs at least {WireSizeBudget.MinQuicDatagramSize})"));
        if (!clientSide)
        {
            return;
        }

        for (var i = 0; i < profile.IPackets.Count; i++)
        {
            if (profile.IPackets[i] is { } chain)
            {
                output.WriteLine(Invariant($"  I{i + 1}: {chain.ObfuscatedLen(0)} bytes, sent before each ClientHello"));
            }
        }

        if (profile.Jc > 0)
        {
            output.WriteLine(Invariant($"  junk: {profile.Jc} datagrams of {profile.Jmin}-{profile.Jmax} bytes before each ClientHello"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
