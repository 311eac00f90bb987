namespace AwgProxy.Socks5.Protocol;

/// <summary>The header of every datagram on a UDP association (RFC 1928 §7). DATA follows it.</summary>
/// <remarks>
/// <code>
/// +----+------+------+----------+----------+----------+
/// |RSV | FRAG | ATYP | DST.ADDR | DST.PORT |   DATA   |
/// +----+------+------+----------+----------+----------+
/// | 2  |  1   |  1   | Variable |    2     | Variable |
/// +----+------+------+----------+----------+----------+
/// </code>
/// A datagram arrives whole, so NeedMoreData means a truncated datagram, which the relay drops. RSV is not
/// checked. FRAG X'00' is a standalone datagram; implementations that do not reassemble drop any other
/// value (RFC 1928 §7), which is a decision for the relay, not for this codec.
/// </remarks>
public readonly struct UdpRequestHeader : IEquatable<UdpRequestHeader>
{
    /// <summary>A header for a datagram to <paramref name="destinationAddress"/>:<paramref name="destinationPort"/>.</summary>
    public UdpRequestHeader(byte fragment, Socks5Address destinationAddress, ushort destinationPort)
    {
        Fragment = fragment;
        DestinationAddress = destinationAddress;
        DestinationPort = destinationPort;
    }

    /// <summary>FRAG: the fragment number; X'00' for a standalone datagram.</summary>
    public byte Fragment { get; }

    /// <summary>ATYP and DST.ADDR.</summary>
    public Socks5Address DestinationAddress { get; }

    /// <summary>DST.PORT.</summary>
    public ushort DestinationPort { get; }

    /// <summary>Length of the encoded header; DATA starts at this offset.</summary>
    public int EncodedLength => 3 + AddressAndPort.GetEncodedLength(DestinationAddress);

    /// <summary>
    /// Parses the header from the start of <paramref name="datagram"/>; <see cref="Socks5ParseResult.BytesConsumed"/>
    /// is the offset of DATA.
    /// </summary>
    public static Socks5ParseResult TryParse(ReadOnlySpan<byte> datagram, out UdpRequestHeader header)
    {
        header = default;
        if (datagram.Length < 3)
        {
            return Socks5ParseResult.NeedMoreData;
        }

        Socks5ParseResult tail = AddressAndPort.TryParse(datagram[3..], out Socks5Address address, out ushort port);
        if (tail.Status != Socks5ParseStatus.Complete)
        {
            return tail;
        }

        header = new UdpRequestHeader(datagram[2], address, port);
        return Socks5ParseResult.Complete(3 + tail.BytesConsumed);
    }

    /// <summary>Writes the header (RSV = X'0000'); returns <see cref="EncodedLength"/>.</summary>
    public int Write(Span<byte> destination)
    {
        if (destination.Length < EncodedLength)
        {
            throw new ArgumentException("Destination is too short for the header.", nameof(destination));
        }

        destination[0] = 0x00;
        destination[1] = 0x00;
        destination[2] = Fragment;
        return 3 + AddressAndPort.Write(destination[3..], DestinationAddress, DestinationPort);
    }

    /// <inheritdoc />
    public bool Equals(UdpRequestHeader other) =>
        Fragment == other.Fragment && DestinationAddress == other.DestinationAddress && DestinationPort == other.DestinationPort;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is UdpRequestHeader other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Fragment, DestinationAddress, DestinationPort);

    /// <summary>Same fragment, address and port.</summary>
    public static bool operator ==(UdpRequestHeader left, UdpRequestHeader right) => left.Equals(right);

    /// <summary>Different fragment, address or port.</summary>
    public static bool operator !=(UdpRequestHeader left, UdpRequestHeader right) => !left.Equals(right);
}
