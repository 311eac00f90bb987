using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// STREAM (RFC 9000 section 19.8): application data at an offset of a stream.
/// <code>
/// STREAM Frame {
///   Type (i) = 0x08..0x0f,
///   Stream ID (i),
///   [Offset (i)],
///   [Length (i)],
///   Stream Data (..),
/// }
/// </code>
/// The type's low bits are OFF (0x04: an Offset field is present), LEN (0x02: a Length field is present;
/// without it the data runs to the end of the packet) and FIN (0x01: the data ends the stream).
/// Offset + length above 2^62-1 is a FRAME_ENCODING_ERROR. <see cref="Data"/> points into the packet.
/// </summary>
public readonly ref struct StreamFrame
{
    public const byte OffBit = 0x04;
    public const byte LenBit = 0x02;
    public const byte FinBit = 0x01;

    /// <param name="streamId">The stream.</param>
    /// <param name="offset">The stream offset of the first data byte; 0 omits the Offset field.</param>
    /// <param name="data">The data (may be empty, e.g. to carry only FIN).</param>
    /// <param name="fin">True if this data ends the stream.</param>
    /// <param name="hasLength">
    /// True to write a Length field; false to let the data run to the end of the packet, which makes
    /// this the last frame of the packet.
    /// </param>
    public StreamFrame(ulong streamId, ulong offset, ReadOnlySpan<byte> data, bool fin, bool hasLength = true)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(streamId, VarInt.MaxValue);
        if (offset > VarInt.MaxValue - (ulong)data.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "Offset + length exceeds 2^62-1.");
        }

        StreamId = streamId;
        Offset = offset;
        Data = data;
        Fin = fin;
        HasLength = hasLength;
    }

    public ulong StreamId { get; }

    public ulong Offset { get; }

    public ReadOnlySpan<byte> Data { get; }

    public bool Fin { get; }

    /// <summary>Whether the encoding has a Length field (false: the data ran or runs to the end of the packet).</summary>
    public bool HasLength { get; }

    /// <summary>The offset just past the data (the final size when <see cref="Fin"/> is set).</summary>
    public ulong EndOffset => Offset + (ulong)Data.Length;

    /// <summary>The type this frame is written with: 0x08 plus the OFF, LEN and FIN bits.</summary>
    public FrameType Type => (FrameType)(0x08u | (Offset != 0 ? OffBit : 0u) | (HasLength ? LenBit : 0u) | (Fin ? FinBit : 0u));

    public int Length => GetHeaderLength(StreamId, Offset) + (HasLength ? VarInt.GetLength((ulong)Data.Length) : 0) + Data.Length;

    /// <summary>
    /// How many of <paramref name="available"/> bytes at <paramref name="offset"/> of stream
    /// <paramref name="streamId"/> fit in a STREAM frame of at most <paramref name="room"/> bytes, with or
    /// without a Length field; -1 if not even an empty frame (e.g. a lone FIN) fits. A frame written without
    /// a Length field must be the last in the packet, so use <paramref name="withLength"/> = false only when
    /// the data fills the rest of the packet.
    /// </summary>
    public static int GetMaxDataLength(int room, ulong streamId, ulong offset, int available, bool withLength = true) =>
        FrameSpace.MaxDataLength(room, GetHeaderLength(streamId, offset), available, withLength);

    /// <param name="type">The frame type already read (0x08-0x0f), which carries the OFF, LEN and FIN bits.</param>
    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out StreamFrame frame)
    {
        byte flags = (byte)type;
        SpanReader r = reader;
        ulong offset = 0;
        ReadOnlySpan<byte> data;
        if (!r.TryReadVarInt(out ulong streamId)
            || ((flags & OffBit) != 0 && !r.TryReadVarInt(out offset)))
        {
            frame = default;
            return false;
        }

        bool hasLength = (flags & LenBit) != 0;
        if (hasLength)
        {
            if (!r.TryReadVarIntLengthPrefixed(out data))
            {
                frame = default;
                return false;
            }
        }
        else
        {
            data = r.RemainingSpan;
            r.TrySkip(data.Length);
        }

        if (offset > VarInt.MaxValue - (ulong)data.Length)
        {
            frame = default;
            return false;
        }

        frame = new StreamFrame(streamId, offset, data, (flags & FinBit) != 0, hasLength);
        reader = r;
        return true;
    }

    /// <summary>
    /// Writes the frame (exactly <see cref="Length"/> bytes). Static with a <c>scoped</c> frame so a frame over
    /// short-lived bytes (stackalloc) can be written into a longer-lived writer; <c>frame.Write(ref writer)</c>
    /// works too, through <see cref="FrameWriterExtensions"/>.
    /// </summary>
    public static void Write(ref SpanWriter writer, scoped StreamFrame frame)
    {
        writer.WriteByte((byte)frame.Type);
        writer.WriteVarInt(frame.StreamId);
        if (frame.Offset != 0) writer.WriteVarInt(frame.Offset);
        if (frame.HasLength) writer.WriteVarInt((ulong)frame.Data.Length);
        frame.Data.CopyTo(writer.Reserve(frame.Data.Length));
    }

    private static int GetHeaderLength(ulong streamId, ulong offset) =>
        1 + VarInt.GetLength(streamId) + (offset != 0 ? VarInt.GetLength(offset) : 0);
}
