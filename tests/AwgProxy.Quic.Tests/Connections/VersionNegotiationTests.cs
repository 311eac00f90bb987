using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Packets;
using AwgProxy.Quic.Tests.Simulation;

namespace AwgProxy.Quic.Tests.Connections;

public class VersionNegotiationTests
{
    private static byte[] VersionNegotiation(ReadOnlySpan<byte> destination, ReadOnlySpan<byte> source, params uint[] versions)
    {
        var buffer = new byte[VersionNegotiationPacket.GetLength(destination.Length, source.Length, versions.Length)];
        var writer = new SpanWriter(buffer);
        VersionNegotiationPacket.Write(ref writer, destination, source, versions, 0x15);
        return buffer;
    }

    /// <summary>Starts a client whose first flight never reaches the server, and returns its connection IDs.</summary>
    private static (Pair Pair, ConnectionId ClientSource, ConnectionId OriginalDestination) StartIsolatedClient()
    {
        var pair = new Pair(seed: 31);
        pair.ToServer.Filter = _ => false;
        pair.Connect();
        (ConnectionId destination, ConnectionId source) = PacketInspector.LongHeaderIds(pair.ToServer.Log[0].Payload);
        return (pair, source, destination);
    }

    [Fact]
    public void VersionNegotiationWithoutVersion1_ClosesTheClient()
    {
        (Pair pair, ConnectionId source, ConnectionId destination) = StartIsolatedClient();
        using (pair)
        {
            pair.ToClient.Send(pair.Now, new SimulatedDatagram(VersionNegotiation(source.AsSpan(), destination.AsSpan(), 0xff00001d, 0x6b3343cf), pair.ServerAddress, pair.ClientAddress, pair.Now, false));
            pair.Drive(() => pair.Client.State == ConnectionState.Closed, TimeSpan.FromSeconds(1), "The client giving up");

            Assert.Equal(ConnectionErrorKind.VersionNegotiation, pair.Client.Error!.Kind);
            Assert.Contains("0xff00001d", pair.Client.Error.Reason, StringComparison.Ordinal);
            Assert.Contains(pair.ClientEvents, e => e.Kind == ConnectionEventKind.ConnectionClosed);
            Assert.Equal(ConnectionEventKind.Drained, pair.ClientEvents[^1].Kind);
            Assert.Equal(0, pair.ClientEndpoint.ConnectionCount);
        }
    }

    [Fact]
    public void VersionNegotiationListingVersion1_IsIgnored()
    {
        (Pair pair, ConnectionId source, ConnectionId destination) = StartIsolatedClient();
        using (pair)
        {
            pair.ToClient.Send(pair.Now, new SimulatedDatagram(VersionNegotiation(source.AsSpan(), destination.AsSpan(), 0xff00001d, QuicVersion.Version1), pair.ServerAddress, pair.ClientAddress, pair.Now, false));
            pair.RunFor(TimeSpan.FromMilliseconds(100));

            Assert.Equal(ConnectionState.Handshaking, pair.Client.State);
            pair.ToServer.Filter = null;
            pair.DriveHandshake(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public void VersionNegotiationNotEchoingOurConnectionIds_IsIgnored()
    {
        (Pair pair, ConnectionId source, _) = StartIsolatedClient();
        using (pair)
        {
            pair.ToClient.Send(pair.Now, new SimulatedDatagram(VersionNegotiation(source.AsSpan(), [1, 2, 3, 4, 5, 6, 7, 8], 0xff00001d), pair.ServerAddress, pair.ClientAddress, pair.Now, false));
            pair.RunFor(TimeSpan.FromMilliseconds(100));

            Assert.Equal(ConnectionState.Handshaking, pair.Client.State);
        }
    }

    [Fact]
    public void VersionNegotiationAfterServerPackets_IsIgnored()
    {
        using var pair = new Pair(seed: 32);
        pair.DriveHandshake();
        (ConnectionId destination, ConnectionId source) = PacketInspector.LongHeaderIds(pair.ToServer.Log[0].Payload);
        pair.ToClient.Send(pair.Now, new SimulatedDatagram(VersionNegotiation(source.AsSpan(), destination.AsSpan(), 0xff00001d), pair.ServerAddress, pair.ClientAddress, pair.Now, false));
        pair.RunFor(TimeSpan.FromMilliseconds(100));

        Assert.Equal(ConnectionState.Connected, pair.Client.State);
    }

    [Fact]
    public void ServerEndpoint_AnswersUnknownVersionWithVersionNegotiation()
    {
        using var pair = new Pair(seed: 33);
        byte[] datagram = new byte[1200];
        datagram[0] = 0xc0;
        datagram[1] = 0x1a; datagram[2] = 0x2a; datagram[3] = 0x3a; datagram[4] = 0x4a;
        datagram[5] = 8;
        datagram.AsSpan(6, 8).Fill(0xdd);
        datagram[14] = 4;
        datagram.AsSpan(15, 4).Fill(0x55);
        var response = new byte[1500];

        EndpointReceiveResult result = pair.ServerEndpoint.HandleDatagram(pair.Now, pair.ClientAddress, datagram, EcnCodepoint.NotEct, response, out int length);

        Assert.Equal(EndpointResponseKind.VersionNegotiation, result.Response);
        Assert.True(PacketHeader.TryParse(response.AsSpan(0, length), 8, out PacketHeader header, out _));
        Assert.Equal(PacketType.VersionNegotiation, header.Type);
        Assert.True(header.ListsVersion(QuicVersion.Version1));
        Assert.True(header.DestinationConnectionId.SequenceEqual(new byte[] { 0x55, 0x55, 0x55, 0x55 }));
        Assert.True(header.SourceConnectionId.SequenceEqual(Enumerable.Repeat((byte)0xdd, 8).ToArray()));

        // Too small to be a client's first datagram: no answer (no amplification).
        result = pair.ServerEndpoint.HandleDatagram(pair.Now, pair.ClientAddress, datagram.AsSpan(0, 100), EcnCodepoint.NotEct, response, out _);
        Assert.Equal(EndpointDropReason.UnsupportedVersion, result.DropReason);
    }

    [Fact]
    public void SilentServerEndpoint_NeverAnswersUnknownVersions()
    {
        using var pair = new Pair(seed: 34, configureServerEndpoint: o => o.SendVersionNegotiation = false);
        byte[] datagram = new byte[1200];
        datagram[0] = 0xc0;
        datagram[1] = 0x1a;
        datagram[5] = 8;
        var response = new byte[1500];

        EndpointReceiveResult result = pair.ServerEndpoint.HandleDatagram(pair.Now, pair.ClientAddress, datagram, EcnCodepoint.NotEct, response, out int length);

        Assert.Equal(EndpointReceiveKind.Dropped, result.Kind);
        Assert.Equal(0, length);
    }
}
