namespace AwgProxy.Interop.Protocols;

/// <summary>
/// The payload every interop-test transfer carries (quicgo-peer's <c>pattern</c>): byte i of a stream is
/// <c>(i % 65536) % 251</c>. It repeats every <see cref="Period"/> bytes, so one precomputed period serves
/// any offset without copying.
/// </summary>
public static class InteropPattern
{
    /// <summary>The period of the pattern, also the chunk size quicgo-peer writes.</summary>
    public const int Period = 64 * 1024;

    private static readonly byte[] s_period = CreatePeriod();

    /// <summary>One period of the pattern, i.e. bytes 0 to 65535.</summary>
    public static ReadOnlyMemory<byte> OnePeriod => s_period;

    /// <summary>The pattern byte at <paramref name="offset"/>.</summary>
    public static byte At(long offset) => s_period[(int)(offset % Period)];

    /// <summary>
    /// The longest slice of the pattern starting at stream offset <paramref name="offset"/>, at most
    /// <paramref name="maxLength"/> bytes, that does not wrap: write it and call again at the new offset.
    /// </summary>
    public static ReadOnlyMemory<byte> Chunk(long offset, long maxLength)
    {
        int start = (int)(offset % Period);
        int length = (int)Math.Min(maxLength, Period - start);
        return s_period.AsMemory(start, length);
    }

    /// <summary>Copies the pattern for stream offsets [offset, offset + destination.Length) into destination.</summary>
    public static void Fill(Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            ReadOnlySpan<byte> chunk = Chunk(offset, destination.Length).Span;
            chunk.CopyTo(destination);
            destination = destination[chunk.Length..];
            offset += chunk.Length;
        }
    }

    /// <summary>
    /// Checks <paramref name="data"/> against the pattern at stream offset <paramref name="offset"/>. Returns the
    /// stream offset of the first wrong byte, or -1 if all match.
    /// </summary>
    public static long FindMismatch(ReadOnlySpan<byte> data, long offset)
    {
        long position = offset;
        while (!data.IsEmpty)
        {
            ReadOnlySpan<byte> expected = Chunk(position, data.Length).Span;
            int same = data.CommonPrefixLength(expected);
            if (same < expected.Length)
            {
                return position + same;
            }

            data = data[expected.Length..];
            position += expected.Length;
        }

        return -1;
    }

    private static byte[] CreatePeriod()
    {
        byte[] period = new byte[Period];
        for (int i = 0; i < period.Length; i++)
        {
            period[i] = (byte)(i % 251);
        }

        return period;
    }
}
