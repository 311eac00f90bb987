namespace AwgProxy.Socks5.Protocol;

/// <summary>The server's reply to a SOCKS request (RFC 1928 §6).</summary>
/// <remarks>
/// <code>
/// +----+-----+-------+------+----------+----------+
/// |VER | REP |  RSV  | ATYP | BND.ADDR | BND.PORT |
/// +----+-----+-------+------+----------+----------+
/// | 1  |  1  | X'00' |  1   | Variable |    2     |
/// +----+-----+-------+------+----------+----------+
/// </code>
/// A failure reply carries BND.ADDR 0.0.0.0 and BND.PORT 0; the server closes the connection after sending
/// it. After a CONNECT success, BND.ADDR/BND.PORT are the address the server used to connect to the target.
/// </remarks>
public readonly struct Socks5Reply : IEquatable<Socks5Reply>
{
    /// <summary>A reply with <paramref name="replyCode"/> and the given bound address.</summary>
    public Socks5Reply(Socks5ReplyCode replyCode, Socks5Address boundAddress, ushort boundPort)
    {
        if (boundAddress.Type == 0)
        {
            throw new ArgumentException("The bound address has no address type.", nameof(boundAddress));
        }

        ReplyCode = replyCode;
        BoundAddress = boundAddress;
        BoundPort = boundPort;
    }

    /// <summary>REP.</summary>
    public Socks5ReplyCode ReplyCode { get; }

    /// <summary>ATYP and BND.ADDR.</summary>
    public Socks5Address BoundAddress { get; }

    /// <summary>BND.PORT.</summary>
    public ushort BoundPort { get; }

    /// <summary>Length of the encoded reply.</summary>
    public int EncodedLength => 3 + AddressAndPort.GetEncodedLength(BoundAddress);

    /// <summary>A reply with <paramref name="replyCode"/> and BND.ADDR:BND.PORT = 0.0.0.0:0.</summary>
    public static Socks5Reply Failure(Socks5ReplyCode replyCode) => new(replyCode, Socks5Address.IPv4Any, 0);

    /// <summary>Parses the reply from the start of <paramref name="source"/>.</summary>
    public static Socks5ParseResult TryParse(ReadOnlySpan<byte> source, out Socks5Reply reply)
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

        if (source.Length < 3)
        {
            return Socks5ParseResult.NeedMoreData;
        }

        Socks5ParseResult tail = AddressAndPort.TryParse(source[3..], out Socks5Address address, out ushort port);
        if (tail.Status != Socks5ParseStatus.Complete)
        {
            return tail;
        }

        reply = new Socks5Reply((Socks5ReplyCode)source[1], address, port);
        return Socks5ParseResult.Complete(3 + tail.BytesConsumed);
    }

    /// <summary>Writes the reply (RSV = X'00'); returns <see cref="EncodedLength"/>.</summary>
    public int Write(Span<byte> destination)
    {
        if (destination.Length < EncodedLength)
        {
            throw new ArgumentException("Destination is too short for the reply.", nameof(destination));
        }

        destination[0] = Socks5Constants.ProtocolVersion;
        destination[1] = (byte)ReplyCode;
        destination[2] = 0x00;
        return 3 + AddressAndPort.Write(destination[3..], BoundAddress, BoundPort);
    }

    /// <inheritdoc />
    public bool Equals(Socks5Reply other) =>
        ReplyCode == other.ReplyCode && BoundAddress == other.BoundAddress && BoundPort == other.BoundPort;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Socks5Reply other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ReplyCode, BoundAddress, BoundPort);

    /// <inheritdoc />
    public override string ToString() => $"{ReplyCode} {BoundAddress}:{BoundPort}";

    /// <summary>Same code, address and port.</summary>
    public static bool operator ==(Socks5Reply left, Socks5Reply right) => left.Equals(right);

    /// <summary>Different code, address or port.</summary>
    public static bool operator !=(Socks5Reply left, Socks5Reply right) => !left.Equals(right);
}
