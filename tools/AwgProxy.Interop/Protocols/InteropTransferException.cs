namespace AwgProxy.Interop.Protocols;

/// <summary>
/// A client transfer did not go as the protocol says (short read, corrupt byte, wrong answer, stream reset);
/// the message is the reason printed in <c>RESULT fail REASON</c>.
/// </summary>
public sealed class InteropTransferException : Exception
{
    public InteropTransferException(string message)
        : base(message)
    {
    }

    public InteropTransferException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InteropTransferException()
        : base("transfer failed")
    {
    }
}
