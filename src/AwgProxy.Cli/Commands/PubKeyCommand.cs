using System.CommandLine;
using AwgProxy.Cli.Hosting;
using AwgProxy.Cli.Identity;

namespace AwgProxy.Cli.Commands;

/// <summary>
/// <c>awgproxy pubkey</c>: reads a private key from standard input and prints its public key, like
/// <c>wg pubkey</c>. Surrounding whitespace (the newline genkey wrote) is accepted; anything else
/// that is not exactly one 44-character base64 key is rejected with exit code 1, and the message
/// never repeats the input.
/// </summary>
internal static class PubKeyCommand
{
    /// <summary>More input than this is not a key.</summary>
    private const int MaxInputChars = 1024;

    public static Command Create(CliConsole console)
    {
        var command = new Command("pubkey", "Read a private key on standard input and print its public key, like 'wg pubkey'");
        command.SetAction(_ =>
        {
            var buffer = new char[MaxInputChars];
            try
            {
                var length = 0;
                int read;
                while (length < buffer.Length && (read = console.In.Read(buffer, length, buffer.Length - length)) > 0)
                {
                    length += read;
                }

                if (length == buffer.Length)
                {
                    return Fail(console, "the input is too long to be a key");
                }

                if (!KeyText.TryParsePrivateKey(buffer.AsSpan(0, length), out var key, out var error))
                {
                    return Fail(console, error!);
                }

                console.Out.WriteLine(key.PublicKeyBase64);
                console.Out.Flush();

                return ExitCodes.Success;
            }
            finally
            {
                Array.Clear(buffer);
            }
        });
        return command;
    }

    private static int Fail(CliConsole console, string error)
    {
        console.Error.WriteLine($"awgproxy pubkey: {error}; expected a private key from 'awgproxy genkey' on standard input");
        return ExitCodes.Error;
    }
}
