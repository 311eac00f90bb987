namespace AwgProxy.Quic.Connections;

/// <summary>What <see cref="Connection.MigrateLocalAddress"/> did (RFC 9000 section 9.2).</summary>
public enum MigrationStatus
{
    /// <summary>
    /// The connection moved to the new local address: the next datagrams carry a fresh connection ID, a PATH_CHALLENGE
    /// (padded to 1200 bytes) that validates the new path, and a PING so the peer follows at once.
    /// </summary>
    Started,

    /// <summary>Not established (still in the handshake, or closing): nothing changed.</summary>
    NotConnected,

    /// <summary>The handshake is not confirmed yet; no migration before that (RFC 9000 section 9): nothing changed.</summary>
    HandshakeNotConfirmed,

    /// <summary>The peer sent disable_active_migration (RFC 9000 section 18.2): nothing changed.</summary>
    DisabledByPeer,

    /// <summary>
    /// The peer has not given us an unused connection ID, and one must not be used from two local addresses (RFC 9000
    /// section 9.5): nothing changed.
    /// </summary>
    NoConnectionIdAvailable,
}
