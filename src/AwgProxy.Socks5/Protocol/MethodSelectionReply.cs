namespace AwgProxy.Socks5.Protocol;

/// <summary>The server's METHOD selection message (RFC 1928 §3).</summary>
/// <remarks>
/// <code>
/// +----+--------+
/// |VER | METHOD |
/// +----+--------+
/// | 1  |   1    |
/// +----+--------+
/// </code>
/// METHOD X'FF' (NO ACCEPTABLE METHODS) tells the client to close the connection.
/// </remarks>
public readonly struct MethodSelectionReply : IEquatable<MethodSelectionReply>
{
    /// <summary>Length of the message: VER and METHOD.</summary>
    public const int EncodedLength = 2;

    /// <summary>A reply choosing <paramref name="method"/>.</summary>
    public MethodSelectionReply(Socks5AuthMethod method) => Method = method;

    /// <summary>The chosen METHOD.</summary>
    public Socks5AuthMethod Method { get; }

    /// <summary>Parses the message from the start of <paramref name="source"/>.</summary>
    public static Socks5ParseResult TryParse(ReadOnlySpan<byte> source, out MethodSelectionReply reply)
    {
        reply = default;
        if (source.IsEmpty)
        {
            return Socks5ParseResult.NeedMoreData;
        }

        if (source[0] != Socks5Constants.ProtocolVersion)
        {
            return Socks5ParseResult.Invalid(Socks5ReplyCode.GeneralFailure, "VER is not X'05'");
        }

        if (source.Length < EncodedLength)
        {
            return Socks5ParseResult.NeedMoreData;
        }

        reply = new MethodSelectionReply((Socks5AuthMethod)source[1]);
        return Socks5ParseResult.Complete(EncodedLength);
    }

    /// <summary>Writes the message; returns <see cref="EncodedLength"/>.</summary>
    public int Write(Span<byte> destination)
    {
        if (destination.Length < EncodedLength)
        {
            throw new ArgumentException("Destination is too short for the message.", nameof(destination));
        }

        destination[0] = Socks5Constants.ProtocolVersion;
        destination[1] = (byte)Method;
        return EncodedLength;
    }

    /// <inheritdoc />
    public bool Equals(MethodSelectionReply other) => Method == other.Method;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MethodSelectionReply other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Method.GetHashCode();

    /// <summary>Same METHOD.</summary>
    public static bool operator ==(MethodSelectionReply left, MethodSelectionReply right) => left.Equals(right);

    /// <summary>Different METHOD.</summary>
    public static bool operator !=(MethodSelectionReply left, MethodSelectionReply right) => !left.Equals(right);
}
