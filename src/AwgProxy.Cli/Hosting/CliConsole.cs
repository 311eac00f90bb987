namespace AwgProxy.Cli.Hosting;

/// <summary>
/// The process's standard streams, injectable so commands can run in tests.
/// </summary>
/// <param name="In">Standard input.</param>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="OutputIsWorldAccessibleFile">True when standard output is a regular file others may read (genkey warns, as wg does).</param>
/// <param name="GetEnvironmentVariable">Reads an environment variable (LOG_LEVEL).</param>
public sealed record CliConsole(
    TextReader In,
    TextWriter Out,
    TextWriter Error,
    Func<bool> OutputIsWorldAccessibleFile,
    Func<string, string?> GetEnvironmentVariable)
{
    /// <summary>The real console.</summary>
    public static CliConsole System { get; } = new(
        Console.In,
        Console.Out,
        Console.Error,
        StandardOutputIsWorldAccessibleFile,
        Environment.GetEnvironmentVariable);

    /// <summary>
    /// wg's check: standard output redirected to a regular file whose mode gives others any access
    /// (a key written there would be exposed). Linux only; false elsewhere.
    /// </summary>
    private static bool StandardOutputIsWorldAccessibleFile()
    {
        if (!OperatingSystem.IsLinux() || !Console.IsOutputRedirected)
        {
            return false;
        }

        try
        {
            var target = new FileInfo("/proc/self/fd/1").ResolveLinkTarget(returnFinalTarget: true);
            if (target is not FileInfo { Exists: true } file)
            {
                return false; // a pipe, a socket, a terminal: nothing stays behind
            }

            const UnixFileMode others = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            return (file.UnixFileMode & others) != 0 && !file.FullName.StartsWith("/dev/", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
