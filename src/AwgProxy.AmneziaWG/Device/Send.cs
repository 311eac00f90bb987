// Port of the AmneziaWG steps of (*Peer).SendHandshakeInitiation in device/send.go from
// amneziawg-go at e796d477d89e6851b2bb4871bf75f1e621f94ace, in upstream's order: the I-packets
// (I1..I5, unset ones skipped), the Jc junk packets, then the S1-padded initiation message. The
// WireGuard parts (timers, CreateMessageInitiation, AddMacs, SendBuffers) are not ported: the
// caller passes the finished message and sends what comes back. The padding step is the same
// one SendHandshakeResponse (S2), SendHandshakeCookie (S3) and the transport path (S4) use.
// Deviations (UPSTREAM.md): settings that would panic or wedge upstream (negative Jmin, Jmax < Jmin,
// sizes beyond the largest UDP payload) are rejected before anything is drawn; each I-packet's
// <c> value counts the datagrams of the burst before it.
namespace AwgProxy.AmneziaWG.Device;

/// <summary>What SendHandshakeInitiation puts on the wire in front of, and around, the initiation.</summary>
public static class Send
{
    /// <summary>
    /// The datagrams of one handshake initiation, in send order: I1..I5 (those set), Jc junk
    /// packets, then <paramref name="packet"/> behind S1 random bytes. Randomness is drawn in that
    /// order from <see cref="ObfContext.Random"/>. I-packet k of the burst (0-based, counting only
    /// the set ones) sees <c>DatagramsSent + k</c> as its &lt;c&gt; value.
    /// </summary>
    /// <exception cref="AwgValidationException">
    /// The junk or S1 settings would make upstream panic or produce a datagram no UDP socket can
    /// send; nothing has been drawn from the random source then.
    /// </exception>
    public static IReadOnlyList<byte[]> SendHandshakeInitiation(DeviceState device, ReadOnlySpan<byte> packet, in ObfContext context)
    {
        ArgumentNullException.ThrowIfNull(device);
        ThrowIfInvalid(ValidateJunk(device.Junk.Count, device.Junk.Min, device.Junk.Max));
        ThrowIfInvalid(ValidatePadding(device.Paddings.Init, packet.Length));

        var sendBuffer = new List<byte[]>();
        AppendIPackets(device.IPackets, context, sendBuffer);
        AppendJunk(device.Junk.Count, device.Junk.Min, device.Junk.Max, context.Random, sendBuffer);
        sendBuffer.Add(Pad(device.Paddings.Init, packet, context.Random));
        return sendBuffer;
    }

    /// <summary>
    /// The I-packet loop: for each set chain, a buffer of ObfuscatedLen(0) bytes filled by
    /// Obfuscate(buf, nil). An empty chain still yields a zero-length datagram, as upstream's does.
    /// </summary>
    public static void AppendIPackets(IEnumerable<ObfChain?> ipackets, in ObfContext context, ICollection<byte[]> sendBuffer)
    {
        ArgumentNullException.ThrowIfNull(ipackets);
        ArgumentNullException.ThrowIfNull(sendBuffer);
        var sent = 0u;
        foreach (var ipacket in ipackets)
        {
            if (ipacket is null)
            {
                continue;
            }

            var buf = new byte[ipacket.ObfuscatedLen(0)];
            ipacket.Obfuscate(buf, [], context with { DatagramsSent = unchecked(context.DatagramsSent + sent) });
            sendBuffer.Add(buf);
            sent++;
        }
    }

    /// <summary>
    /// The junk loop: <paramref name="jc"/> times, a size <c>rand.Int(jmax-jmin+1) + jmin</c>, then
    /// that many random bytes (size, content, size, content, ...). <paramref name="jc"/> &lt;= 0 sends nothing.
    /// </summary>
    /// <exception cref="AwgValidationException">See <see cref="ValidateJunk"/>.</exception>
    public static void AppendJunk(long jc, long jmin, long jmax, IRandomSource random, ICollection<byte[]> sendBuffer)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(sendBuffer);
        ThrowIfInvalid(ValidateJunk(jc, jmin, jmax));
        for (long i = 0; i < jc; i++)
        {
            var n = Stdlib.GoCryptoRand.Int(random, jmax - jmin + 1) + jmin;
            var buf = new byte[n];
            random.Read(buf);
            sendBuffer.Add(buf);
        }
    }

    /// <summary>
    /// Port addition: null when the junk loop can run, else why not. Only checked when
    /// <paramref name="jc"/> &gt; 0, because upstream never looks at Jmin/Jmax otherwise. Upstream
    /// panics when jmax - jmin + 1 &lt;= 0 (rand.Int) or when a drawn size is negative (make), and
    /// cannot send a junk packet longer than the largest UDP payload.
    /// </summary>
    public static string? ValidateJunk(long jc, long jmin, long jmax)
    {
        if (jc <= 0)
        {
            return null;
        }

        if (jmin < 0)
        {
            return $"jmin {jmin} is negative";
        }

        if (jmax < jmin)
        {
            return $"jmin {jmin} is greater than jmax {jmax}";
        }

        if (jmax > AwgLimits.MaxUdpPayload)
        {
            return $"jmax {jmax} exceeds {AwgLimits.MaxUdpPayload}, the largest UDP payload";
        }

        return null;
    }

    /// <summary>
    /// The padding step: when <paramref name="padding"/> &gt; 0, a new buffer of padding random
    /// bytes followed by <paramref name="packet"/>; otherwise a copy of the packet unchanged.
    /// </summary>
    /// <exception cref="AwgValidationException">See <see cref="ValidatePadding"/>.</exception>
    public static byte[] Pad(long padding, ReadOnlySpan<byte> packet, IRandomSource random)
    {
        ThrowIfInvalid(ValidatePadding(padding, packet.Length));
        var buf = new byte[Math.Max(padding, 0) + packet.Length];
        WritePadded(buf, (int)Math.Max(padding, 0), packet, random);
        return buf;
    }

    /// <summary>
    /// The padding step into a caller's buffer (no allocation, for per-packet use): writes
    /// <paramref name="padding"/> random bytes then <paramref name="packet"/>, and returns the length.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is too short or <paramref name="padding"/> is negative.</exception>
    public static int WritePadded(Span<byte> dst, int padding, ReadOnlySpan<byte> packet, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (dst.Length - padding < packet.Length)
        {
            throw new ArgumentException($"The padded message needs {padding + packet.Length} bytes; the destination holds {dst.Length}.", nameof(dst));
        }

        random.Read(dst[..padding]);
        packet.CopyTo(dst[padding..]);
        return padding + packet.Length;
    }

    /// <summary>
    /// Port addition: null when a message of <paramref name="packetLength"/> bytes padded with
    /// <paramref name="padding"/> bytes fits a UDP datagram, else why not (upstream allocates any
    /// size, which fails to send or, near 2^63, crashes). Padding &lt;= 0 means none.
    /// </summary>
    public static string? ValidatePadding(long padding, int packetLength)
    {
        if (padding > 0 && padding > AwgLimits.MaxUdpPayload - packetLength)
        {
            return $"padding {padding} plus the {packetLength}-byte message exceeds {AwgLimits.MaxUdpPayload}, the largest UDP payload";
        }

        return null;
    }

    private static void ThrowIfInvalid(string? error)
    {
        if (error is not null)
        {
            throw new AwgValidationException(error);
        }
    }
}
