using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Streams;
using AwgProxy.Quic.Tests.Simulation;
using Xunit.Abstractions;

namespace AwgProxy.Quic.Tests.Connections;

public class StreamTransferTests(ITestOutputHelper output)
{
    [Fact]
    public void TenMebibytesEachWay_ArriveIntact()
    {
        using var pair = new Pair(seed: 3);
        pair.DriveHandshake();
        var transfers = new TransferSet(pair);
        StreamTransfer up = transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(10 << 20, 1));
        StreamTransfer down = transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(10 << 20, 2));

        transfers.DriveToCompletion(TimeSpan.FromSeconds(120));

        output.WriteLine($"virtual time {pair.Now}, steps {pair.Steps}");
        output.WriteLine($"client {pair.Client.GetStats()}");
        output.WriteLine($"server {pair.Server.GetStats()}");
        up.AssertIntact();
        down.AssertIntact();
        Assert.True(up.ShortWrites > 0, "the 1 MiB send buffer should push back on a 10 MiB write");
    }
}
