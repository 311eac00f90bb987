namespace AwgProxy.AmneziaWG;

/// <summary>
/// The one exception this library throws for bad input: a spec, header range or junk/padding
/// setting that amneziawg-go rejects, or that it accepts and then crashes or wedges on (the port
/// rejects those up front; UPSTREAM.md lists them). The message names the offending tag or value.
/// </summary>
public sealed class AwgValidationException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public AwgValidationException()
        : base("Invalid AmneziaWG obfuscation setting.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public AwgValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public AwgValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
