using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls.Extensions;

namespace AwgProxy.Quic.Tls.Messages;

/// <summary>
/// RFC 8446 section 4.1.2, Client Hello:
/// <code>
/// uint16 ProtocolVersion;
/// opaque Random[32];
///
/// uint8 CipherSuite[2];    /* Cryptographic suite selector */
///
/// struct {
///     ProtocolVersion legacy_version = 0x0303;    /* TLS v1.2 */
///     Random random;
///     opaque legacy_session_id&lt;0..32&gt;;
///     CipherSuite cipher_suites&lt;2..2^16-2&gt;;
///     opaque legacy_compression_methods&lt;1..2^8-1&gt;;
///     Extension extensions&lt;8..2^16-1&gt;;
/// } ClientHello;
/// </code>
/// Structural only: the extensions stay encoded and are interpreted by the session. The extension
/// block is mandatory: a pre-TLS 1.3 ClientHello without one (RFC 8446 section 4.1.2 allows detecting
/// it) cannot be a QUIC client's and is a decode error here.
/// </summary>
internal sealed class ClientHello : IHandshakeMessage
{
    public const int RandomLength = 32;
    public const int MaxLegacySessionIdLength = 32;

    public ushort LegacyVersion { get; init; } = TlsVersion.Tls12;

    public byte[] Random { get; init; } = new byte[RandomLength];

    public byte[] LegacySessionId { get; init; } = [];

    public CipherSuite[] CipherSuites { get; init; } = [];

    public byte[] LegacyCompressionMethods { get; init; } = [0];

    public List<TlsExtension> Extensions { get; init; } = [];

    /// <summary>Set by <see cref="TryParse"/> when an extension type appears twice (illegal_parameter).</summary>
    public bool HasDuplicateExtensions { get; private init; }

    public HandshakeType Type => HandshakeType.ClientHello;

    public int BodyLength => 2 + RandomLength + 1 + LegacySessionId.Length + 2 + 2 * CipherSuites.Length
        + 1 + LegacyCompressionMethods.Length + ExtensionBlock.GetLength(Extensions);

    public byte[]? FindExtension(ExtensionType type) => ExtensionBlock.Find(Extensions, type);

    public void WriteBody(ref SpanWriter writer)
    {
        if (Random.Length != RandomLength) throw new InvalidOperationException("Random must be 32 bytes.");
        writer.WriteUInt16(LegacyVersion);
        writer.WriteBytes(Random);
        writer.WriteByte((byte)LegacySessionId.Length);
        writer.WriteBytes(LegacySessionId);
        writer.WriteUInt16((ushort)(2 * CipherSuites.Length));
        foreach (CipherSuite suite in CipherSuites) writer.WriteUInt16((ushort)suite);
        writer.WriteByte((byte)LegacyCompressionMethods.Length);
        writer.WriteBytes(LegacyCompressionMethods);
        ExtensionBlock.Write(ref writer, Extensions);
    }

    /// <summary>Parses a body (without the handshake header). Returns false on malformed bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out ClientHello? message)
    {
        message = null;
        var reader = new SpanReader(body);
        if (!reader.TryReadUInt16(out ushort legacyVersion)) return false;
        if (!reader.TryReadBytes(RandomLength, out ReadOnlySpan<byte> random)) return false;
        if (!reader.TryReadUInt8LengthPrefixed(out ReadOnlySpan<byte> sessionId) || sessionId.Length > MaxLegacySessionIdLength) return false;
        if (!reader.TryReadUInt16LengthPrefixed(out ReadOnlySpan<byte> suites) || suites.Length < 2 || suites.Length % 2 != 0) return false;
        if (!reader.TryReadUInt8LengthPrefixed(out ReadOnlySpan<byte> compression) || compression.IsEmpty) return false;

        if (!ExtensionBlock.TryRead(ref reader, out List<TlsExtension> extensions, out bool duplicates) || !reader.IsEmpty) return false;

        var cipherSuites = new CipherSuite[suites.Length / 2];
        var suiteReader = new SpanReader(suites);
        for (int i = 0; i < cipherSuites.Length; i++)
        {
            suiteReader.TryReadUInt16(out ushort suite);
            cipherSuites[i] = (CipherSuite)suite;
        }

        message = new ClientHello
        {
            LegacyVersion = legacyVersion,
            Random = random.ToArray(),
            LegacySessionId = sessionId.ToArray(),
            CipherSuites = cipherSuites,
            LegacyCompressionMethods = compression.ToArray(),
            Extensions = extensions,
            HasDuplicateExtensions = duplicates,
        };
        return true;
    }
}
