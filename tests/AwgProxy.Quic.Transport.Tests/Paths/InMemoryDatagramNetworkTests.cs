using System.Net;
using AwgProxy.Quic.Transport.Paths;

namespace AwgProxy.Quic.Transport.Tests.Paths;

public class InMemoryDatagramNetworkTests
{
    [Fact]
    public async Task Datagram_TravelsBetweenPaths_WithSourceAddress()
    {
        var network = new InMemoryDatagramNetwork();
        await using var a = network.CreatePath();
        await using var b = network.CreatePath();
        var batch = new DatagramBatch(2, 1500);
        new byte[] { 1, 2, 3 }.CopyTo(batch.GetArray(0), 0);
        batch.SetPayload(0, 0, 3);
        batch.SetAddress(0, (IPEndPoint)b.LocalEndPoint);
        await a.SendBatchAsync(batch, 1, CancellationToken.None);

        var receive = new DatagramBatch(2, 1500);
        Assert.Equal(1, await b.ReceiveBatchAsync(receive, CancellationToken.None));
        Assert.Equal(new byte[] { 1, 2, 3 }, receive.GetPayload(0).ToArray());
        Assert.Equal(a.LocalEndPoint, new IPEndPoint(IPAddress.Any, 0).Create(receive.GetAddress(0)));
    }

    [Fact]
    public async Task LossRate_DropsAboutThatShare_Deterministically()
    {
        var network = new InMemoryDatagramNetwork(lossRate: 0.25, seed: 7, queueCapacity: 10000);
        await using var a = network.CreatePath();
        await using var b = network.CreatePath();
        var batch = new DatagramBatch(1, 100);
        batch.SetPayload(0, 0, 10);
        batch.SetAddress(0, (IPEndPoint)b.LocalEndPoint);
        for (int i = 0; i < 4000; i++)
        {
            await a.SendBatchAsync(batch, 1, CancellationToken.None);
        }

        Assert.Equal(4000, network.Delivered + network.Dropped);
        Assert.InRange(network.Dropped, 800, 1200);
    }

    [Fact]
    public async Task OversizedDatagram_IsRejected()
    {
        var network = new InMemoryDatagramNetwork(maxDatagramSize: 1200);
        await using var a = network.CreatePath();
        var batch = new DatagramBatch(1, 1500);
        batch.SetPayload(0, 0, 1201);
        batch.SetAddress(0, (IPEndPoint)a.LocalEndPoint);
        await Assert.ThrowsAsync<ArgumentException>(async () => await a.SendBatchAsync(batch, 1, CancellationToken.None));
    }
}
