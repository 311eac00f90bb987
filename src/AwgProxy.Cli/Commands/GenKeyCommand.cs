using System.CommandLine;
using AwgProxy.Cli.Hosting;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Cli.Commands;

/// <summary>
/// <c>awgproxy genkey</c>: prints a new Ed25519 private key as base64 on one line, like
/// <c>wg genkey</c>. Like wg it warns on standard error when standard output is a file others can
/// read (run <c>umask 077</c> first); a terminal or a pipe gets no warning.
/// </summary>
internal static class GenKeyCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("genkey", "Print a new private key (base64) to standard output, like 'wg genkey'");
        command.SetAction(_ =>
        {
            if (console.OutputIsWorldAccessibleFile())
            {
                console.Error.WriteLine("awgproxy genkey: warning: writing a private key to a file others can read; set 'umask 077' and try again");
            }

            var key = Ed25519KeyPair.Generate();
            console.Out.WriteLine(key.PrivateKeyBase64);
            console.Out.Flush();
            return ExitCodes.Success;
        });
        return command;
    }
}
