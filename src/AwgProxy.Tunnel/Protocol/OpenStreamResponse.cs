using AwgProxy.Quic.Coding;

namespace AwgProxy.Tunnel.Protocol;

/// <summary>
/// The server's answer, the first bytes it sends on the stream, once the upstream connection is
/// open or has failed.
/// <code>
/// +-----+--------+
/// | VER | STATUS |
/// +-----+--------+
/// |  1  |   1    |
/// +-----+--------+
///
/// VER     0x01 (awgproxy/1)
/// STATUS  an RFC 1928 REP code, 0x00-0x08 (<see cref="TunnelStatus"/>)
/// </code>
/// After <see cref="TunnelStatus.Succeeded"/> the stream carries the upstream bytes; after any other
/// status the server ends the stream (FIN) and stops reading.
/// </summary>
public readonly struct OpenStreamResponse
{
    /// <summary>The encoded length in bytes (fixed).</summary>
    public const int Length = 2;

    public OpenStreamResponse(TunnelStatus status)
    {
        if (!IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Not a tunnel status.");
        }

        Status = status;
    }

    public TunnelStatus Status { get; }

    /// <summary>Writes the response; returns <see cref="Length"/>.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="destination"/> is shorter than <see cref="Length"/>.</exception>
    public int Encode(Span<byte> destination)
    {
        var writer = new SpanWriter(destination);
        writer.WriteByte(TunnelProtocol.Version);
        writer.WriteByte((byte)Status);
        return writer.Position;
    }

    /// <summary>
    /// Decodes a response from the start of <paramref name="source"/>. Never throws on any input.
    /// Invalid: VER other than 0x01, STATUS above 0x08.
    /// </summary>
    public static DecodeStatus TryDecode(ReadOnlySpan<byte> source, out OpenStreamResponse response, out int bytesConsumed)
    {
        response = default;
        bytesConsumed = 0;
        var reader = new SpanReader(source);
        if (!reader.TryReadByte(out byte version)) return DecodeStatus.NeedMoreData;
        if (version != TunnelProtocol.Version) return DecodeStatus.Invalid;
        if (!reader.TryReadByte(out byte status)) return DecodeStatus.NeedMoreData;
        if (!IsDefined((TunnelStatus)status)) return DecodeStatus.Invalid;

        response = new OpenStreamResponse((TunnelStatus)status);
        bytesConsumed = reader.Position;
        return DecodeStatus.Complete;
    }

    private static bool IsDefined(TunnelStatus status) => status <= TunnelStatus.AddressTypeNotSupported;
}
