using System.Net;
using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Packets;
using AwgProxy.Quic.Recovery;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Tests.Simulation;

namespace AwgProxy.Quic.Tests.Connections;

/// <summary>
/// Paths that change (RFC 9000 sections 8.2, 9 and 10.3): NAT rebinding and client migration followed by the server,
/// active migration by the client, connection ID rotation, congestion state per path, going back after a failed
/// validation, stateless resets seen by either side and their rate limit, dead-path detection.
/// </summary>
public class PathChangeTests
{
    private static (Pair Pair, TransferSet Transfers, StreamTransfer Up, StreamTransfer Down) StartTransfers(int seed, int bytes = 2 << 20)
    {
        var pair = new Pair(seed: seed);
        pair.ToServer.BandwidthBytesPerSecond = 2_500_000;
        pair.ToClient.BandwidthBytesPerSecond = 2_500_000;
        pair.DriveHandshake();
        var transfers = new TransferSet(pair);
        StreamTransfer up = transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(bytes, 1));
        StreamTransfer down = transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(bytes, 2));
        pair.Drive(() => up.BytesReceived > 200_000 && down.BytesReceived > 200_000, TimeSpan.FromSeconds(10), "Transfers under way");
        return (pair, transfers, up, down);
    }

    [Fact]
    public void PeerMovesToAnotherIpAddress_ServerResetsCongestionStateAndRotatesConnectionId()
    {
        (Pair pair, TransferSet transfers, StreamTransfer up, StreamTransfer down) = StartTransfers(101);
        using (pair)
        {
            ICongestionController before = pair.Server.CongestionControllerForTests;
            ConnectionId idBefore = pair.Server.RemoteConnectionId;
            SocketAddress moved = TestPeers.Address("192.0.2.7", 50000);
            pair.ClientAddress = moved;
            pair.Drive(() => pair.Server.RemoteAddress.Equals(moved), TimeSpan.FromSeconds(5), "The server following the client");

            Assert.NotSame(before, pair.Server.CongestionControllerForTests);
            Assert.NotEqual(idBefore, pair.Server.RemoteConnectionId);
            Assert.Equal(1, pair.Server.GetStats().PeerConnectionIdRotations);
            pair.Drive(() => pair.Server.GetStats().PathMigrations == 1, TimeSpan.FromSeconds(5), "Validation of the new address");

            transfers.DriveToCompletion(TimeSpan.FromSeconds(30));
            up.AssertIntact();
            down.AssertIntact();

            // Everything the server sent to the new address used the new connection ID.
            int headerLength = 1 + idBefore.Length;
            foreach (SimulatedDatagram datagram in pair.ToClient.Log.Where(d => d.Destination.Equals(moved)))
            {
                Assert.False(datagram.Payload.AsSpan(1, idBefore.Length).SequenceEqual(idBefore.AsSpan()), "a datagram to the new address reused the old connection ID");
                Assert.True(datagram.Payload.Length > headerLength);
            }
        }
    }

    [Fact]
    public void PeerMovesToAnotherIpAddress_PathMtuAndEcnAreCheckedAgainOnTheNewPath()
    {
        ClientConnectionOptions client = TestPeers.Client(107);
        ServerConnectionOptions server = TestPeers.Server(1107);
        client.EnableEcn = server.EnableEcn = true;
        using var pair = new Pair(107, client, server);
        pair.DriveHandshake();
        var transfers = new TransferSet(pair);
        StreamTransfer down = transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(2 << 20, 4));
        pair.Drive(
            () => pair.Server.GetStats().MaxDatagramSize == 1452 && pair.Server.EcnState == EcnState.Capable,
            TimeSpan.FromSeconds(10),
            "the first path's MTU found and ECN validated");
        int probesBefore = pair.Server.PathMtu.ProbesSent;

        // The client's address changes (another network): the new path's MTU and ECN are unknown.
        SocketAddress moved = TestPeers.Address("192.0.2.9", 40000);
        pair.ClientAddress = moved;
        pair.Drive(() => pair.Server.RemoteAddress.Equals(moved), TimeSpan.FromSeconds(5), "the server following the client");

        Assert.Equal(PathMtuDiscovery.BasePlpmtu, pair.Server.GetStats().MaxDatagramSize);
        Assert.Equal(EcnState.Testing, pair.Server.EcnState);

        // Both are established again on the new path, and the transfer completes.
        pair.Drive(
            () => pair.Server.GetStats().MaxDatagramSize == 1452 && pair.Server.EcnState == EcnState.Capable,
            TimeSpan.FromSeconds(10),
            "the new path's MTU found and ECN validated");
        Assert.True(pair.Server.PathMtu.ProbesSent > probesBefore);
        transfers.DriveToCompletion(TimeSpan.FromSeconds(30));
        down.AssertIntact();
    }

    [Fact]
    public void PeerPortOnlyChange_KeepsCongestionState()
    {
        (Pair pair, TransferSet transfers, StreamTransfer up, StreamTransfer down) = StartTransfers(102);
        using (pair)
        {
            ICongestionController before = pair.Server.CongestionControllerForTests;
            int datagramSize = pair.Server.GetStats().MaxDatagramSize;
            SocketAddress rebound = TestPeers.Address("10.0.0.1", 40123);
            pair.ClientAddress = rebound;
            pair.Drive(() => pair.Server.GetStats().PathMigrations == 1, TimeSpan.FromSeconds(5), "Validation of the new port");

            // Same network path (a NAT gave another port): congestion state and path MTU stay.
            Assert.Same(before, pair.Server.CongestionControllerForTests);
            Assert.Equal(datagramSize, pair.Server.GetStats().MaxDatagramSize);
            transfers.DriveToCompletion(TimeSpan.FromSeconds(30));
            up.AssertIntact();
            down.AssertIntact();
        }
    }

    [Fact]
    public void PathChallengeAndResponse_ArePaddedTo1200Bytes()
    {
        (Pair pair, TransferSet transfers, StreamTransfer up, StreamTransfer down) = StartTransfers(103, bytes: 512 << 10);
        using (pair)
        {
            SocketAddress moved = TestPeers.Address("192.0.2.8", 50001);
            pair.ClientAddress = moved;
            Assert.Equal(MigrationStatus.Started, pair.Client.MigrateLocalAddress(pair.Now, onlyPortChanged: false));
            int fromClient = pair.ToServer.Log.Count;
            int fromServer = pair.ToClient.Log.Count;
            pair.Drive(() => pair.Server.GetStats().PathMigrations == 1 && pair.Client.GetStats().PathMigrations == 1, TimeSpan.FromSeconds(5), "Both validations");

            // The client's first datagram from its new address carries its PATH_CHALLENGE; the server's first ones to
            // it carry PATH_RESPONSE and PATH_CHALLENGE (the client's datagram of 1200 bytes allows 3600 in return).
            Assert.True(pair.ToServer.Log[fromClient].Payload.Length >= Connection.MinimumMaxDatagramSize);
            Assert.True(pair.ToClient.Log.Skip(fromServer).First(d => d.Destination.Equals(moved)).Payload.Length >= Connection.MinimumMaxDatagramSize);
            transfers.DriveToCompletion(TimeSpan.FromSeconds(30));
            up.AssertIntact();
            down.AssertIntact();
        }
    }

    [Fact]
    public void ClientActiveMigration_MidTransfer_UsesFreshConnectionIdsBothWaysAndTransferCompletes()
    {
        (Pair pair, TransferSet transfers, StreamTransfer up, StreamTransfer down) = StartTransfers(104);
        using (pair)
        {
            ConnectionId clientSendsTo = pair.Client.RemoteConnectionId;
            ConnectionId serverSendsTo = pair.Server.RemoteConnectionId;
            ICongestionController clientController = pair.Client.CongestionControllerForTests;

            SocketAddress moved = TestPeers.Address("198.51.100.4", 61000);
            pair.ClientAddress = moved;
            Assert.Equal(MigrationStatus.Started, pair.Client.MigrateLocalAddress(pair.Now, onlyPortChanged: false));
            Assert.NotEqual(clientSendsTo, pair.Client.RemoteConnectionId);
            Assert.NotSame(clientController, pair.Client.CongestionControllerForTests);

            pair.Drive(() => pair.Server.GetStats().PathMigrations == 1 && pair.Client.GetStats().PathMigrations == 1, TimeSpan.FromSeconds(5), "Both validations");
            Assert.Equal(moved, pair.Server.RemoteAddress);
            Assert.NotEqual(serverSendsTo, pair.Server.RemoteConnectionId);

            transfers.DriveToCompletion(TimeSpan.FromSeconds(30));
            up.AssertIntact();
            down.AssertIntact();
            Assert.Equal(ConnectionState.Connected, pair.Client.State);
            Assert.Equal(0, pair.Client.GetStats().PathValidationFailures);
        }
    }

    [Fact]
    public void ClientActiveMigration_PortOnly_KeepsItsCongestionState()
    {
        (Pair pair, TransferSet transfers, StreamTransfer up, StreamTransfer down) = StartTransfers(105, bytes: 512 << 10);
        using (pair)
        {
            ICongestionController controller = pair.Client.CongestionControllerForTests;
            pair.ClientAddress = TestPeers.Address("10.0.0.1", 40001);
            Assert.Equal(MigrationStatus.Started, pair.Client.MigrateLocalAddress(pair.Now, onlyPortChanged: true));
            Assert.Same(controller, pair.Client.CongestionControllerForTests);
            transfers.DriveToCompletion(TimeSpan.FromSeconds(30));
            up.AssertIntact();
            down.AssertIntact();
        }
    }

    [Fact]
    public void ClientActiveMigration_RefusedBeforeConfirmationAndWithoutSpareConnectionId()
    {
        var client = TestPeers.Client(106);
        client.ActiveConnectionIdLimit = 2;
        using var pair = new Pair(seed: 106, client: client);
        pair.Connect();
        Assert.Equal(MigrationStatus.NotConnected, pair.Client.MigrateLocalAddress(pair.Now, onlyPortChanged: false));
        pair.DriveHandshake();

        // With a limit of two the server gives one spare connection ID: one migration, then none until it sends another.
        Assert.Equal(MigrationStatus.Started, pair.Client.MigrateLocalAddress(pair.Now, onlyPortChanged: false));
        ConnectionId current = pair.Client.RemoteConnectionId;
        Assert.Equal(MigrationStatus.NoConnectionIdAvailable, pair.Client.MigrateLocalAddress(pair.Now, onlyPortChanged: false));
        Assert.Equal(current, pair.Client.RemoteConnectionId);

        // The retirement reaches the server, which issues a replacement: migrating is possible again.
        pair.RunFor(TimeSpan.FromMilliseconds(200));
        Assert.Equal(MigrationStatus.Started, pair.Client.MigrateLocalAddress(pair.Now, onlyPortChanged: false));
        Assert.Throws<InvalidOperationException>(() => pair.Server.MigrateLocalAddress(pair.Now, onlyPortChanged: false));
    }

    [Fact]
    public void ClientActiveMigration_RefusedWhenTheServerDisablesIt()
    {
        var server = TestPeers.Server(1107);
        server.DisableActiveMigration = true;
        using var pair = new Pair(seed: 107, server: server);
        pair.DriveHandshake();
        ConnectionId current = pair.Client.RemoteConnectionId;

        Assert.Equal(MigrationStatus.DisabledByPeer, pair.Client.MigrateLocalAddress(pair.Now, onlyPortChanged: false));
        Assert.Equal(current, pair.Client.RemoteConnectionId);
    }

    [Fact]
    public void SpoofedMove_ValidationFails_ServerReturnsToTheOldPathWithItsCongestionState()
    {
        using var pair = new Pair(seed: 108);
        pair.DriveHandshake();
        var transfers = new TransferSet(pair);
        StreamTransfer down = transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(1 << 20, 3));
        pair.Drive(() => down.BytesReceived > 100_000, TimeSpan.FromSeconds(10), "Transfer under way");
        SocketAddress home = pair.ClientAddress;
        ICongestionController homeController = pair.Server.CongestionControllerForTests;

        // An on-path attacker forwards one of the client's datagrams from another address (RFC 9000 section 9.3.3),
        // and the client stays silent for a while: nobody at the new address answers the server's PATH_CHALLENGE.
        SocketAddress spoofed = TestPeers.Address("203.0.113.9", 4444);
        bool rewritten = false;
        pair.ToServer.Rewrite = d =>
        {
            if (rewritten) return d;
            rewritten = true;
            return d with { Source = spoofed };
        };
        pair.Client.TrySendDatagram([1, 2, 3]);
        pair.Flush();
        pair.ClientSends = false;
        pair.Drive(() => pair.Server.RemoteAddress.Equals(spoofed), TimeSpan.FromSeconds(1), "The server following the forwarded datagram");
        Assert.NotSame(homeController, pair.Server.CongestionControllerForTests);

        pair.Drive(() => pair.Server.GetStats().PathValidationFailures == 1, TimeSpan.FromSeconds(10), "The validation giving up");
        Assert.Equal(home, pair.Server.RemoteAddress);
        Assert.Same(homeController, pair.Server.CongestionControllerForTests);
        Assert.Equal(0, pair.Server.GetStats().PathMigrations);

        pair.ClientSends = true;
        transfers.DriveToCompletion(TimeSpan.FromSeconds(30));
        down.AssertIntact();
    }

    [Fact]
    public void PeerReturnsToTheOldAddressBeforeValidation_ServerGoesBackAtOnceWithItsCongestionState()
    {
        (Pair pair, TransferSet transfers, StreamTransfer up, StreamTransfer down) = StartTransfers(112, bytes: 1 << 20);
        using (pair)
        {
            ICongestionController home = pair.Server.CongestionControllerForTests;
            SocketAddress homeAddress = pair.ClientAddress;
            SocketAddress away = TestPeers.Address("192.0.2.55", 50055);
            pair.ClientAddress = away;
            pair.Drive(() => pair.Server.RemoteAddress.Equals(away), TimeSpan.FromSeconds(2), "The server following the client away");
            Assert.NotSame(home, pair.Server.CongestionControllerForTests);

            // Back before the server's PATH_CHALLENGE could be answered: newer packets from the validated address.
            pair.ClientAddress = homeAddress;
            pair.Drive(() => pair.Server.RemoteAddress.Equals(homeAddress), TimeSpan.FromSeconds(2), "The server following the client home");
            Assert.Same(home, pair.Server.CongestionControllerForTests);
            Assert.Equal(0, pair.Server.GetStats().PathMigrations);

            transfers.DriveToCompletion(TimeSpan.FromSeconds(30));
            up.AssertIntact();
            down.AssertIntact();
        }
    }

    [Fact]
    public void ServerRecognisesTheClientsStatelessReset_AfterItMovedToAConnectionIdWithAToken()
    {
        using var pair = new Pair(seed: 109);
        pair.DriveHandshake();

        // A rebinding makes the server use a connection ID the client issued with NEW_CONNECTION_ID (with a token).
        pair.ClientAddress = TestPeers.Address("10.0.0.1", 40500);
        Assert.True(pair.Client.TryOpenStream(StreamDirection.Bidirectional, out ulong stream));
        pair.Client.StreamWrite(stream, new byte[100]);
        pair.Drive(() => pair.Server.GetStats().PathMigrations == 1, TimeSpan.FromSeconds(5), "Validation of the new port");

        // The client loses its state; the server's next packet is answered with a stateless reset.
        Connection client = pair.Client;
        pair.ClientEndpoint.Forget(client);
        pair.ClientSends = false;
        ulong serverStream = stream;
        pair.Server.StreamWrite(serverStream, new byte[100]);
        pair.Drive(() => pair.Server.Error is not null, TimeSpan.FromSeconds(3), "The server recognising the reset");

        Assert.Equal(ConnectionErrorKind.StatelessReset, pair.Server.Error!.Kind);
        Assert.False(pair.Server.Error.IsLocal);
        Assert.Contains(pair.ClientResults, r => r.Response == EndpointResponseKind.StatelessReset);
        client.Dispose();
    }

    [Fact]
    public void StatelessResets_AreRateLimited()
    {
        using var pair = new Pair(seed: 110, configureServerEndpoint: o => o.MaxStatelessResetsPerSecond = 3);
        var response = new byte[2048];
        int Answered(int count)
        {
            int answered = 0;
            for (int i = 0; i < count; i++)
            {
                var datagram = new byte[100];
                new Random(i).NextBytes(datagram);
                datagram[0] = 0x41;
                EndpointReceiveResult result = pair.ServerEndpoint.HandleDatagram(pair.Now, pair.ClientAddress, datagram, EcnCodepoint.NotEct, response, out _);
                if (result.Kind == EndpointReceiveKind.Response) answered++;
                else Assert.Equal(EndpointDropReason.StatelessResetRateLimited, result.DropReason);
            }

            return answered;
        }

        Assert.Equal(3, Answered(10));
        Assert.Equal(7, pair.ServerEndpoint.GetDropCount(EndpointDropReason.StatelessResetRateLimited));
        pair.RunFor(TimeSpan.FromMilliseconds(340));
        Assert.Equal(1, Answered(5));
        pair.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal(3, Answered(5));
    }

    [Fact]
    public void Blackhole_ClosesWithPathDeadWithinTheDeadPathTimeout_LongBeforeTheIdleTimeout()
    {
        var client = TestPeers.Client(111);
        client.KeepAliveInterval = TimeSpan.FromSeconds(1);
        client.DeadPathTimeout = TimeSpan.FromSeconds(3);
        client.IdleTimeout = TimeSpan.FromSeconds(60);
        using var pair = new Pair(seed: 111, client: client);
        pair.DriveHandshake();
        pair.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal(ConnectionState.Connected, pair.Client.State);

        Instant start = pair.Now;
        pair.ToServer.AddBlackhole(start, TimeSpan.FromMinutes(10));
        pair.ToClient.AddBlackhole(start, TimeSpan.FromMinutes(10));
        pair.Drive(() => pair.Client.Error is not null, TimeSpan.FromSeconds(30), "Dead-path detection");

        Assert.Equal(ConnectionErrorKind.PathDead, pair.Client.Error!.Kind);
        Assert.True(pair.Client.Error.IsLocal);

        // Detection within the timeout after the first unanswered PING (sent within one keep-alive interval), well
        // before the 60 s idle timeout.
        Assert.True(pair.Now - start <= TimeSpan.FromSeconds(1 + 3 + 1), $"detected after {(pair.Now - start).TotalSeconds:0.0} s");
    }
}

