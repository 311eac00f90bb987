using AwgProxy.Quic.Coding;

namespace AwgProxy.Interop.Http3;

/// <summary>
/// RFC 9114 section 7.1, the type and length that start every HTTP/3 frame.
/// <code>
/// HTTP/3 Frame Format {
///   Type (i),
///   Length (i),
///   Frame Payload (..),
/// }
/// </code>
/// </summary>
public readonly record struct Http3FrameHeader(ulong Type, ulong Length)
{
    /// <summary>The longest possible header: two 8-byte variable-length integers.</summary>
    public const int MaxEncodedLength = 16;

    /// <summary>Octets this header takes on the wire.</summary>
    public int EncodedLength => VarInt.GetLength(Type) + VarInt.GetLength(Length);

    /// <summary>
    /// Reads a header. False (consuming nothing) if <paramref name="source"/> ends before the header does;
    /// the caller then waits for more bytes.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out Http3FrameHeader header, out int bytesConsumed)
    {
        var reader = new SpanReader(source);
        if (reader.TryReadVarInt(out ulong type) && reader.TryReadVarInt(out ulong length))
        {
            header = new Http3FrameHeader(type, length);
            bytesConsumed = reader.Position;
            return true;
        }

        header = default;
        bytesConsumed = 0;
        return false;
    }

    /// <summary>Writes the header in its shortest form; returns the octets written.</summary>
    public int Write(Span<byte> destination)
    {
        var writer = new SpanWriter(destination);
        writer.WriteVarInt(Type);
        writer.WriteVarInt(Length);
        return writer.Position;
    }
}
