using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// What a connection asks of its <see cref="Endpoint"/>: connection IDs that route to it, their stateless reset
/// tokens, and notifications that change routing. Calls are synchronous: an endpoint and its connections form one
/// single-threaded unit.
/// </summary>
internal interface IConnectionHost
{
    /// <summary>Creates a fresh connection ID of the endpoint's length and routes it to <paramref name="connection"/>.</summary>
    ConnectionId IssueConnectionId(Connection connection);

    /// <summary>The stateless reset token of one of our connection IDs.</summary>
    StatelessResetToken GetStatelessResetToken(ConnectionId connectionId);

    /// <summary>The peer retired <paramref name="connectionId"/>: stop routing it.</summary>
    void RetireConnectionId(Connection connection, ConnectionId connectionId);

    /// <summary>
    /// The peer's stateless reset token for the connection ID we send to changed (RFC 9000 section 10.3.1): stateless
    /// resets carry random connection IDs, so the endpoint recognises them by token.
    /// </summary>
    void OnPeerResetTokenChanged(Connection connection, StatelessResetToken? previous, StatelessResetToken? current);

    /// <summary>The connection is gone: forget every route to it.</summary>
    void OnDrained(Connection connection);
}