/// <summary>
/// Seeded runs of path changes under loss and reordering: NAT rebindings (port only or a new IP address) and client
/// migrations at random moments of a two-way transfer. Every run ends with both payloads intact.
/// </summary>
public class PathChangeSeedTests
{
    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (int seed = 1; seed <= 48; seed++) seeds.Add(seed);
        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomPathChangesUnderLoss_TransfersCompleteIntact(int seed)
    {
        var random = new Random(seed);

        // A client whose NAT rebinds while only the server sends is unreachable until it sends again: the keep-alive
        // reveals its new address (without it the server's dead-path detection would end the connection).
        ClientConnectionOptions client = TestPeers.Client(500 + seed);
        client.KeepAliveInterval = TimeSpan.FromMilliseconds(500);
        using var pair = new Pair(seed: 500 + seed, client: client);
        foreach (SimulatedLink link in new[] { pair.ToServer, pair.ToClient })
        {
            link.LossRate = 0.02;
            link.ReorderRate = 0.02;
            link.BandwidthBytesPerSecond = 4_000_000;
            link.KeepLog = false;
        }

        pair.DriveHandshake();
        var transfers = new TransferSet(pair);
        StreamTransfer up = transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(384 << 10, seed));
        StreamTransfer down = transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(384 << 10, seed + 1));

        int changes = 1 + random.Next(3);
        for (int i = 0; i < changes && !transfers.AllComplete; i++)
        {
            pair.RunFor(TimeSpan.FromMilliseconds(20 + random.Next(150)));
            int port = 41000 + (seed * 10) + i;
            switch (random.Next(3))
            {
                case 0:
                    pair.ClientAddress = TestPeers.Address("10.0.0.1", port);
                    break;
                case 1:
                    pair.ClientAddress = TestPeers.Address($"172.16.{seed}.{i + 1}", port);
                    break;
                default:
                    SocketAddress moved = TestPeers.Address($"192.168.{seed}.{i + 1}", port);
                    MigrationStatus status = pair.Client.MigrateLocalAddress(pair.Now, onlyPortChanged: false);
                    Assert.True(status is MigrationStatus.Started or MigrationStatus.NoConnectionIdAvailable, status.ToString());
                    if (status == MigrationStatus.Started) pair.ClientAddress = moved;
                    break;
            }
        }

        transfers.DriveToCompletion(TimeSpan.FromSeconds(60));
        up.AssertIntact();
        down.AssertIntact();
        pair.Drive(() => pair.Server.RemoteAddress.Equals(pair.ClientAddress), TimeSpan.FromSeconds(5), "The server at the client's last address");
        Assert.Equal(ConnectionState.Connected, pair.Client.State);
        Assert.Equal(ConnectionState.Connected, pair.Server.State);
    }
}
