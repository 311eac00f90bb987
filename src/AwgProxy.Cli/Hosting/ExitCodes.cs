namespace AwgProxy.Cli.Hosting;

/// <summary>The process exit codes (docs/cli.md).</summary>
public static class ExitCodes
{
    /// <summary>Done; or stopped by Ctrl+C / SIGTERM.</summary>
    public const int Success = 0;

    /// <summary>Bad command line, unreadable or invalid config, invalid LOG_LEVEL, bad key input, or the role failed.</summary>
    public const int Error = 1;

    /// <summary>The role (client, server, demo) is not part of this build.</summary>
    public const int NotAvailable = 2;
}
