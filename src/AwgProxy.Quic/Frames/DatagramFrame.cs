using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// DATAGRAM (RFC 9221 section 4): unreliable application data.
/// <code>
/// DATAGRAM Frame {
///   Type (i) = 0x30..0x31,
///   [Length (i)],
///   Datagram Data (..),
/// }
/// </code>
/// Type 0x31 has a Length field; with 0x30 the data runs to the end of the packet. <see cref="Data"/>
/// points into the packet. Whether the peer negotiated DATAGRAM (max_datagram_frame_size) and whether
/// the frame is within that size is the connection's check.
/// </summary>
public readonly ref struct DatagramFrame
{
    /// <param name="data">The datagram.</param>
    /// <param name="hasLength">False writes type 0x30, whose data runs to the end of the packet (last frame).</param>
    public DatagramFrame(ReadOnlySpan<byte> data, bool hasLength = true)
    {
        Data = data;
        HasLength = hasLength;
    }

    public ReadOnlySpan<byte> Data { get; }

    public bool HasLength { get; }

    public FrameType Type => HasLength ? FrameType.DatagramWithLength : FrameType.Datagram;

    public int Length => 1 + (HasLength ? VarInt.GetLength((ulong)Data.Length) : 0) + Data.Length;

    /// <summary>
    /// How many of <paramref name="available"/> datagram bytes fit in a DATAGRAM frame of at most
    /// <paramref name="room"/> bytes; -1 if not even an empty frame fits. A datagram is never split: the
    /// caller sends it whole only if the result equals its length.
    /// </summary>
    public static int GetMaxDataLength(int room, int available, bool withLength = true) =>
        FrameSpace.MaxDataLength(room, 1, available, withLength);

    /// <param name="type"><see cref="FrameType.Datagram"/> or <see cref="FrameType.DatagramWithLength"/>.</param>
    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out DatagramFrame frame)
    {
        if (type == FrameType.DatagramWithLength)
        {
            SpanReader r = reader;
            if (!r.TryReadVarIntLengthPrefixed(out ReadOnlySpan<byte> data))
            {
                frame = default;
                return false;
            }

            frame = new DatagramFrame(data, hasLength: true);
            reader = r;
            return true;
        }

        ReadOnlySpan<byte> rest = reader.RemainingSpan;
        reader.TrySkip(rest.Length);
        frame = new DatagramFrame(rest, hasLength: false);
        return true;
    }

    /// <summary>
    /// Writes the frame (exactly <see cref="Length"/> bytes). Static with a <c>scoped</c> frame so a frame over
    /// short-lived bytes (stackalloc) can be written into a longer-lived writer; <c>frame.Write(ref writer)</c>
    /// works too, through <see cref="FrameWriterExtensions"/>.
    /// </summary>
    public static void Write(ref SpanWriter writer, scoped DatagramFrame frame)
    {
        writer.WriteByte((byte)frame.Type);
        if (frame.HasLength) writer.WriteVarInt((ulong)frame.Data.Length);
        frame.Data.CopyTo(writer.Reserve(frame.Data.Length));
    }
}
