namespace AwgProxy.Quic.Packets;

/// <summary>QUIC version numbers (RFC 9000 section 15, RFC 8999 section 5.1).</summary>
public static class QuicVersion
{
    /// <summary>QUIC version 1 (RFC 9000).</summary>
    public const uint Version1 = 0x0000_0001;

    /// <summary>The version field of a Version Negotiation packet (RFC 9000 section 17.2.1).</summary>
    public const uint Negotiation = 0x0000_0000;

    /// <summary>True for the versions this stack speaks.</summary>
    public static bool IsSupported(uint version) => version == Version1;

    /// <summary>
    /// True for the versions reserved to exercise version negotiation, 0x?a?a?a?a (RFC 9000 section 15):
    /// a client may offer one, and a server lists one in Version Negotiation packets as grease.
    /// </summary>
    public static bool IsReserved(uint version) => (version & 0x0f0f_0f0f) == 0x0a0a_0a0a;

    /// <summary>Builds a reserved version from the four free nibbles of <paramref name="random"/>.</summary>
    public static uint MakeReserved(uint random) => (random & 0xf0f0_f0f0) | 0x0a0a_0a0a;
}
