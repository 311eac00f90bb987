using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Recovery;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Tests.Simulation;

namespace AwgProxy.Quic.Tests.Connections;

/// <summary>DPLPMTUD (RFC 8899) on the simulated link: the search, the path budget as the ceiling, black holes.</summary>
public class PathMtuTests
{
    [Fact]
    public void LinkCarriesTheConfiguredMaximum_SearchEndsThere()
    {
        using Pair pair = Start(configured: 1452, linkMtu: 1500);
        Transfer(pair, 512 * 1024);

        Assert.Equal(1452, pair.Server.GetStats().MaxDatagramSize);
        Assert.Equal(1452, pair.Client.GetStats().MaxDatagramSize);
    }

    [Theory]
    [InlineData(1300)]
    [InlineData(1400)]
    [InlineData(1451)]
    public void LinkMtuBelowTheConfiguredMaximum_SearchFindsItWithinTheGranularity(int linkMtu)
    {
        using Pair pair = Start(configured: 1500, linkMtu: linkMtu);
        Transfer(pair, 512 * 1024);
        pair.Drive(() => !pair.Server.PathMtu.IsSearching, TimeSpan.FromSeconds(30), "the end of the search");

        int found = pair.Server.GetStats().MaxDatagramSize;
        Assert.InRange(found, linkMtu - PathMtuDiscovery.SearchGranularity, linkMtu);
        Assert.All(pair.ToClient.Log, d => Assert.True(d.Payload.Length <= 1500));
    }

    [Fact]
    public void NoDatagramEverExceedsTheConfiguredBudget()
    {
        // The path's budget (the AWG envelope's, passed as MaxDatagramSize) is the ceiling even when the link carries more.
        using Pair pair = Start(configured: 1280, linkMtu: 9000);
        Transfer(pair, 256 * 1024);

        Assert.All(pair.ToClient.Log, d => Assert.True(d.Payload.Length <= 1280, $"{d.Payload.Length} bytes"));
        Assert.All(pair.ToServer.Log, d => Assert.True(d.Payload.Length <= 1280, $"{d.Payload.Length} bytes"));
        Assert.Equal(1280, pair.Server.GetStats().MaxDatagramSize);
    }

    [Fact]
    public void LinkOfExactly1200Bytes_CarriesEverythingAtTheFloor()
    {
        using Pair pair = Start(configured: 1452, linkMtu: 1200);
        Transfer(pair, 256 * 1024);

        Assert.Equal(PathMtuDiscovery.BasePlpmtu, pair.Server.GetStats().MaxDatagramSize);
        Assert.True(pair.Server.PathMtu.ProbesSent > 0);
    }

    [Fact]
    public void LargePacketsBlackholedMidTransfer_FallsBackTo1200_TransferCompletes_ThenFindsTheSizeAgain()
    {
        using Pair pair = Start(configured: 1452, linkMtu: 1500, raiseInterval: TimeSpan.FromSeconds(5));
        pair.ToClient.BandwidthBytesPerSecond = 2_000_000;
        var transfers = new TransferSet(pair);
        StreamTransfer transfer = transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(4 << 20, 9), StreamDirection.Unidirectional);
        pair.Drive(() => pair.Server.GetStats().MaxDatagramSize == 1452, TimeSpan.FromSeconds(5), "the first search");

        // A route change: datagrams over 1250 bytes vanish for three seconds.
        Instant from = pair.Now;
        Instant to = from + TimeSpan.FromSeconds(3);
        pair.ToClient.Filter = d => d.Payload.Length <= 1250 || d.SentAt >= to;
        pair.Drive(() => pair.Server.GetStats().MaxDatagramSize == PathMtuDiscovery.BasePlpmtu, TimeSpan.FromSeconds(3), "black hole detection");
        Assert.Equal(1, pair.Server.PathMtu.BlackHolesDetected);

        transfers.DriveToCompletion(TimeSpan.FromSeconds(60));
        transfer.AssertIntact();

        // After the raise interval the larger size is found again.
        pair.Drive(() => pair.Server.GetStats().MaxDatagramSize == 1452, TimeSpan.FromSeconds(20), "the search after the raise interval");
    }

    [Fact]
    public void DiscoveryDisabled_ConfiguredSizeUsedOnceTheHandshakeIsConfirmed()
    {
        using Pair pair = Start(configured: 1400, linkMtu: 1500, discovery: false);
        Transfer(pair, 128 * 1024);

        Assert.Equal(1400, pair.Server.GetStats().MaxDatagramSize);
        Assert.Equal(0, pair.Server.PathMtu.ProbesSent);
    }

    private static Pair Start(int configured, int linkMtu, bool discovery = true, TimeSpan? raiseInterval = null)
    {
        ClientConnectionOptions client = TestPeers.Client(5);
        ServerConnectionOptions server = TestPeers.Server(6);
        foreach (ConnectionOptions options in new ConnectionOptions[] { client, server })
        {
            options.MaxDatagramSize = configured;
            options.EnablePathMtuDiscovery = discovery;
            if (raiseInterval is { } interval) options.PathMtuRaiseInterval = interval;
        }

        var pair = new Pair(seed: 5, client, server);
        pair.ToServer.MaxDatagramSize = linkMtu;
        pair.ToClient.MaxDatagramSize = linkMtu;
        pair.DriveHandshake();
        return pair;
    }

    private static void Transfer(Pair pair, int bytes)
    {
        var transfers = new TransferSet(pair);
        StreamTransfer transfer = transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(bytes, 3), StreamDirection.Unidirectional);
        transfers.DriveToCompletion(TimeSpan.FromSeconds(60));
        transfer.AssertIntact();
    }
}
