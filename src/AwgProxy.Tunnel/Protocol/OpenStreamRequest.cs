using System.Net;
using System.Text;
using AwgProxy.Quic.Coding;

namespace AwgProxy.Tunnel.Protocol;

/// <summary>
/// The first bytes a client sends on every bidirectional stream: what to do and where.
/// <code>
/// +-----+-----+------+----------+----------+
/// | VER | CMD | ATYP | DST.ADDR | DST.PORT |
/// +-----+-----+------+----------+----------+
/// |  1  |  1  |  1   | Variable |    2     |
/// +-----+-----+------+----------+----------+
///
/// VER       0x01 (awgproxy/1)
/// CMD       0x01 CONNECT; 0x02 BIND and 0x03 UDP ASSOCIATE are reserved; 0x00 is invalid
/// ATYP      0x01 IPv4 (DST.ADDR: 4 bytes), 0x03 DOMAINNAME (DST.ADDR: 1 length byte, 1-255,
///           then that many bytes of printable ASCII 0x21-0x7E), 0x04 IPv6 (DST.ADDR: 16 bytes)
/// DST.PORT  network byte order, 1-65535
/// </code>
/// It is RFC 1928's request without the RSV byte: 9 bytes for IPv4, 21 for IPv6, at most 261 for a
/// name, so it always fits in the stream's first packet. Bytes after it on the stream are payload.
/// </summary>
public readonly struct OpenStreamRequest
{
    /// <summary>VER + CMD + ATYP + length byte + 255-byte name + port.</summary>
    public const int MaxLength = 1 + 1 + 1 + 1 + TunnelDestination.MaxHostLength + 2;

    private const int IPv4Length = 4;
    private const int IPv6Length = 16;

    public OpenStreamRequest(TunnelCommand command, TunnelDestination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (command == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(command), "CMD 0x00 is not a command.");
        }

        Command = command;
        Destination = destination;
    }

    public TunnelCommand Command { get; }

    public TunnelDestination Destination { get; }

    /// <summary>The encoded length in bytes.</summary>
    public int Length => 3 + Destination.AddressType switch
    {
        TunnelAddressType.IPv4 => IPv4Length,
        TunnelAddressType.IPv6 => IPv6Length,
        _ => 1 + Destination.Host!.Length,
    } + 2;

    /// <summary>Writes the request; returns the bytes written (<see cref="Length"/>).</summary>
    /// <exception cref="InvalidOperationException"><paramref name="destination"/> is shorter than <see cref="Length"/>.</exception>
    public int Encode(Span<byte> destination)
    {
        var writer = new SpanWriter(destination);
        writer.WriteByte(TunnelProtocol.Version);
        writer.WriteByte((byte)Command);
        writer.WriteByte((byte)Destination.AddressType);
        switch (Destination.AddressType)
        {
            case TunnelAddressType.IPv4:
            case TunnelAddressType.IPv6:
                if (!Destination.Address!.TryWriteBytes(writer.Free, out int written))
                {
                    throw new InvalidOperationException("Destination buffer too small.");
                }

                writer.Advance(written);
                break;
            default:
                string host = Destination.Host!;
                writer.WriteByte((byte)host.Length);
                writer.Advance(Encoding.ASCII.GetBytes(host, writer.Free));
                break;
        }

        writer.WriteUInt16((ushort)Destination.Port);
        return writer.Position;
    }

    /// <summary>
    /// Decodes a request from the start of <paramref name="source"/>, which may hold only part of it
    /// (or more than it: the payload that follows). Never throws on any input.
    /// </summary>
    /// <returns>
    /// <see cref="DecodeStatus.Complete"/> with <paramref name="bytesConsumed"/> set;
    /// <see cref="DecodeStatus.NeedMoreData"/> for a valid prefix; <see cref="DecodeStatus.Invalid"/>
    /// for VER other than 0x01, CMD 0x00, an unknown ATYP, an empty name or one with bytes outside
    /// 0x21-0x7E, or port 0.
    /// </returns>
    public static DecodeStatus TryDecode(ReadOnlySpan<byte> source, out OpenStreamRequest request, out int bytesConsumed)
    {
        request = default;
        bytesConsumed = 0;
        var reader = new SpanReader(source);

        if (!reader.TryReadByte(out byte version)) return DecodeStatus.NeedMoreData;
        if (version != TunnelProtocol.Version) return DecodeStatus.Invalid;

        if (!reader.TryReadByte(out byte command)) return DecodeStatus.NeedMoreData;
        if (command == 0) return DecodeStatus.Invalid;

        if (!reader.TryReadByte(out byte addressType)) return DecodeStatus.NeedMoreData;

        ReadOnlySpan<byte> addressBytes;
        switch ((TunnelAddressType)addressType)
        {
            case TunnelAddressType.IPv4:
                if (!reader.TryReadBytes(IPv4Length, out addressBytes)) return DecodeStatus.NeedMoreData;
                break;
            case TunnelAddressType.IPv6:
                if (!reader.TryReadBytes(IPv6Length, out addressBytes)) return DecodeStatus.NeedMoreData;
                break;
            case TunnelAddressType.DomainName:
                if (!reader.TryReadByte(out byte hostLength)) return DecodeStatus.NeedMoreData;
                if (hostLength == 0) return DecodeStatus.Invalid;
                ReadOnlySpan<byte> available = reader.RemainingSpan;
                foreach (byte b in available[..Math.Min(available.Length, hostLength)])
                {
                    if (!TunnelDestination.IsHostByte(b)) return DecodeStatus.Invalid;
                }

                if (!reader.TryReadBytes(hostLength, out addressBytes)) return DecodeStatus.NeedMoreData;
                break;
            default:
                return DecodeStatus.Invalid;
        }

        if (!reader.TryReadUInt16(out ushort port)) return DecodeStatus.NeedMoreData;
        if (port == 0) return DecodeStatus.Invalid;

        // Allocate only once the whole request is there (decoding is retried after every read).
        IPAddress? address = null;
        string? host = null;
        if ((TunnelAddressType)addressType == TunnelAddressType.DomainName)
        {
            host = Encoding.ASCII.GetString(addressBytes);
        }
        else
        {
            address = new IPAddress(addressBytes);
        }

        var destination = TunnelDestination.CreateUnchecked((TunnelAddressType)addressType, address, host, port);
        request = new OpenStreamRequest((TunnelCommand)command, destination);
        bytesConsumed = reader.Position;
        return DecodeStatus.Complete;
    }
}
