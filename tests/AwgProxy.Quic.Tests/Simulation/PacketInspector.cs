using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Tests.Simulation;

/// <summary>Reads what the connections put on the wire, the way an observer holding the Initial keys can.</summary>
internal static class PacketInspector
{
    /// <summary>The Destination and Source Connection IDs of a datagram's first (long header) packet.</summary>
    public static (ConnectionId Destination, ConnectionId Source) LongHeaderIds(byte[] datagram)
    {
        Assert.True(PacketHeader.TryParse(datagram, 8, out PacketHeader header, out _), "a long header packet");
        return (new ConnectionId(header.DestinationConnectionId), new ConnectionId(header.SourceConnectionId));
    }

    public static bool StartsWithLongHeader(byte[] datagram, PacketType type) =>
        PacketHeader.TryParse(datagram, 8, out PacketHeader header, out _) && header.Type == type;

    /// <summary>
    /// True when a client datagram holds an Initial packet whose CRYPTO frames include offset 0 (the ClientHello).
    /// <paramref name="initialKeyId"/> is the Destination Connection ID the Initial keys derive from.
    /// </summary>
    public static bool CarriesClientHello(byte[] datagram, ConnectionId initialKeyId)
    {
        byte[] copy = (byte[])datagram.Clone();
        Span<byte> rest = copy;
        while (!rest.IsEmpty && PacketHeader.TryParse(rest, 8, out PacketHeader header, out _))
        {
            int length = header.PacketLength;
            if (header.Type == PacketType.Initial && DecryptInitial(rest[..length], header.PacketNumberOffset, initialKeyId, client: true, out byte[] payload))
            {
                var reader = new FrameReader(payload, PacketType.Initial, receiverIsServer: true);
                while (reader.TryReadNext(out Frame frame))
                {
                    if (frame.Type == FrameType.Crypto && frame.Crypto.Offset == 0) return true;
                }
            }

            rest = rest[length..];
        }

        return false;
    }

    private static bool DecryptInitial(Span<byte> packet, int pnOffset, ConnectionId initialKeyId, bool client, out byte[] payload)
    {
        payload = [];
        using var secrets = new InitialSecrets(initialKeyId.AsSpan());
        DirectionKeys keys = client ? secrets.Client : secrets.Server;
        if (!PacketProtection.TryRemoveHeaderProtection(packet, pnOffset, keys.HeaderProtection, out uint truncated, out int pnLength)) return false;
        ulong pn = PacketNumber.Decode(null, truncated, pnLength);
        if (!PacketProtection.TryDecryptPayload(packet, pnOffset, pnLength, pn, keys.Current, out Span<byte> plaintext)) return false;
        payload = plaintext.ToArray();
        return true;
    }
}
