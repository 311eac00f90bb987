using System.Net;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// Describes one UDP datagram that <see cref="Connection.TryPollTransmit"/> wrote into the caller's buffer.
/// </summary>
/// <param name="Length">The datagram's bytes are the first <paramref name="Length"/> bytes of the buffer.</param>
/// <param name="Destination">
/// Where to send it. The connection owns this instance and reuses it for every datagram on the same path: read it,
/// never modify it.
/// </param>
/// <param name="Ecn">The ECN codepoint to set in the IP header (always Not-ECT for now).</param>
/// <param name="ContainsClientHello">
/// True when the datagram carries the client's ClientHello in an Initial CRYPTO frame at offset 0: the first
/// send, every retransmission, and the one after a Retry. The AWG envelope sends its junk before exactly these.
/// </param>
public readonly record struct Transmit(int Length, SocketAddress Destination, EcnCodepoint Ecn, bool ContainsClientHello);
