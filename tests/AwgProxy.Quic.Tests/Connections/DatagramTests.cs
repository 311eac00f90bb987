using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Tests.Simulation;

namespace AwgProxy.Quic.Tests.Connections;

public class DatagramTests
{
    [Fact]
    public void Datagrams_FlowBothWays()
    {
        using var pair = new Pair(seed: 61);
        pair.DriveHandshake();

        Assert.True(pair.Client.MaxDatagramPayloadSize > 1000);
        for (byte i = 0; i < 5; i++)
        {
            Assert.True(pair.Client.TrySendDatagram(new byte[] { i, 1, 2, 3 }));
            Assert.True(pair.Server.TrySendDatagram(new byte[] { (byte)(i + 100) }));
        }

        pair.Drive(() => pair.ServerEvents.Any(e => e.Kind == ConnectionEventKind.DatagramReceived) && pair.ClientEvents.Any(e => e.Kind == ConnectionEventKind.DatagramReceived), TimeSpan.FromSeconds(1), "Datagrams");
        pair.RunFor(TimeSpan.FromMilliseconds(50));

        var buffer = new byte[100];
        for (byte i = 0; i < 5; i++)
        {
            Assert.True(pair.Server.TryReadDatagram(buffer, out int length));
            Assert.Equal(new byte[] { i, 1, 2, 3 }, buffer[..length]);
            Assert.True(pair.Client.TryReadDatagram(buffer, out length));
            Assert.Equal(new byte[] { (byte)(i + 100) }, buffer[..length]);
        }

        Assert.False(pair.Server.TryReadDatagram(buffer, out _));

        // The event is coalesced: one per batch until polled.
        Assert.Single(pair.ServerEvents, e => e.Kind == ConnectionEventKind.DatagramReceived);
    }

    [Fact]
    public void LargestDatagram_FitsAndLargerIsRefused()
    {
        using var pair = new Pair(seed: 62);
        pair.DriveHandshake();
        int max = pair.Client.MaxDatagramPayloadSize;
        byte[] payload = StreamTransfer.RandomData(max, 1);

        Assert.False(pair.Client.TrySendDatagram(new byte[max + 1]));
        Assert.True(pair.Client.TrySendDatagram(payload));
        pair.Drive(() => pair.ServerEvents.Any(e => e.Kind == ConnectionEventKind.DatagramReceived), TimeSpan.FromSeconds(1), "The datagram");

        var small = new byte[10];
        Assert.False(pair.Server.TryReadDatagram(small, out int needed));
        Assert.Equal(max, needed);
        var buffer = new byte[max];
        Assert.True(pair.Server.TryReadDatagram(buffer, out int length));
        Assert.Equal(payload, buffer[..length]);
    }

    [Fact]
    public void PeerWithoutDatagramSupport_TrySendDatagramFails()
    {
        ServerConnectionOptions server = TestPeers.Server();
        server.MaxDatagramFrameSize = 0;
        using var pair = new Pair(seed: 63, server: server);
        pair.DriveHandshake();

        Assert.Equal(0, pair.Client.MaxDatagramPayloadSize);
        Assert.False(pair.Client.TrySendDatagram([1, 2, 3]));
        Assert.True(pair.Server.TrySendDatagram([1, 2, 3]));
    }

    [Fact]
    public void FullReceiveQueue_DropsNewDatagrams()
    {
        ServerConnectionOptions server = TestPeers.Server();
        server.DatagramReceiveQueueLength = 3;
        using var pair = new Pair(seed: 64, server: server);
        pair.DriveHandshake();
        for (int i = 0; i < 6; i++) Assert.True(pair.Client.TrySendDatagram([(byte)i]));
        pair.RunFor(TimeSpan.FromMilliseconds(100));

        Assert.Equal(3, pair.Server.GetStats().DatagramFramesReceived);
        Assert.Equal(3, pair.Server.GetStats().DatagramFramesDropped);
        var buffer = new byte[1];
        Assert.True(pair.Server.TryReadDatagram(buffer, out _));
        Assert.Equal(0, buffer[0]);
    }

    [Fact]
    public void SendQueueLimit_RefusesWhenFull()
    {
        ClientConnectionOptions client = TestPeers.Client();
        client.DatagramSendQueueLength = 2;
        using var pair = new Pair(seed: 65, client: client);
        pair.DriveHandshake();

        Assert.True(pair.Client.TrySendDatagram([1]));
        Assert.True(pair.Client.TrySendDatagram([2]));
        Assert.False(pair.Client.TrySendDatagram([3]));
    }
}
