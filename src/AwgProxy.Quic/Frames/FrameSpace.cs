using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>Sizing arithmetic shared by the frames that carry data (STREAM, CRYPTO, DATAGRAM).</summary>
internal static class FrameSpace
{
    /// <summary>
    /// The most data bytes (at most <paramref name="available"/>) that fit in <paramref name="room"/> after a
    /// header of <paramref name="headerLength"/> bytes and, if <paramref name="withLength"/>, a varint Length
    /// field for the data. -1 if not even an empty frame fits.
    /// </summary>
    public static int MaxDataLength(int room, int headerLength, int available, bool withLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(available);
        int space = room - headerLength;
        if (!withLength) return space < 0 ? -1 : Math.Min(space, available);

        // The Length field grows with the data: take the best over the 1-, 2- and 4-byte varint sizes
        // (a packet never needs 8). Each candidate is capped to what its field size can express.
        int best = Math.Min(Math.Min(available, space - 1), 63);
        best = Math.Max(best, Math.Min(Math.Min(available, space - 2), 16383));
        best = Math.Max(best, Math.Min(available, space - 4));
        best = Math.Max(best, -1);
        return best;
    }
}
