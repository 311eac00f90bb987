using System.Net;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic;

/// <summary>
/// The server's preferred_address transport parameter (RFC 9000 section 18.2). A family the server does
/// not offer is sent as an all-zero address and port (0.0.0.0:0 or [::]:0).
/// <code>
/// Preferred Address {
///   IPv4 Address (32),
///   IPv4 Port (16),
///   IPv6 Address (128),
///   IPv6 Port (16),
///   Connection ID Length (8),
///   Connection ID (..),
///   Stateless Reset Token (128),
/// }
/// </code>
/// </summary>
/// <param name="IPv4">The IPv4 address and port (0.0.0.0:0 if none).</param>
/// <param name="IPv6">The IPv6 address and port ([::]:0 if none).</param>
/// <param name="ConnectionId">A connection ID (sequence number 1) for the new address, 1 to 20 bytes.</param>
/// <param name="StatelessResetToken">The reset token of that connection ID.</param>
public sealed record PreferredAddress(IPEndPoint IPv4, IPEndPoint IPv6, ConnectionId ConnectionId, StatelessResetToken StatelessResetToken)
{
    /// <summary>The encoded length for a connection ID of <paramref name="connectionIdLength"/> bytes.</summary>
    public static int GetEncodedLength(int connectionIdLength) => 4 + 2 + 16 + 2 + 1 + connectionIdLength + Packets.StatelessResetToken.Length;
}
