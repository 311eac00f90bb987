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

        // The Length field grows with the data, so shrink until header + Length + data fits (at most
        // a few rounds: the varint length only takes the values 1, 2, 4 and 8).
        if (space < 1) return -1;
        int data = Math.Min(available, space - 1);
        while (VarInt.GetLength((ulong)data) + data > space)
        {
            data = space - VarInt.GetLength((ulong)data);
        }

        return data;
    }
}
