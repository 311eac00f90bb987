namespace AwgProxy.AmneziaWG;

/// <summary>Implementation limits the port adds to amneziawg-go (UPSTREAM.md, deviations).</summary>
public static class AwgLimits
{
    /// <summary>
    /// The largest UDP payload any datagram can carry: 65535 (the IPv6 payload length and UDP
    /// length fields) minus the 8-byte UDP header. IPv4's is smaller (65507). An I-packet, junk packet
    /// or padded message longer than this can never be sent, so the port rejects the setting that
    /// would produce it; upstream allocates it (and crashes when the length is near 2^63).
    /// </summary>
    public const int MaxUdpPayload = 65527;
}
