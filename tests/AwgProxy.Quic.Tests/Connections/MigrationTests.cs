using System.Net;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Tests.Simulation;

namespace AwgProxy.Quic.Tests.Connections;

public class MigrationTests
{
    [Theory]
    [InlineData(81, "10.0.0.1", 40999)]
    [InlineData(82, "10.0.7.7", 40000)]
    public void NatRebindingMidTransfer_ServerValidatesTheNewAddressAndTransferCompletes(int seed, string newIp, int newPort)
    {
        using var pair = new Pair(seed: seed);
        pair.ToServer.BandwidthBytesPerSecond = 2_500_000;
        pair.ToClient.BandwidthBytesPerSecond = 2_500_000;
        pair.DriveHandshake();
        var transfers = new TransferSet(pair);
        StreamTransfer up = transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(2 << 20, 1));
        StreamTransfer down = transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(2 << 20, 2));
        pair.Drive(() => up.BytesReceived > 200_000 && down.BytesReceived > 200_000, TimeSpan.FromSeconds(10), "Transfers under way");

        SocketAddress rebound = TestPeers.Address(newIp, newPort);
        pair.ClientAddress = rebound;
        long sentBefore = pair.ToClient.Log.Count;
        pair.Drive(() => pair.Server.GetStats().PathMigrations == 1, TimeSpan.FromSeconds(5), "Validation of the new address");

        Assert.Equal(rebound, pair.Server.RemoteAddress);
        transfers.DriveToCompletion(TimeSpan.FromSeconds(30));
        up.AssertIntact();
        down.AssertIntact();
        Assert.Contains(pair.ToClient.Log.Skip((int)sentBefore), d => d.Destination.Equals(rebound));
    }

    [Fact]
    public void NatRebindingBeforeValidation_ServerRespectsTheAmplificationLimitOnTheNewPath()
    {
        using var pair = new Pair(seed: 83);
        pair.DriveHandshake();
        var transfers = new TransferSet(pair);
        StreamTransfer up = transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(4 << 20, 1));
        StreamTransfer down = transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(4 << 20, 2));
        pair.Drive(() => up.BytesReceived > 100_000 && down.BytesReceived > 100_000, TimeSpan.FromSeconds(10), "Transfers under way");

        // The client moves and its PATH_RESPONSE never arrives: the server must not flood the new address.
        SocketAddress rebound = TestPeers.Address("10.0.0.1", 41000);
        pair.ClientAddress = rebound;
        long receivedAtSwitch = pair.ToServer.BytesSent;
        long sentAtSwitch = pair.ToClient.Log.Where(d => d.Destination.Equals(rebound)).Sum(d => (long)d.Payload.Length);
        Assert.Equal(0, sentAtSwitch);
        pair.ToServer.Filter = d => pair.ToServer.Log.Count(x => x.Source.Equals(rebound)) <= 3;
        pair.RunFor(TimeSpan.FromSeconds(2));

        long receivedFromNew = pair.ToServer.Log.Where(d => d.Source.Equals(rebound)).Take(3).Sum(d => (long)d.Payload.Length);
        long sentToNew = pair.ToClient.Log.Where(d => d.Destination.Equals(rebound)).Sum(d => (long)d.Payload.Length);
        Assert.True(sentToNew > 0, "the server switched to the new address");
        Assert.True(sentToNew <= 3 * receivedFromNew, $"sent {sentToNew} bytes to an unvalidated address that sent {receivedFromNew}");
        Assert.Equal(0, pair.Server.GetStats().PathMigrations);
    }
}
