namespace AwgProxy.Interop.Protocols;

/// <summary>Application error codes of the interop-test protocol.</summary>
public static class InteropTestErrorCode
{
    /// <summary>Closing normally.</summary>
    public const long NoError = 0;

    /// <summary>The request line was not understood: RESET_STREAM and STOP_SENDING carry this.</summary>
    public const long Rejected = 0x101;
}
