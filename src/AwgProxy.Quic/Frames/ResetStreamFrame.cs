using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// RESET_STREAM (RFC 9000 section 19.4): the sender abruptly ends the sending part of a stream.
/// <code>
/// RESET_STREAM Frame {
///   Type (i) = 0x04,
///   Stream ID (i),
///   Application Protocol Error Code (i),
///   Final Size (i),
/// }
/// </code>
/// </summary>
public readonly record struct ResetStreamFrame(ulong StreamId, ulong ApplicationProtocolErrorCode, ulong FinalSize)
{
    public int Length =>
        1 + VarInt.GetLength(StreamId) + VarInt.GetLength(ApplicationProtocolErrorCode) + VarInt.GetLength(FinalSize);

    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out ResetStreamFrame frame)
    {
        _ = type;
        SpanReader r = reader;
        if (!r.TryReadVarInt(out ulong streamId)
            || !r.TryReadVarInt(out ulong errorCode)
            || !r.TryReadVarInt(out ulong finalSize))
        {
            frame = default;
            return false;
        }

        frame = new ResetStreamFrame(streamId, errorCode, finalSize);
        reader = r;
        return true;
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteByte((byte)FrameType.ResetStream);
        writer.WriteVarInt(StreamId);
        writer.WriteVarInt(ApplicationProtocolErrorCode);
        writer.WriteVarInt(FinalSize);
    }
}
