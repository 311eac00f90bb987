namespace AwgProxy.Interop.Cli;

/// <summary>The outcome of <see cref="GoFlagSet.Parse"/>.</summary>
public sealed record GoFlagParseResult
{
    private GoFlagParseResult(GoFlagParseStatus status, string? error, IReadOnlyList<string> remaining)
    {
        Status = status;
        Error = error;
        Remaining = remaining;
    }

    public GoFlagParseStatus Status { get; }

    /// <summary>Go's message for a <see cref="GoFlagParseStatus.Error"/>.</summary>
    public string? Error { get; }

    /// <summary>Arguments after the last flag (or after <c>--</c>).</summary>
    public IReadOnlyList<string> Remaining { get; }

    public static GoFlagParseResult Ok(IReadOnlyList<string> remaining) => new(GoFlagParseStatus.Ok, null, remaining);

    public static GoFlagParseResult Help() => new(GoFlagParseStatus.Help, null, []);

    public static GoFlagParseResult Fail(string error) => new(GoFlagParseStatus.Error, error, []);
}

public enum GoFlagParseStatus
{
    Ok,

    /// <summary><c>-h</c> or <c>-help</c>: print the usage and exit with 0.</summary>
    Help,

    /// <summary>A bad flag: print the message and the usage and exit with 2.</summary>
    Error,
}
