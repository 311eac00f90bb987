using System.Net;
using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// One network path to the peer (RFC 9000 sections 8 and 9): its address, whether the peer proved it owns it,
/// the byte counts that bound what we may send before that (three times what was received, section 8.1), and a
/// path validation in progress (section 8.2).
/// </summary>
internal sealed class PathState
{
    /// <summary>Anti-amplification factor (RFC 9000 section 8.1).</summary>
    public const long AmplificationFactor = 3;

    public PathState(SocketAddress remote, bool isValidated)
    {
        // Copied: drivers reuse their receive SocketAddress for every datagram.
        Remote = new SocketAddress(remote.Family, remote.Size);
        remote.Buffer.Span[..remote.Size].CopyTo(Remote.Buffer.Span);
        IsValidated = isValidated;
    }

    public SocketAddress Remote { get; }

    /// <summary>The peer proved it receives at this address: no amplification limit.</summary>
    public bool IsValidated { get; set; }

    public long BytesReceived { get; set; }

    public long BytesSent { get; set; }

    /// <summary>Bytes we may still send before validation (long.MaxValue once validated).</summary>
    public long AmplificationBudget => IsValidated ? long.MaxValue : Math.Max(0, (AmplificationFactor * BytesReceived) - BytesSent);

    /// <summary>The data of the PATH_CHALLENGE we wait an answer for.</summary>
    public ulong ChallengeData { get; set; }

    /// <summary>A path validation is running on this path.</summary>
    public bool IsValidating { get; set; }

    /// <summary>A PATH_CHALLENGE should go out on this path.</summary>
    public bool ChallengePending { get; set; }

    /// <summary>When to send the next PATH_CHALLENGE.</summary>
    public Instant NextChallengeTime { get; set; } = Instant.Never;

    /// <summary>When the validation is abandoned.</summary>
    public Instant ValidationDeadline { get; set; } = Instant.Never;

    /// <summary>A PATH_RESPONSE owed on this path.</summary>
    public bool ResponsePending { get; set; }

    /// <summary>The data to echo in that PATH_RESPONSE.</summary>
    public ulong ResponseData { get; set; }

    public bool HasProbeFrames => ChallengePending || ResponsePending;

    /// <summary>
    /// The congestion controller and RTT estimate this (validated) path had when the connection left it for a path
    /// with another IP address; restored if the connection comes back (its new path failed validation).
    /// </summary>
    public ICongestionController? SavedCongestionController { get; set; }

    public RttEstimator? SavedRtt { get; set; }

    public bool Matches(SocketAddress address) => Remote.Equals(address);

    /// <summary>
    /// True when <paramref name="a"/> and <paramref name="b"/> have the same family and IP address (whatever their
    /// ports): a port-only change, typically a NAT rebinding, which keeps the congestion state (RFC 9000 section 9.4).
    /// </summary>
    public static bool HaveSameIpAddress(SocketAddress a, SocketAddress b)
    {
        if (a.Size != b.Size) return false;
        ReadOnlySpan<byte> x = a.Buffer.Span[..a.Size];
        ReadOnlySpan<byte> y = b.Buffer.Span[..b.Size];
        if (!x[..2].SequenceEqual(y[..2])) return false; // the family

        // sockaddr_in (16 bytes): family (2), port (2), address (4), zero (8); sockaddr_in6 (28 bytes): family (2),
        // port (2), flow info (4), address (16), scope (4).
        return a.Size switch
        {
            IPv4Size => x[4..8].SequenceEqual(y[4..8]),
            IPv6Size => x[8..24].SequenceEqual(y[8..24]),
            _ => x.SequenceEqual(y),
        };
    }

    private const int IPv4Size = 16;
    private const int IPv6Size = 28;
}
