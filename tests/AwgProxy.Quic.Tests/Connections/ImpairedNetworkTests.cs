using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tests.Simulation;

namespace AwgProxy.Quic.Tests.Connections;

/// <summary>Whole connections over many seeds of combined loss, delay, reordering, duplication and rate limits.</summary>
public class ImpairedNetworkTests
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 1; seed <= 12; seed++) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void CombinedImpairments_HandshakeTransfersAndCloseComplete(int seed)
    {
        var random = new Random(seed);
        using var pair = new Pair(seed: 500 + seed, configureServerEndpoint: o => o.RequireRetry = seed % 3 == 0);
        foreach (SimulatedLink link in new[] { pair.ToServer, pair.ToClient })
        {
            link.Delay = TimeSpan.FromMilliseconds(random.Next(1, 80));
            link.LossRate = random.NextDouble() * 0.08;
            link.ReorderRate = random.NextDouble() * 0.1;
            link.DuplicateRate = random.NextDouble() * 0.05;
            link.BandwidthBytesPerSecond = random.Next(2) == 0 ? 0 : random.Next(500_000, 5_000_000);
        }

        pair.DriveHandshake(TimeSpan.FromSeconds(60));
        var transfers = new TransferSet(pair);
        for (int i = 0; i < 3; i++)
        {
            transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(random.Next(1, 300_000), seed * 10 + i));
            transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(random.Next(1, 300_000), seed * 20 + i));
        }

        if (seed % 2 == 0) pair.Client.ForceKeyUpdate();
        transfers.DriveToCompletion(TimeSpan.FromSeconds(300));
        foreach (StreamTransfer transfer in transfers.Transfers) transfer.AssertIntact();

        pair.Client.Close(pair.Now, 0, default);
        pair.Drive(() => pair.Client.State == ConnectionState.Closed && pair.Server.State == ConnectionState.Closed, TimeSpan.FromSeconds(120), "Both sides closed");
        Assert.Equal(0, pair.ClientEndpoint.ConnectionCount);
        Assert.Equal(0, pair.ServerEndpoint.ConnectionCount);
    }

    [Theory]
    [InlineData(CipherSuite.TLS_AES_256_GCM_SHA384)]
    [InlineData(CipherSuite.TLS_CHACHA20_POLY1305_SHA256)]
    public void EveryCipherSuite_CarriesATransferAndAKeyUpdate(CipherSuite suite)
    {
        Assert.True(suite.IsSupported(), $"{suite} is not available on this platform");
        ServerConnectionOptions server = TestPeers.Server();
        server.Tls!.CipherSuites = [suite];
        using var pair = new Pair(seed: 600 + (int)suite, server: server);
        pair.DriveHandshake();
        Assert.Equal(suite, pair.Client.TlsSession.CipherSuite);
        var transfers = new TransferSet(pair);
        transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(500_000, 1));
        transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(500_000, 2));
        pair.Server.ForceKeyUpdate();

        transfers.DriveToCompletion(TimeSpan.FromSeconds(30));

        foreach (StreamTransfer transfer in transfers.Transfers) transfer.AssertIntact();
        Assert.Equal(1, pair.Client.GetStats().KeyUpdates);
    }
}
