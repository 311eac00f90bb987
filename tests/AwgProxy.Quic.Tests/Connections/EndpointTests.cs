using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;
using AwgProxy.Quic.Tests.Simulation;

namespace AwgProxy.Quic.Tests.Connections;

public class EndpointTests
{
    [Fact]
    public void ZeroLengthClientConnectionIds_HandshakeTransferKeyUpdateAndCloseWork()
    {
        using var pair = new Pair(seed: 91, configureClientEndpoint: o => o.LocalConnectionIdLength = 0);
        pair.DriveHandshake();

        Assert.Equal(0, pair.Client.LocalConnectionId.Length);
        Assert.Equal(0, pair.Server.RemoteConnectionId.Length);
        var transfers = new TransferSet(pair);
        transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(300_000, 1));
        transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(300_000, 2));
        pair.Client.ForceKeyUpdate();
        transfers.DriveToCompletion(TimeSpan.FromSeconds(10));
        foreach (StreamTransfer transfer in transfers.Transfers) transfer.AssertIntact();

        pair.Server.Close(pair.Now, 5, "done"u8);
        pair.Drive(() => pair.Client.State == ConnectionState.Closed && pair.Server.State == ConnectionState.Closed, TimeSpan.FromSeconds(5), "Both closed");
        Assert.Equal(5UL, pair.Client.Error!.Code);
        Assert.Equal(0, pair.ClientEndpoint.ConnectionCount);
    }

    [Fact]
    public void ServerIssuesConnectionIdsUpToThePeersLimit()
    {
        using var pair = new Pair(seed: 92);
        pair.DriveHandshake();
        pair.RunFor(TimeSpan.FromMilliseconds(100));

        // The client allows 4 (ActiveConnectionIdLimit default): the server keeps 4 routed.
        Assert.Equal(4, pair.Server.LocalConnectionIds.Count);
        Assert.Equal(4, pair.Client.LocalConnectionIds.Count);
        Assert.Equal(4, pair.Server.LocalConnectionIds.Distinct().Count());
    }

    [Fact]
    public void SmallClientInitial_IsDropped()
    {
        using var pair = new Pair(seed: 93);
        byte[] initial = SmallClientInitial([1, 2, 3, 4, 5, 6, 7, 8], [9, 9, 9, 9]);
        Assert.True(initial.Length < 1200);

        EndpointReceiveResult result = pair.ServerEndpoint.HandleDatagram(pair.Now, pair.ClientAddress, initial, EcnCodepoint.NotEct, new byte[1500], out _);

        Assert.Equal(EndpointDropReason.InitialTooSmall, result.DropReason);
        Assert.Equal(0, pair.ServerEndpoint.ConnectionCount);
    }

    /// <summary>A well-formed, correctly protected client Initial that is not padded to 1200 bytes.</summary>
    private static byte[] SmallClientInitial(byte[] destination, byte[] source)
    {
        var buffer = new byte[300];
        var writer = new SpanWriter(buffer);
        HeaderLayout layout = PacketHeaderWriter.WriteLongHeader(ref writer, PacketType.Initial, QuicVersion.Version1, destination, source, default, 0, 1);
        new CryptoFrame(0, new byte[100]).Write(ref writer);
        int end = writer.Position + 16;
        PacketHeaderWriter.PatchLength(buffer, layout, end);
        using var secrets = new InitialSecrets(destination);
        PacketProtection.Protect(buffer.AsSpan(0, end), layout.PacketNumberOffset, 1, 0, secrets.Client);
        return buffer[..end];
    }

    [Fact]
    public void UndecryptableInitial_CreatesNoConnection()
    {
        using var pair = new Pair(seed: 94);
        pair.ToServer.Rewrite = d =>
        {
            byte[] bytes = (byte[])d.Payload.Clone();
            bytes[^1] ^= 0xff;
            return d with { Payload = bytes };
        };
        pair.Connect();
        pair.RunFor(TimeSpan.FromMilliseconds(50));

        Assert.False(pair.HasServer);
        Assert.Equal(0, pair.ServerEndpoint.ConnectionCount);
        Assert.Equal(EndpointDropReason.InvalidInitial, pair.ServerResults[0].DropReason);
    }

    [Fact]
    public void AdmissionCallbackRefusal_DropsTheClient()
    {
        using var pair = new Pair(seed: 95, configureServerEndpoint: o => o.AdmitConnection = address => !address.Equals(TestPeers.ClientAddress));
        pair.Connect();
        pair.RunFor(TimeSpan.FromMilliseconds(50));

        Assert.False(pair.HasServer);
        Assert.Equal(EndpointDropReason.Refused, pair.ServerResults[0].DropReason);
        Assert.Equal(1, pair.ServerEndpoint.GetDropCount(EndpointDropReason.Refused));
    }

    [Fact]
    public void ConnectionLimit_DropsFurtherClients()
    {
        using var pair = new Pair(seed: 96, configureServerEndpoint: o => o.MaxConnections = 1);
        pair.DriveHandshake();
        Connection second = pair.ClientEndpoint.Connect(pair.Now, TestPeers.Client(7), pair.ServerAddress);
        var buffer = new byte[1500];
        Assert.True(second.TryPollTransmit(pair.Now, buffer, out Transmit transmit));

        EndpointReceiveResult result = pair.ServerEndpoint.HandleDatagram(pair.Now, TestPeers.Address("10.0.0.5", 1), buffer.AsSpan(0, transmit.Length), EcnCodepoint.NotEct, new byte[1500], out _);

        Assert.Equal(EndpointDropReason.ConnectionLimit, result.DropReason);
    }

    [Fact]
    public void ClientEndpoint_DropsClientInitials()
    {
        using var pair = new Pair(seed: 97);
        Connection client = pair.Connect();
        var buffer = new byte[1500];
        pair.Flush();
        byte[] initial = pair.ToServer.Log[0].Payload;

        EndpointReceiveResult result = pair.ClientEndpoint.HandleDatagram(pair.Now, TestPeers.Address("10.0.0.5", 1), (byte[])initial.Clone(), EcnCodepoint.NotEct, buffer, out _);

        Assert.Equal(EndpointDropReason.NotAServer, result.DropReason);
        Assert.Equal(ConnectionState.Handshaking, client.State);
    }

    [Fact]
    public void RetransmittedClientInitial_RoutesToTheSameConnection()
    {
        using var pair = new Pair(seed: 98);
        pair.Connect();
        byte[] initial = (byte[])pair.ToServer.Log[0].Payload.Clone();
        pair.DriveHandshake();
        var response = new byte[1500];

        EndpointReceiveResult result = pair.ServerEndpoint.HandleDatagram(pair.Now, pair.ClientAddress, initial, EcnCodepoint.NotEct, response, out _);

        // The client's original ID still routes to its connection, which ignores the stale Initial.
        Assert.Equal(EndpointReceiveKind.Routed, result.Kind);
        Assert.Same(pair.Server, result.Connection);
        Assert.Equal(1, pair.ServerEndpoint.ConnectionCount);
    }

    [Fact]
    public void Options_AreValidatedWithTheOffendingOptionNamed()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new Endpoint(new EndpointOptions { LocalConnectionIdLength = 2 }));
        Assert.Equal("LocalConnectionIdLength", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => new Endpoint(new EndpointOptions { LocalConnectionIdLength = 0, Server = TestPeers.Server() }));
        Assert.Equal("LocalConnectionIdLength", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => new Endpoint(new EndpointOptions { StaticKey = new byte[5] }));
        Assert.Equal("StaticKey", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => new Endpoint(new EndpointOptions { RequireRetry = true }));
        Assert.Equal("RequireRetry", error.ParamName);

        ServerConnectionOptions server = TestPeers.Server();
        server.MaxAckDelay = TimeSpan.FromSeconds(20);
        error = Assert.Throws<ArgumentException>(() => new Endpoint(new EndpointOptions { Server = server }));
        Assert.Equal("MaxAckDelay", error.ParamName);
        Assert.Contains("ServerConnectionOptions.MaxAckDelay", error.Message, StringComparison.Ordinal);

        using var endpoint = new Endpoint(new EndpointOptions());
        foreach ((Action<ClientConnectionOptions> change, string name) in new (Action<ClientConnectionOptions>, string)[]
        {
            (o => o.MaxDatagramSize = 1000, "MaxDatagramSize"),
            (o => o.ActiveConnectionIdLimit = 1, "ActiveConnectionIdLimit"),
            (o => o.AckDelayExponent = 21, "AckDelayExponent"),
            (o => o.IdleTimeout = TimeSpan.FromSeconds(-1), "IdleTimeout"),
            (o => o.MaxConnectionReceiveWindow = 1, "MaxConnectionReceiveWindow"),
            (o => o.KeyUpdateInterval = 0, "KeyUpdateInterval"),
            (o => o.KeepAliveInterval = TimeSpan.Zero, "KeepAliveInterval"),
            (o => o.StreamSendBufferSize = 0, "StreamSendBufferSize"),
            (o => o.Tls = null, "Tls"),
        })
        {
            ClientConnectionOptions options = TestPeers.Client();
            change(options);
            error = Assert.Throws<ArgumentException>(() => endpoint.Connect(Instant.Zero, options, TestPeers.ServerAddress));
            Assert.Equal(name, error.ParamName);
        }
    }

    [Fact]
    public void TlsOptionsErrors_SurfaceWhenTheServerEndpointIsCreated()
    {
        ServerConnectionOptions server = TestPeers.Server();
        server.Tls!.ServerCredential = null;

        Assert.Throws<ArgumentException>(() => new Endpoint(new EndpointOptions { Server = server }));
    }
}
