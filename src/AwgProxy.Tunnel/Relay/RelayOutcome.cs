namespace AwgProxy.Tunnel.Relay;

/// <summary>How a relay ended, and which side is to blame.</summary>
public enum RelayOutcome
{
    /// <summary>Both directions reached the end of their stream and were half-closed in turn.</summary>
    Completed,

    /// <summary>
    /// Reading from or writing to the tunnel stream failed: the peer reset or stopped it (its code is
    /// in <see cref="RelayResult.PeerErrorCode"/>) or the tunnel connection was lost.
    /// </summary>
    TunnelFailed,

    /// <summary>Reading from or writing to the TCP connection failed (reset, error).</summary>
    TcpFailed,

    /// <summary>No byte moved in either direction for the idle timeout.</summary>
    IdleTimeout,

    /// <summary>The caller's cancellation token fired (shutdown).</summary>
    Canceled,
}
