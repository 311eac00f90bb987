namespace AwgProxy.Interop.Running;

/// <summary>Process exit codes, as quicgo-peer and Go's flag package use them.</summary>
public static class ExitCode
{
    public const int Success = 0;

    /// <summary>The run failed (the client's last line is <c>RESULT fail …</c>).</summary>
    public const int Failure = 1;

    /// <summary>Bad command line.</summary>
    public const int Usage = 2;
}
