namespace AwgProxy.Cli.Hosting;

/// <summary>
/// A failure whose message is complete and meant for the user (printed or logged as one line,
/// without a stack trace), e.g. a port that cannot be bound.
/// </summary>
public sealed class CliException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CliException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CliException()
        : base("The command failed.")
    {
    }
}
