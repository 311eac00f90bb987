using System.Security.Cryptography;
using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Endpoints;

/// <summary>
/// A stateless Initial packet carrying CONNECTION_CLOSE, sent by a server that keeps no state for the client, e.g.
/// INVALID_TOKEN for a bad Retry token (RFC 9000 section 8.1.3). It is protected with the Initial keys the client
/// derived from its Destination Connection ID; not ack-eliciting, so it needs no padding.
/// </summary>
internal static class InitialClosePacket
{
    /// <summary>Writes the packet into <paramref name="destination"/>; returns its length, or 0 when it does not fit.</summary>
    /// <param name="destination">The response buffer.</param>
    /// <param name="clientDestination">The Destination Connection ID of the client's Initial (its keys derive from it).</param>
    /// <param name="clientSource">The client's Source Connection ID, our Destination Connection ID.</param>
    /// <param name="serverSource">A Source Connection ID for the packet.</param>
    /// <param name="error">The transport error.</param>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> clientDestination, ReadOnlySpan<byte> clientSource, ReadOnlySpan<byte> serverSource, TransportErrorCode error)
    {
        const int PacketNumberLength = 1;
        ConnectionCloseFrame frame = ConnectionCloseFrame.Transport(error, 0, default);
        int headerLength = PacketHeaderWriter.GetLongHeaderLength(PacketType.Initial, clientSource.Length, serverSource.Length, 0, PacketNumberLength);
        int payloadLength = Math.Max(frame.Length, 4);
        int length = headerLength + payloadLength + PacketKey.TagLength;
        if (destination.Length < length) return 0;

        Span<byte> clientSecret = stackalloc byte[InitialSecrets.SecretLength];
        Span<byte> serverSecret = stackalloc byte[InitialSecrets.SecretLength];
        try
        {
            InitialSecrets.Derive(clientDestination, clientSecret, serverSecret);
            using var keys = new DirectionKeys(InitialSecrets.Suite, serverSecret);
            Span<byte> packet = destination[..length];
            var writer = new SpanWriter(packet);
            HeaderLayout layout = PacketHeaderWriter.WriteLongHeader(ref writer, PacketType.Initial, QuicVersion.Version1, clientSource, serverSource, default, 0, PacketNumberLength);
            frame.Write(ref writer);
            writer.Fill(0, payloadLength - frame.Length);
            PacketHeaderWriter.PatchLength(packet, layout, length);
            PacketProtection.Protect(packet, layout.PacketNumberOffset, PacketNumberLength, 0, keys);
            return length;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clientSecret);
            CryptographicOperations.ZeroMemory(serverSecret);
        }
    }
}
