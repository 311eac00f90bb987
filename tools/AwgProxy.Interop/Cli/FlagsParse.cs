namespace AwgProxy.Interop.Cli;

/// <summary>
/// The result of parsing a command's flags: <see cref="HelpRequested"/> (print usage, exit 0),
/// <see cref="Error"/> (print it and the usage, exit 2), or the parsed <see cref="Flags"/>.
/// </summary>
public sealed record FlagsParse<T>(bool HelpRequested, string? Error, T? Flags, GoFlagSet FlagSet)
    where T : class;
