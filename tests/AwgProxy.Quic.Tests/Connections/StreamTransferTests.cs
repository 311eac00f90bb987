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
        up.AssertIntact();
        down.AssertIntact();
        Assert.True(up.ShortWrites > 0, "the 1 MiB send buffer should push back on a 10 MiB write");
    }

    [Fact]
    public void ManyConcurrentStreams_BothInitiatorsBothDirections_ArriveIntact()
    {
        using var pair = new Pair(seed: 4);
        pair.DriveHandshake();
        var transfers = new TransferSet(pair);
        for (int i = 0; i < 20; i++)
        {
            transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(20_000 + (i * 3_001), 100 + i), i % 2 == 0 ? StreamDirection.Bidirectional : StreamDirection.Unidirectional);
            transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(15_000 + (i * 2_003), 200 + i), i % 3 == 0 ? StreamDirection.Unidirectional : StreamDirection.Bidirectional);
        }

        transfers.DriveToCompletion(TimeSpan.FromSeconds(30));

        foreach (StreamTransfer transfer in transfers.Transfers) transfer.AssertIntact();
        Assert.Equal(20, pair.Server.GetStats().PeerStreamsOpened);
        Assert.Equal(20, pair.Client.GetStats().PeerStreamsOpened);
    }

    [Fact]
    public void BothSidesUseOneBidirectionalStream_EachSideReadsTheOthersData()
    {
        using var pair = new Pair(seed: 5);
        pair.DriveHandshake();
        var transfers = new TransferSet(pair);
        StreamTransfer request = transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(50_000, 1));
        pair.Drive(() => transfers.OpenedByPeer.Count == 1, TimeSpan.FromSeconds(1), "The server seeing the stream");
        StreamTransfer response = transfers.Add(pair.Server, pair.Client, request.StreamId, StreamTransfer.RandomData(70_000, 2));
        response.ReceiverKnowsStream = true;

        transfers.DriveToCompletion(TimeSpan.FromSeconds(10));

        request.AssertIntact();
        response.AssertIntact();

        // Both parts of the stream are done on both sides: it is forgotten.
        pair.Drive(() => !pair.Client.GetStreamStatus(request.StreamId).IsOpen && !pair.Server.GetStreamStatus(request.StreamId).IsOpen, TimeSpan.FromSeconds(1), "Stream cleanup");
    }

    [Fact]
    public void FinishedStream_FinishAcknowledgedRaisedOnceAfterEverythingArrived()
    {
        using var pair = new Pair(seed: 7);
        pair.DriveHandshake();
        var transfers = new TransferSet(pair);
        StreamTransfer transfer = transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(300_000, 3), StreamDirection.Unidirectional);

        pair.Drive(() => pair.ClientEvents.Any(e => e.Kind == ConnectionEventKind.StreamFinishAcknowledged), TimeSpan.FromSeconds(10), "FIN acknowledged");
        pair.RunFor(TimeSpan.FromSeconds(1));

        transfer.AssertIntact();
        Assert.Single(pair.ClientEvents, e => e.Kind == ConnectionEventKind.StreamFinishAcknowledged && e.StreamId == transfer.StreamId);
        Assert.DoesNotContain(pair.ServerEvents, e => e.Kind == ConnectionEventKind.StreamFinishAcknowledged);
    }

    [Fact]
    public void DataWithoutFin_OrResetStream_NeverRaisesFinishAcknowledged()
    {
        using var pair = new Pair(seed: 8);
        pair.DriveHandshake();
        Assert.True(pair.Client.TryOpenStream(StreamDirection.Bidirectional, out ulong open));
        Assert.True(pair.Client.TryOpenStream(StreamDirection.Bidirectional, out ulong reset));
        pair.Client.StreamWrite(open, new byte[50_000]);
        pair.Client.StreamWrite(reset, new byte[50_000]);
        pair.Client.StreamFinish(reset);
        pair.Client.StreamReset(reset, 7);

        pair.RunFor(TimeSpan.FromSeconds(2));

        Assert.Contains(pair.ServerEvents, e => e.Kind == ConnectionEventKind.StreamReset && e.StreamId == reset);
        Assert.DoesNotContain(pair.ClientEvents, e => e.Kind == ConnectionEventKind.StreamFinishAcknowledged);
    }

    [Fact]
    public void ZeroLengthStreamWithFin_IsReadAsFinished()
    {
        using var pair = new Pair(seed: 6);
        pair.DriveHandshake();
        Assert.True(pair.Client.TryOpenStream(StreamDirection.Unidirectional, out ulong id));
        pair.Client.StreamFinish(id);
        pair.Drive(() => pair.ServerEvents.Any(e => e.Kind == ConnectionEventKind.StreamReadable && e.StreamId == id), TimeSpan.FromSeconds(1), "Readable");

        Assert.Contains(pair.ServerEvents, e => e.Kind == ConnectionEventKind.StreamOpened && e.StreamId == id && e.Direction == StreamDirection.Unidirectional);
        Assert.Equal(0, pair.Server.StreamRead(id, new byte[10], out bool finished));
        Assert.True(finished);
    }

    [Fact]
    public void StreamReset_PeerGetsResetEventWithCodeAndReadsNothingMore()
    {
        using var pair = new Pair(seed: 7);
        pair.DriveHandshake();
        Assert.True(pair.Client.TryOpenStream(StreamDirection.Bidirectional, out ulong id));
        pair.Client.StreamWrite(id, new byte[1000]);
        pair.Drive(() => pair.ServerEvents.Any(e => e.Kind == ConnectionEventKind.StreamOpened) && pair.Server.GetStreamReadableBytes(id) == 1000, TimeSpan.FromSeconds(1), "Data");

        pair.Client.StreamReset(id, 77);
        pair.Drive(() => pair.ServerEvents.Any(e => e.Kind == ConnectionEventKind.StreamReset), TimeSpan.FromSeconds(1), "The reset");

        ConnectionEvent reset = pair.ServerEvents.Single(e => e.Kind == ConnectionEventKind.StreamReset);
        Assert.Equal(id, reset.StreamId);
        Assert.Equal(77UL, reset.ErrorCode);
        Assert.Equal(77UL, pair.Server.GetStreamStatus(id).PeerResetErrorCode);
        Assert.Equal(0, pair.Server.StreamRead(id, new byte[2000], out bool finished));
        Assert.False(finished);
        Assert.Throws<InvalidOperationException>(() => pair.Client.StreamWrite(id, new byte[1]));
        Assert.Throws<InvalidOperationException>(() => pair.Client.StreamFinish(id));
    }

    [Fact]
    public void StopSending_PeerResetsItsSendingPartWithTheCode()
    {
        using var pair = new Pair(seed: 8);
        pair.DriveHandshake();
        var transfers = new TransferSet(pair);
        StreamTransfer transfer = transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(5 << 20, 3));
        pair.Drive(() => pair.ServerEvents.Any(e => e.Kind == ConnectionEventKind.StreamOpened), TimeSpan.FromSeconds(1), "The stream");

        pair.Server.StreamStopSending(transfer.StreamId, 99);
        pair.Drive(() => pair.ClientEvents.Any(e => e.Kind == ConnectionEventKind.StreamStopSending), TimeSpan.FromSeconds(1), "STOP_SENDING");

        ConnectionEvent stop = pair.ClientEvents.Single(e => e.Kind == ConnectionEventKind.StreamStopSending);
        Assert.Equal(99UL, stop.ErrorCode);
        Assert.Equal(SendStreamState.ResetSent, pair.Client.GetStreamStatus(transfer.StreamId).SendState);
        Assert.Equal(0, pair.Client.StreamWrite(transfer.StreamId, new byte[10]));

        // The server learns of the reset that answered its STOP_SENDING.
        pair.Drive(() => pair.ServerEvents.Any(e => e.Kind == ConnectionEventKind.StreamReset && e.ErrorCode == 99), TimeSpan.FromSeconds(1), "RESET_STREAM");
    }

    [Fact]
    public void SmallFlowControlWindows_TransferBlocksAndResumes()
    {
        ServerConnectionOptions server = TestPeers.Server();
        server.InitialMaxData = 16 * 1024;
        server.InitialMaxStreamDataBidiRemote = 4 * 1024;
        server.InitialMaxStreamDataBidiLocal = 4 * 1024;
        server.InitialMaxStreamDataUni = 4 * 1024;
        server.MaxConnectionReceiveWindow = 16 * 1024;
        server.MaxStreamReceiveWindow = 4 * 1024;
        using var pair = new Pair(seed: 9, server: server);
        pair.DriveHandshake();
        var transfers = new TransferSet(pair);
        StreamTransfer a = transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(300_000, 4));
        StreamTransfer b = transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(200_000, 5));

        transfers.DriveToCompletion(TimeSpan.FromSeconds(60));

        a.AssertIntact();
        b.AssertIntact();
    }

    [Fact]
    public void SmallFlowControlWindows_SenderSignalsBlockedAndReaderDrivesProgress()
    {
        ServerConnectionOptions server = TestPeers.Server();
        server.InitialMaxData = 8 * 1024;
        server.InitialMaxStreamDataBidiRemote = 4 * 1024;
        server.InitialMaxStreamDataBidiLocal = 4 * 1024;
        server.InitialMaxStreamDataUni = 4 * 1024;
        server.MaxConnectionReceiveWindow = 8 * 1024;
        server.MaxStreamReceiveWindow = 4 * 1024;
        using var pair = new Pair(seed: 10, server: server);
        pair.DriveHandshake();
        Assert.True(pair.Client.TryOpenStream(StreamDirection.Bidirectional, out ulong id));
        Assert.Equal(20_000, pair.Client.StreamWrite(id, new byte[20_000]));

        // Without reads, the receiver holds at most its 4 KiB window.
        pair.RunFor(TimeSpan.FromMilliseconds(500));
        Assert.Equal(4 * 1024, pair.Server.GetStreamReadableBytes(id));

        // Reading frees the window; MAX_STREAM_DATA lets the rest through.
        var sink = new byte[8 * 1024];
        int total = 0;
        pair.OnStep = () =>
        {
            if (pair.Server.GetStreamStatus(id).IsOpen) total += pair.Server.StreamRead(id, sink, out _);
        };
        pair.Drive(() => total == 20_000, TimeSpan.FromSeconds(10), "All 20000 bytes");
    }

    [Fact]
    public void StreamLimit_OpenFailsThenStreamsAvailableAfterPeerClosesStreams()
    {
        ServerConnectionOptions server = TestPeers.Server();
        server.MaxUnidirectionalStreams = 3;
        using var pair = new Pair(seed: 11, server: server);
        pair.DriveHandshake();
        var ids = new List<ulong>();
        for (int i = 0; i < 3; i++)
        {
            Assert.True(pair.Client.TryOpenStream(StreamDirection.Unidirectional, out ulong id));
            pair.Client.StreamWrite(id, new byte[10]);
            pair.Client.StreamFinish(id);
            ids.Add(id);
        }

        Assert.False(pair.Client.TryOpenStream(StreamDirection.Unidirectional, out _));
        pair.Drive(() => pair.ServerEvents.Count(e => e.Kind == ConnectionEventKind.StreamReadable) == 3, TimeSpan.FromSeconds(1), "Three readable streams");
        Assert.False(pair.Client.TryOpenStream(StreamDirection.Unidirectional, out _));

        // The server reads the streams to the end: they close and MAX_STREAMS raises the limit.
        foreach (ulong id in ids)
        {
            pair.Server.StreamRead(id, new byte[100], out bool finished);
            Assert.True(finished);
        }

        pair.Drive(() => pair.ClientEvents.Any(e => e.Kind == ConnectionEventKind.StreamsAvailable), TimeSpan.FromSeconds(1), "StreamsAvailable");
        Assert.Equal(StreamDirection.Unidirectional, pair.ClientEvents.Single(e => e.Kind == ConnectionEventKind.StreamsAvailable).Direction);
        Assert.True(pair.Client.TryOpenStream(StreamDirection.Unidirectional, out _));
    }

    [Fact]
    public void StreamApiMisuse_Throws()
    {
        using var pair = new Pair(seed: 12);
        pair.DriveHandshake();
        Assert.True(pair.Client.TryOpenStream(StreamDirection.Unidirectional, out ulong uni));

        Assert.Throws<ArgumentException>(() => pair.Client.StreamRead(uni, new byte[1], out _));
        Assert.Throws<ArgumentException>(() => pair.Client.StreamWrite(400, new byte[1]));
        Assert.Throws<ArgumentException>(() => pair.Server.StreamWrite(uni, new byte[1]));
        pair.Client.StreamFinish(uni);
        Assert.Throws<InvalidOperationException>(() => pair.Client.StreamWrite(uni, new byte[1]));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    public void TransferOverFivePercentLoss_ArrivesIntact(int seed)
    {
        using var pair = new Pair(seed: seed);
        pair.ToServer.LossRate = 0.05;
        pair.ToClient.LossRate = 0.05;
        pair.DriveHandshake(TimeSpan.FromSeconds(20));
        var transfers = new TransferSet(pair);
        StreamTransfer up = transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(1 << 20, seed));
        StreamTransfer down = transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(1 << 20, seed + 1));

        transfers.DriveToCompletion(TimeSpan.FromSeconds(120));

        up.AssertIntact();
        down.AssertIntact();
        Assert.True(pair.Client.GetStats().PacketsLost > 0, "some packets were lost and recovered");
    }

    [Theory]
    [InlineData(41)]
    [InlineData(42)]
    public void TransferWithReordering_ArrivesIntact(int seed)
    {
        using var pair = new Pair(seed: seed);
        pair.ToServer.ReorderRate = 0.2;
        pair.ToClient.ReorderRate = 0.2;
        pair.DriveHandshake(TimeSpan.FromSeconds(20));
        var transfers = new TransferSet(pair);
        StreamTransfer up = transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(1 << 20, seed));
        StreamTransfer down = transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(1 << 20, seed + 1));

        transfers.DriveToCompletion(TimeSpan.FromSeconds(60));

        up.AssertIntact();
        down.AssertIntact();
    }

    [Fact]
    public void TransferOverLossReorderingAndSmallMtu_ArrivesIntact()
    {
        ClientConnectionOptions client = TestPeers.Client();
        client.MaxDatagramSize = 1200;
        using var pair = new Pair(seed: 50, client: client);
        pair.ToServer.LossRate = 0.03;
        pair.ToClient.LossRate = 0.03;
        pair.ToServer.ReorderRate = 0.1;
        pair.ToClient.ReorderRate = 0.1;
        pair.ToServer.MaxDatagramSize = 1200;
        pair.ToClient.MaxDatagramSize = 1200;
        pair.DriveHandshake(TimeSpan.FromSeconds(20));
        var transfers = new TransferSet(pair);
        for (int i = 0; i < 4; i++)
        {
            transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(200_000, i));
            transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(200_000, 10 + i));
        }

        transfers.DriveToCompletion(TimeSpan.FromSeconds(120));

        foreach (StreamTransfer transfer in transfers.Transfers) transfer.AssertIntact();
        Assert.All(pair.ToServer.Log.Concat(pair.ToClient.Log), d => Assert.True(d.Payload.Length <= 1200));
    }

    [Fact]
    public void BandwidthLimitedLinkWithShallowQueue_CongestionControlCompletesTheTransfer()
    {
        using var pair = new Pair(seed: 51);
        pair.ToServer.BandwidthBytesPerSecond = 1_250_000;
        pair.ToClient.BandwidthBytesPerSecond = 1_250_000;
        pair.ToServer.MaxQueueDelay = TimeSpan.FromMilliseconds(20);
        pair.ToClient.MaxQueueDelay = TimeSpan.FromMilliseconds(20);
        pair.DriveHandshake();
        var transfers = new TransferSet(pair);
        StreamTransfer up = transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(4 << 20, 1));
        Instant start = pair.Now;

        transfers.DriveToCompletion(TimeSpan.FromSeconds(60));

        up.AssertIntact();
        TimeSpan elapsed = pair.Now - start;
        output.WriteLine($"4 MiB over 10 Mbit/s in {elapsed.TotalSeconds:0.00} s; {pair.Client.GetStats()}");
        Assert.True(pair.ToServer.DatagramsDropped > 0, "the shallow queue overflowed");
        Assert.True(pair.Client.GetStats().CongestionEvents > 0);
    }

    [Fact]
    public void FullSendBuffer_ShortWriteThenStreamWritableWhenAcknowledged()
    {
        ClientConnectionOptions client = TestPeers.Client();
        client.StreamSendBufferSize = 10_000;
        client.MaxStreamSendBufferSize = 10_000;
        using var pair = new Pair(seed: 52, client: client);
        pair.DriveHandshake();
        Assert.True(pair.Client.TryOpenStream(StreamDirection.Unidirectional, out ulong id));

        Assert.Equal(10_000, pair.Client.StreamWrite(id, new byte[25_000]));
        Assert.Equal(0, pair.Client.GetStreamWritableBytes(id));
        Assert.Equal(0, pair.Client.StreamWrite(id, new byte[1]));
        pair.Drive(() => pair.ClientEvents.Any(e => e.Kind == ConnectionEventKind.StreamWritable && e.StreamId == id), TimeSpan.FromSeconds(1), "StreamWritable");

        Assert.True(pair.Client.GetStreamWritableBytes(id) > 0);
        Assert.Single(pair.ClientEvents, e => e.Kind == ConnectionEventKind.StreamWritable);
    }

    [Fact]
    public void SendBufferAutoTuning_SharesTwiceTheCongestionWindowAmongTheSendingStreams()
    {
        ClientConnectionOptions client = TestPeers.Client();
        client.StreamSendBufferSize = 1_000;
        client.MaxStreamSendBufferSize = 16 << 20;
        using var pair = new Pair(seed: 54, client: client);
        pair.DriveHandshake();
        long window = pair.Client.GetStats().CongestionWindow;
        Assert.True(pair.Client.TryOpenStream(StreamDirection.Unidirectional, out ulong first));

        // Idle open streams take nothing: alone among them, a stream may hold twice the congestion window.
        for (int i = 0; i < 20; i++) Assert.True(pair.Client.TryOpenStream(StreamDirection.Unidirectional, out _));
        Assert.Equal(2 * window, pair.Client.GetStreamWritableBytes(first));
        Assert.Equal(2 * window, pair.Client.StreamWrite(first, new byte[4 * window]));

        // Streams that start sending share the same amount: the k-th gets 2 cwnd / k, and the first, already over
        // its share, takes nothing more until acknowledgements bring it under.
        var senders = new List<ulong> { first };
        for (int k = 2; k <= 11; k++)
        {
            Assert.True(pair.Client.TryOpenStream(StreamDirection.Unidirectional, out ulong id));
            Assert.Equal(2 * window / k, pair.Client.GetStreamWritableBytes(id));
            Assert.Equal(2 * window / k, pair.Client.StreamWrite(id, new byte[4 * window]));
            senders.Add(id);
        }

        Assert.Equal(0, pair.Client.StreamWrite(first, new byte[1]));

        // Never less than StreamSendBufferSize per stream.
        for (int i = 0; i < 50; i++)
        {
            Assert.True(pair.Client.TryOpenStream(StreamDirection.Unidirectional, out ulong id));
            Assert.True(pair.Client.StreamWrite(id, new byte[10]) == 10);
        }

        Assert.True(2 * window / 62 < 1_000);
        Assert.True(pair.Client.TryOpenStream(StreamDirection.Unidirectional, out ulong last));
        Assert.Equal(1_000, pair.Client.GetStreamWritableBytes(last));

        // Once everything is acknowledged the buffers are empty and the first stream may hold twice the window again.
        pair.Drive(() => senders.All(id => pair.Client.GetStreamWritableBytes(id) > 0) && pair.Client.GetStats().BytesInFlight == 0, TimeSpan.FromSeconds(30), "everything acknowledged");
        Assert.Equal(Math.Min(2 * pair.Client.GetStats().CongestionWindow, 16 << 20), pair.Client.GetStreamWritableBytes(first));
    }

    [Fact]
    public void PureDownload_ReceiverTracksOnlyAboutOneRoundTripOfAckOnlyPackets()
    {
        using var pair = new Pair(seed: 53);
        pair.ToServer.BandwidthBytesPerSecond = 2_500_000;
        pair.ToClient.BandwidthBytesPerSecond = 2_500_000;
        pair.DriveHandshake();
        var transfers = new TransferSet(pair);
        transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(4 << 20, 1));
        int most = 0;
        pair.OnStep += () => most = Math.Max(most, pair.Client.SentPacketsOutstanding);

        transfers.DriveToCompletion(TimeSpan.FromSeconds(30));

        // The receiver sends only ACKs; their acknowledgments ride on the data, so their state drains continuously
        // (what stays is what a round trip, queueing included, holds).
        long sent = pair.Client.GetStats().PacketsSent;
        Assert.True(sent > 200, $"{sent} ACK packets"); // ACK decimation: about one ACK per ten data packets
        Assert.True(most < sent / 5, $"{most} of {sent} packets tracked at once");
    }
}
