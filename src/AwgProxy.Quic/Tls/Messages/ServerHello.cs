using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls.Extensions;

namespace AwgProxy.Quic.Tls.Messages;

/// <summary>
/// RFC 8446 section 4.1.3, Server Hello (and HelloRetryRequest, which shares its structure):
/// <code>
/// struct {
///     ProtocolVersion legacy_version = 0x0303;    /* TLS v1.2 */
///     Random random;
///     opaque legacy_session_id_echo&lt;0..32&gt;;
///     CipherSuite cipher_suite;
///     uint8 legacy_compression_method = 0;
///     Extension extensions&lt;6..2^16-1&gt;;
/// } ServerHello;
/// </code>
/// "For reasons of backward compatibility with middleboxes, the HelloRetryRequest message uses the same
/// structure as the ServerHello, but with Random set to the special value of the SHA-256 of
/// "HelloRetryRequest"".
/// </summary>
internal sealed class ServerHello : IHandshakeMessage
{
    /// <summary>SHA-256("HelloRetryRequest"), the Random of every HelloRetryRequest (RFC 8446 section 4.1.3).</summary>
    public static ReadOnlySpan<byte> HelloRetryRequestRandom =>
    [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ];

    public ushort LegacyVersion { get; init; } = TlsVersion.Tls12;

    public byte[] Random { get; init; } = new byte[ClientHello.RandomLength];

    public byte[] LegacySessionIdEcho { get; init; } = [];

    public CipherSuite CipherSuite { get; init; }

    public byte LegacyCompressionMethod { get; init; }

    public List<TlsExtension> Extensions { get; init; } = [];

    /// <summary>Set by <see cref="TryParse"/> when an extension type appears twice (illegal_parameter).</summary>
    public bool HasDuplicateExtensions { get; private init; }

    /// <summary>Whether this is a HelloRetryRequest (its Random is the special value).</summary>
    public bool IsHelloRetryRequest => Random.AsSpan().SequenceEqual(HelloRetryRequestRandom);

    public HandshakeType Type => HandshakeType.ServerHello;

    public int BodyLength => 2 + ClientHello.RandomLength + 1 + LegacySessionIdEcho.Length + 2 + 1 + ExtensionBlock.GetLength(Extensions);

    public byte[]? FindExtension(ExtensionType type) => ExtensionBlock.Find(Extensions, type);

    public void WriteBody(ref SpanWriter writer)
    {
        if (Random.Length != ClientHello.RandomLength) throw new InvalidOperationException("Random must be 32 bytes.");
        writer.WriteUInt16(LegacyVersion);
        writer.WriteBytes(Random);
        writer.WriteByte((byte)LegacySessionIdEcho.Length);
        writer.WriteBytes(LegacySessionIdEcho);
        writer.WriteUInt16((ushort)CipherSuite);
        writer.WriteByte(LegacyCompressionMethod);
        ExtensionBlock.Write(ref writer, Extensions);
    }

    /// <summary>Parses a body (without the handshake header). Returns false on malformed bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out ServerHello? message)
    {
        message = null;
        var reader = new SpanReader(body);
        if (!reader.TryReadUInt16(out ushort legacyVersion)) return false;
        if (!reader.TryReadBytes(ClientHello.RandomLength, out ReadOnlySpan<byte> random)) return false;
        if (!reader.TryReadUInt8LengthPrefixed(out ReadOnlySpan<byte> sessionId) || sessionId.Length > ClientHello.MaxLegacySessionIdLength) return false;
        if (!reader.TryReadUInt16(out ushort suite)) return false;
        if (!reader.TryReadByte(out byte compression)) return false;
        if (!ExtensionBlock.TryRead(ref reader, out List<TlsExtension> extensions, out bool duplicates)) return false;
        if (!reader.IsEmpty) return false;

        message = new ServerHello
        {
            LegacyVersion = legacyVersion,
            Random = random.ToArray(),
            LegacySessionIdEcho = sessionId.ToArray(),
            CipherSuite = (CipherSuite)suite,
            LegacyCompressionMethod = compression,
            Extensions = extensions,
            HasDuplicateExtensions = duplicates,
        };
        return true;
    }
}
