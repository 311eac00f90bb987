namespace AwgProxy.Socks5.Protocol;

/// <summary>A SOCKS request (RFC 1928 §4), sent by the client after authentication.</summary>
/// <remarks>
/// <code>
/// +----+-----+-------+------+----------+----------+
/// |VER | CMD |  RSV  | ATYP | DST.ADDR | DST.PORT |
/// +----+-----+-------+------+----------+----------+
/// | 1  |  1  | X'00' |  1   | Variable |    2     |
/// +----+-----+-------+------+----------+----------+
/// </code>
/// VER other than X'05': Invalid with X'01'. An unknown CMD still parses (the message length does not depend
/// on it) so that the server can answer X'07'. An unknown ATYP is Invalid with X'08'. RSV is not checked
/// (be liberal in what you accept). DST.PORT is in network octet order.
/// </remarks>
public readonly struct Socks5Request : IEquatable<Socks5Request>
{
    /// <summary>A request for <paramref name="command"/> to <paramref name="destinationAddress"/>:<paramref name="destinationPort"/>.</summary>
    public Socks5Request(Socks5Command command, Socks5Address destinationAddress, ushort destinationPort)
    {
        Command = command;
        DestinationAddress = destinationAddress;
        DestinationPort = destinationPort;
    }

    /// <summary>CMD; may be a value outside <see cref="Socks5Command"/>.</summary>
    public Socks5Command Command { get; }

    /// <summary>ATYP and DST.ADDR.</summary>
    public Socks5Address DestinationAddress { get; }

    /// <summary>DST.PORT.</summary>
    public ushort DestinationPort { get; }

    /// <summary>Length of the encoded request.</summary>
    public int EncodedLength => 3 + AddressAndPort.GetEncodedLength(DestinationAddress);

    /// <summary>Parses the request from the start of <paramref name="source"/>.</summary>
    public static Socks5ParseResult TryParse(ReadOnlySpan<byte> source, out Socks5Request request)
    {
        request = default;
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

        request = new Socks5Request((Socks5Command)source[1], address, port);
        return Socks5ParseResult.Complete(3 + tail.BytesConsumed);
    }

    /// <summary>Writes the request (RSV = X'00'); returns <see cref="EncodedLength"/>.</summary>
    public int Write(Span<byte> destination)
    {
        if (destination.Length < EncodedLength)
        {
            throw new ArgumentException("Destination is too short for the request.", nameof(destination));
        }

        destination[0] = Socks5Constants.ProtocolVersion;
        destination[1] = (byte)Command;
        destination[2] = 0x00;
        return 3 + AddressAndPort.Write(destination[3..], DestinationAddress, DestinationPort);
    }

    /// <inheritdoc />
    public bool Equals(Socks5Request other) =>
        Command == other.Command && DestinationAddress == other.DestinationAddress && DestinationPort == other.DestinationPort;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Socks5Request other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Command, DestinationAddress, DestinationPort);

    /// <inheritdoc />
    public override string ToString() => $"{Command} {DestinationAddress}:{DestinationPort}";

    /// <summary>Same command, address and port.</summary>
    public static bool operator ==(Socks5Request left, Socks5Request right) => left.Equals(right);

    /// <summary>Different command, address or port.</summary>
    public static bool operator !=(Socks5Request left, Socks5Request right) => !left.Equals(right);
}
