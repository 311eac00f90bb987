using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// STOP_SENDING (RFC 9000 section 19.5): the receiver asks the peer to stop sending on a stream.
/// <code>
/// STOP_SENDING Frame {
///   Type (i) = 0x05,
///   Stream ID (i),
///   Application Protocol Error Code (i),
/// }
/// </code>
/// </summary>
public readonly record struct StopSendingFrame(ulong StreamId, ulong ApplicationProtocolErrorCode)
{
    public int Length => 1 + VarInt.GetLength(StreamId) + VarInt.GetLength(ApplicationProtocolErrorCode);

    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out StopSendingFrame frame)
    {
        _ = type;
        SpanReader r = reader;
        if (!r.TryReadVarInt(out ulong streamId) || !r.TryReadVarInt(out ulong errorCode))
        {
            frame = default;
            return false;
        }

        frame = new StopSendingFrame(streamId, errorCode);
        reader = r;
        return true;
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteByte((byte)FrameType.StopSending);
        writer.WriteVarInt(StreamId);
        writer.WriteVarInt(ApplicationProtocolErrorCode);
    }
}
