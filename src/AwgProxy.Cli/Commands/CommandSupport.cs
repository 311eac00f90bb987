using System.CommandLine;
using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Hosting;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Commands;

/// <summary>What several commands share: the -c option, LOG_LEVEL, printing config problems.</summary>
internal static class CommandSupport
{
    /// <summary>A fresh <c>-c, --config FILE</c> option (required).</summary>
    public static Option<string> ConfigOption() => new("--config", "-c")
    {
        Description = "The config file (INI, or JSON when it ends in .json); AWGPROXY_<Section>__<Key> environment variables override it",
        HelpName = "FILE",
        Required = true,
    };

    /// <summary>
    /// Reads LOG_LEVEL. Unset → null; invalid → prints the error and returns false.
    /// </summary>
    public static bool TryReadLogLevel(CliConsole console, string command, out LogLevel? level)
    {
        level = null;
        var text = console.GetEnvironmentVariable(LogLevelText.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!LogLevelText.TryParse(text, out var parsed))
        {
            console.Error.WriteLine($"awgproxy {command}: {LogLevelText.EnvironmentVariable} = '{text}' is not a log level; use {LogLevelText.Accepted}");
            return false;
        }

        level = parsed;
        return true;
    }

    /// <summary>Prints a failed load: one line for one problem, a count and an indented list for several.</summary>
    public static void PrintProblems(TextWriter error, string command, ConfigLoadResult result)
    {
        if (result.Errors.Count == 1)
        {
            error.WriteLine($"awgproxy {command}: {result.Errors[0]}");
            return;
        }

        error.WriteLine($"awgproxy {command}: {result.Path}: {result.Errors.Count} problems:");
        foreach (var line in result.Errors)
        {
            error.WriteLine($"  {line}");
        }
    }
}
