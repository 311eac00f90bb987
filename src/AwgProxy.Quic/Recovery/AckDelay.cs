namespace AwgProxy.Quic.Recovery;

/// <summary>
/// The ACK Delay field of an ACK frame (RFC 9000 sections 13.2.5 and 19.3): a delay in microseconds scaled down by
/// 2^ack_delay_exponent, where the exponent is the transport parameter of the endpoint that sends the frame.
/// </summary>
public static class AckDelay
{
    /// <summary>ack_delay_exponent when the transport parameter is absent (RFC 9000 section 18.2).</summary>
    public const int DefaultExponent = 3;

    /// <summary>Values above 20 are invalid (RFC 9000 section 18.2).</summary>
    public const int MaxExponent = 20;

    /// <summary>The field value that encodes <paramref name="delay"/> (negative delays encode as 0).</summary>
    public static ulong Encode(TimeSpan delay, int ackDelayExponent)
    {
        ValidateExponent(ackDelayExponent);
        if (delay <= TimeSpan.Zero) return 0;
        ulong microseconds = (ulong)(delay.Ticks / TimeSpan.TicksPerMicrosecond);
        return microseconds >> ackDelayExponent;
    }

    /// <summary>
    /// The delay a received ACK Delay field stands for. Saturates at <see cref="TimeSpan.MaxValue"/> instead of
    /// overflowing, so hostile field values cannot wrap into small delays.
    /// </summary>
    public static TimeSpan Decode(ulong field, int ackDelayExponent)
    {
        ValidateExponent(ackDelayExponent);
        ulong limit = (ulong)(TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMicrosecond) >> ackDelayExponent;
        if (field > limit) return TimeSpan.MaxValue;
        long microseconds = (long)(field << ackDelayExponent);
        return TimeSpan.FromTicks(microseconds * TimeSpan.TicksPerMicrosecond);
    }

    private static void ValidateExponent(int ackDelayExponent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ackDelayExponent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ackDelayExponent, MaxExponent);
    }
}
