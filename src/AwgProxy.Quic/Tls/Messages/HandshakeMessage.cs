using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tls.Messages;

/// <summary>
/// RFC 8446 section 4, the framing every handshake message shares:
/// <code>
/// struct {
///     HandshakeType msg_type;    /* handshake type */
///     uint24 length;             /* remaining bytes in message */
///     select (Handshake.msg_type) { ... };
/// } Handshake;
/// </code>
/// In QUIC these bytes are carried directly in CRYPTO frames, with no TLS record layer (RFC 9001 section 4).
/// </summary>
internal static class HandshakeMessage
{
    /// <summary>Size of msg_type plus length.</summary>
    public const int HeaderLength = 4;

    /// <summary>The whole message, header included.</summary>
    public static byte[] Encode(IHandshakeMessage message)
    {
        int bodyLength = message.BodyLength;
        byte[] encoded = new byte[HeaderLength + bodyLength];
        var writer = new SpanWriter(encoded);
        writer.WriteByte((byte)message.Type);
        writer.WriteUInt24(bodyLength);
        message.WriteBody(ref writer);
        if (writer.Position != encoded.Length) throw new InvalidOperationException($"{message.Type} wrote {writer.Position} bytes, announced {encoded.Length}.");
        return encoded;
    }

    /// <summary>Reads the header; false if fewer than 4 bytes are available.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> data, out HandshakeType type, out int bodyLength)
    {
        var reader = new SpanReader(data);
        if (!reader.TryReadByte(out byte t) || !reader.TryReadUInt24(out bodyLength))
        {
            type = default;
            bodyLength = 0;
            return false;
        }

        type = (HandshakeType)t;
        return true;
    }
}
