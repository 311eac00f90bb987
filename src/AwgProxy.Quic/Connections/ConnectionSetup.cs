using System.Net;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// The connection IDs and address a connection starts with, decided by the <see cref="Endpoint"/> (RFC 9000
/// section 7.2): see the figures of section 7.3 for the names C1, S1, S2, S3.
/// </summary>
/// <param name="Remote">The peer's address.</param>
/// <param name="LocalConnectionId">Our Source Connection ID (client C1, server S3).</param>
/// <param name="PeerConnectionId">
/// The Destination Connection ID to send with: client S1 (random, until the server chooses), server C1.
/// </param>
/// <param name="OriginalDestinationConnectionId">S1: the Destination Connection ID of the client's first Initial.</param>
/// <param name="InitialDestinationConnectionId">
/// The Destination Connection ID the client's Initial packets carry now, from which the Initial keys derive: S1,
/// or S2 after a Retry.
/// </param>
/// <param name="RetrySourceConnectionId">Server: S2 when the client came back with a valid Retry token.</param>
/// <param name="AddressValidated">Server: the client's address was validated by a Retry token.</param>
internal readonly record struct ConnectionSetup(
    SocketAddress Remote,
    ConnectionId LocalConnectionId,
    ConnectionId PeerConnectionId,
    ConnectionId OriginalDestinationConnectionId,
    ConnectionId InitialDestinationConnectionId,
    ConnectionId? RetrySourceConnectionId,
    bool AddressValidated);
