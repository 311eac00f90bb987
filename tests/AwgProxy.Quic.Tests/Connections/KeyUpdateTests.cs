using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Tests.Simulation;

namespace AwgProxy.Quic.Tests.Connections;

public class KeyUpdateTests
{
    private static (Pair Pair, TransferSet Transfers) StartTransfer(int seed, ClientConnectionOptions? client = null, int size = 4 << 20)
    {
        var pair = new Pair(seed: seed, client: client);
        pair.ToServer.BandwidthBytesPerSecond = 2_500_000;
        pair.ToClient.BandwidthBytesPerSecond = 2_500_000;
        pair.DriveHandshake();
        var transfers = new TransferSet(pair);
        transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(size, seed));
        transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(size, seed + 1));
        pair.Drive(() => transfers.Transfers.All(t => t.BytesReceived > 100_000), TimeSpan.FromSeconds(10), "Transfers under way");
        return (pair, transfers);
    }

    [Fact]
    public void ClientForcedKeyUpdate_MidTransfer_TransferIntact()
    {
        (Pair pair, TransferSet transfers) = StartTransfer(71);
        using (pair)
        {
            pair.Client.ForceKeyUpdate();
            pair.Drive(() => pair.Client.GetStats().KeyUpdates == 1 && pair.Server.GetStats().KeyUpdates == 1, TimeSpan.FromSeconds(5), "The key update");

            transfers.DriveToCompletion(TimeSpan.FromSeconds(60));
            foreach (StreamTransfer transfer in transfers.Transfers) transfer.AssertIntact();
            Assert.Equal(0, pair.Client.GetStats().DecryptionFailures);
            Assert.Equal(0, pair.Server.GetStats().DecryptionFailures);
        }
    }

    [Fact]
    public void ServerForcedKeyUpdate_MidTransfer_TransferIntact()
    {
        (Pair pair, TransferSet transfers) = StartTransfer(72);
        using (pair)
        {
            pair.Server.ForceKeyUpdate();
            pair.Drive(() => pair.Client.GetStats().KeyUpdates == 1 && pair.Server.GetStats().KeyUpdates == 1, TimeSpan.FromSeconds(5), "The key update");

            transfers.DriveToCompletion(TimeSpan.FromSeconds(60));
            foreach (StreamTransfer transfer in transfers.Transfers) transfer.AssertIntact();
        }
    }

    [Fact]
    public void SeveralKeyUpdatesInARow_FromBothSides_TransferIntact()
    {
        (Pair pair, TransferSet transfers) = StartTransfer(73, size: 8 << 20);
        using (pair)
        {
            for (int i = 1; i <= 6; i++)
            {
                Connection initiator = i % 2 == 0 ? pair.Server : pair.Client;
                initiator.ForceKeyUpdate();
                int expected = i;
                pair.Drive(() => pair.Client.GetStats().KeyUpdates == expected && pair.Server.GetStats().KeyUpdates == expected, TimeSpan.FromSeconds(5), $"Key update {i}");
            }

            transfers.DriveToCompletion(TimeSpan.FromSeconds(60));
            foreach (StreamTransfer transfer in transfers.Transfers) transfer.AssertIntact();
        }
    }

    [Fact]
    public void KeyUpdateInterval_UpdatesAutomatically()
    {
        ClientConnectionOptions client = TestPeers.Client();
        client.KeyUpdateInterval = 200;
        (Pair pair, TransferSet transfers) = StartTransfer(74, client, size: 6 << 20);
        using (pair)
        {
            transfers.DriveToCompletion(TimeSpan.FromSeconds(60));

            foreach (StreamTransfer transfer in transfers.Transfers) transfer.AssertIntact();
            Assert.True(pair.Client.GetStats().KeyUpdates >= 4, $"{pair.Client.GetStats().KeyUpdates} key updates");
            Assert.Equal(pair.Client.GetStats().KeyUpdates, pair.Server.GetStats().KeyUpdates);
        }
    }

    [Fact]
    public void KeyUpdateUnderLossAndReordering_TransferIntact()
    {
        using var pair = new Pair(seed: 75);
        pair.ToServer.LossRate = 0.03;
        pair.ToClient.LossRate = 0.03;
        pair.ToServer.ReorderRate = 0.1;
        pair.ToClient.ReorderRate = 0.1;
        pair.ToServer.BandwidthBytesPerSecond = 2_500_000;
        pair.ToClient.BandwidthBytesPerSecond = 2_500_000;
        pair.DriveHandshake(TimeSpan.FromSeconds(20));
        var transfers = new TransferSet(pair);
        transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(1 << 20, 1));
        transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(1 << 20, 2));
        int round = 0;
        pair.OnStep += () =>
        {
            // Ask for an update every so often, alternating sides.
            if (pair.Steps / 500 > round)
            {
                round++;
                (round % 2 == 0 ? pair.Server : pair.Client).ForceKeyUpdate();
            }
        };

        transfers.DriveToCompletion(TimeSpan.FromSeconds(120));

        foreach (StreamTransfer transfer in transfers.Transfers) transfer.AssertIntact();
        Assert.True(pair.Client.GetStats().KeyUpdates >= 2);
    }

    [Fact]
    public void PeerUpdatingTwiceWithoutAwaitingAcknowledgment_IsKeyUpdateError()
    {
        using var pair = new Pair(seed: 76);
        pair.DriveHandshake();
        Assert.True(pair.Client.TryOpenStream(StreamDirection.Unidirectional, out ulong id));

        // Two packets, each under a newer key, reach the server before it could acknowledge the first.
        pair.Client.UpdateSendKeysUnchecked();
        pair.Client.StreamWrite(id, new byte[10]);
        pair.Flush();
        pair.Client.UpdateSendKeysUnchecked();
        pair.Client.StreamWrite(id, new byte[10]);
        pair.Flush();
        pair.Drive(() => pair.Server.Error is not null, TimeSpan.FromSeconds(1), "The server's verdict");

        Assert.Equal(TransportErrorCode.KEY_UPDATE_ERROR, pair.Server.Error!.TransportErrorCode);
        Assert.True(pair.Server.Error.IsLocal);
    }
}
