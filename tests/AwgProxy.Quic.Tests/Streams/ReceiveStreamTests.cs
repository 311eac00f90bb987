using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Streams;

public class ReceiveStreamTests
{
    private const TransportErrorCode Ok = TransportErrorCode.NO_ERROR;
    private static readonly StreamId Id = new(1);
    private static readonly TimeSpan Rtt = TimeSpan.FromMilliseconds(10);

    private static byte[] Bytes(int length, byte seed = 1)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++) data[i] = (byte)(seed + i);
        return data;
    }

    [Fact]
    public void DataAndFin_AreReadInOrder_AndCreditFlowsBackToBothWindows()
    {
        using var stream = new ReceiveStream(Id, 1000, 1000);
        var connection = new ReceiveWindow(5000, 5000);
        byte[] data = Bytes(800);
        Assert.Equal(Ok, stream.OnStreamFrame(400, data.AsSpan(400), fin: true, connection));
        Assert.Equal(ReceiveStreamState.SizeKnown, stream.State);
        Assert.Equal(800UL, connection.Received);
        Assert.Equal(0, stream.ReadableBytes);

        Assert.Equal(Ok, stream.OnStreamFrame(0, data.AsSpan(0, 400), false, connection));
        Assert.Equal(ReceiveStreamState.DataRecvd, stream.State);
        Assert.Equal(800UL, connection.Received); // no new highest offset

        var output = new byte[1000];
        Assert.Equal(800, stream.Read(output, connection));
        Assert.Equal(data, output[..800]);
        Assert.Equal(800UL, connection.Consumed);
        Assert.True(stream.IsFinished);
        Assert.True(stream.IsTerminal);
        Assert.Equal(ReceiveStreamState.DataRead, stream.State);
    }

    [Fact]
    public void StreamLimitExceeded_IsFlowControlError_AndChangesNothing()
    {
        using var stream = new ReceiveStream(Id, 1000, 1000);
        var connection = new ReceiveWindow(5000, 5000);
        Assert.Equal(TransportErrorCode.FLOW_CONTROL_ERROR, stream.OnStreamFrame(900, new byte[101], false, connection));
        Assert.Equal(0UL, stream.HighestOffset);
        Assert.Equal(0UL, connection.Received);
        Assert.Equal(Ok, stream.OnStreamFrame(900, new byte[100], false, connection));
    }

    [Fact]
    public void ConnectionLimitExceeded_IsFlowControlError()
    {
        using var first = new ReceiveStream(new StreamId(1), 1000, 1000);
        using var second = new ReceiveStream(new StreamId(5), 1000, 1000);
        var connection = new ReceiveWindow(1500, 1500);
        Assert.Equal(Ok, first.OnStreamFrame(0, new byte[1000], false, connection));
        Assert.Equal(TransportErrorCode.FLOW_CONTROL_ERROR, second.OnStreamFrame(400, new byte[101], false, connection));
        Assert.Equal(Ok, second.OnStreamFrame(400, new byte[100], false, connection));
        Assert.Equal(1500UL, connection.Received);
    }

    [Fact]
    public void FinalSizeViolations_AreReportedThroughTheStream()
    {
        using var stream = new ReceiveStream(Id, 1000, 1000);
        var connection = new ReceiveWindow(5000, 5000);
        Assert.Equal(Ok, stream.OnStreamFrame(0, new byte[100], fin: true, connection));
        Assert.Equal(TransportErrorCode.FINAL_SIZE_ERROR, stream.OnStreamFrame(100, new byte[1], false, connection));
        Assert.Equal(TransportErrorCode.FINAL_SIZE_ERROR, stream.OnStreamFrame(0, new byte[50], fin: true, connection));
        Assert.Equal(TransportErrorCode.FINAL_SIZE_ERROR, stream.OnResetStream(0, 99, connection));
        Assert.Equal(TransportErrorCode.FINAL_SIZE_ERROR, stream.OnResetStream(0, 101, connection));
    }

    [Fact]
    public void ResetStream_CountsTheFinalSize_ReleasesUnreadCredit_AndIsReportedOnce()
    {
        using var stream = new ReceiveStream(Id, 1000, 1000);
        var connection = new ReceiveWindow(5000, 5000);
        Assert.Equal(Ok, stream.OnStreamFrame(0, new byte[300], false, connection));
        Assert.Equal(100, stream.Read(new byte[100], connection));

        Assert.Equal(TransportErrorCode.FINAL_SIZE_ERROR, stream.OnResetStream(9, 299, connection)); // below received data
        Assert.Equal(TransportErrorCode.FLOW_CONTROL_ERROR, stream.OnResetStream(9, 1001, connection));
        Assert.Equal(Ok, stream.OnResetStream(9, 700, connection));
        Assert.Equal(ReceiveStreamState.ResetRecvd, stream.State);
        Assert.True(stream.IsResetReceived);
        Assert.Equal(9UL, stream.ResetErrorCode);
        Assert.Equal(700UL, connection.Received);
        Assert.Equal(700UL, connection.Consumed); // every byte up to the final size is given back
        Assert.Equal(0, stream.ReadableBytes);
        Assert.Equal(0, stream.Read(new byte[10], connection));

        Assert.Equal(Ok, stream.OnResetStream(9, 700, connection)); // duplicate
        Assert.Equal(Ok, stream.OnStreamFrame(300, new byte[400], false, connection)); // late data, ignored
        Assert.Equal(700UL, connection.Received);
        Assert.Equal(TransportErrorCode.FINAL_SIZE_ERROR, stream.OnStreamFrame(650, new byte[51], false, connection));

        stream.AcknowledgeReset();
        Assert.Equal(ReceiveStreamState.ResetRead, stream.State);
        Assert.True(stream.IsTerminal);
        Assert.False(stream.IsFinished);
    }

    [Fact]
    public void ResetAfterAllDataReceived_IsSuppressed_AndTheDataDelivered()
    {
        using var stream = new ReceiveStream(Id, 1000, 1000);
        var connection = new ReceiveWindow(5000, 5000);
        byte[] data = Bytes(50);
        Assert.Equal(Ok, stream.OnStreamFrame(0, data, fin: true, connection));
        Assert.Equal(Ok, stream.OnResetStream(3, 50, connection));
        Assert.False(stream.IsResetReceived);
        Assert.Equal(ReceiveStreamState.DataRecvd, stream.State);
        var output = new byte[50];
        Assert.Equal(50, stream.Read(output, connection));
        Assert.Equal(data, output);
        Assert.True(stream.IsFinished);
    }

    [Fact]
    public void AbortRead_QueuesStopSending_DiscardsData_AndStillCountsLaterFrames()
    {
        using var stream = new ReceiveStream(Id, 1000, 1000);
        var connection = new ReceiveWindow(5000, 5000);
        Assert.Equal(Ok, stream.OnStreamFrame(0, new byte[200], false, connection));
        stream.AbortRead(5, connection);
        Assert.Equal(200UL, connection.Consumed);
        Assert.Equal(0, stream.ReadableBytes);
        Assert.True(stream.NeedsStopSending);
        Assert.True(stream.TryTakeStopSending(out ulong code));
        Assert.Equal(5UL, code);
        stream.OnStopSendingLost();
        Assert.True(stream.NeedsStopSending);

        Assert.Equal(Ok, stream.OnStreamFrame(200, new byte[300], false, connection));
        Assert.Equal(500UL, connection.Received);
        Assert.Equal(500UL, connection.Consumed); // discarded data is released at once
        Assert.Equal(TransportErrorCode.FLOW_CONTROL_ERROR, stream.OnStreamFrame(500, new byte[501], false, connection));
        Assert.False(stream.NeedsMaxStreamData);

        Assert.Equal(Ok, stream.OnResetStream(5, 600, connection));
        Assert.Equal(ReceiveStreamState.ResetRead, stream.State); // the application already gave up
        Assert.False(stream.NeedsStopSending);
        stream.OnStopSendingLost();
        Assert.False(stream.NeedsStopSending);
        Assert.Equal(600UL, connection.Consumed);
    }

    [Fact]
    public void AbortRead_WhenThePeerFinishesInsteadOfResetting_EndsInDataRead()
    {
        using var stream = new ReceiveStream(Id, 1000, 1000);
        var connection = new ReceiveWindow(5000, 5000);
        stream.AbortRead(1, connection);
        Assert.Equal(Ok, stream.OnStreamFrame(100, new byte[100], fin: true, connection));
        Assert.Equal(ReceiveStreamState.DataRead, stream.State);
        Assert.False(stream.IsFinished); // not read by the application
        Assert.True(stream.IsTerminal);
        Assert.Equal(connection.Received, connection.Consumed);
    }

    [Fact]
    public void AbortRead_AfterAllDataArrived_IsTerminalAtOnce_WithoutStopSending()
    {
        using var stream = new ReceiveStream(Id, 1000, 1000);
        var connection = new ReceiveWindow(5000, 5000);
        Assert.Equal(Ok, stream.OnStreamFrame(0, new byte[100], fin: true, connection));
        stream.AbortRead(1, connection);
        Assert.False(stream.NeedsStopSending);
        Assert.Equal(ReceiveStreamState.DataRead, stream.State);
        Assert.Equal(100UL, connection.Consumed);
    }

    [Fact]
    public void MaxStreamData_IsDueAfterHalfTheWindowIsRead_OnlyWhileSizeUnknown()
    {
        using var stream = new ReceiveStream(Id, 1000, 1000);
        var connection = new ReceiveWindow(10_000, 10_000);
        Assert.Equal(Ok, stream.OnStreamFrame(0, new byte[1000], false, connection));
        Assert.False(stream.NeedsMaxStreamData); // received, not yet read
        stream.Read(new byte[600], connection);
        Assert.True(stream.NeedsMaxStreamData);
        Assert.Equal(1600UL, stream.TakeMaxStreamData(Instant.FromMilliseconds(1), Rtt, connection));
        Assert.Equal(1600UL, stream.MaxStreamData);
        stream.OnMaxStreamDataLost(1600);
        Assert.True(stream.NeedsMaxStreamData);
        Assert.Equal(1600UL, stream.TakeMaxStreamData(Instant.FromMilliseconds(2), Rtt, connection));

        Assert.Equal(Ok, stream.OnStreamFrame(1000, new byte[100], fin: true, connection));
        stream.Read(new byte[1000], connection);
        Assert.False(stream.NeedsMaxStreamData); // "Size Known": no more credit needed
    }

    [Fact]
    public void StreamWindowAutoTuning_PullsTheConnectionWindowAlong()
    {
        using var stream = new ReceiveStream(Id, 1000, 100_000);
        var connection = new ReceiveWindow(1000, 1_000_000);
        stream.StartFlowControlEpoch(Instant.Zero);
        Assert.Equal(Ok, stream.OnStreamFrame(0, new byte[600], false, connection));
        stream.Read(new byte[600], connection);
        stream.TakeMaxStreamData(Instant.FromMilliseconds(1), Rtt, connection); // 600 bytes in 0.1 RTT
        Assert.Equal(2000UL, stream.Window);
        Assert.Equal(3000UL, connection.Window);
    }

    [Fact]
    public void ZeroCopyReads_ReleaseCreditLikeRead()
    {
        using var stream = new ReceiveStream(Id, 1000, 1000);
        var connection = new ReceiveWindow(5000, 5000);
        byte[] data = Bytes(10);
        Assert.Equal(Ok, stream.OnStreamFrame(0, data, fin: true, connection));
        ReadOnlySpan<byte> span = stream.GetReadableSpan();
        Assert.Equal(data, span.ToArray());
        stream.Consume(4, connection);
        Assert.Equal(4UL, connection.Consumed);
        stream.Consume(6, connection);
        Assert.True(stream.IsFinished);
    }

    [Fact]
    public void EmptyStream_FinOnly_FinishesOnFirstRead()
    {
        using var stream = new ReceiveStream(Id, 1000, 1000);
        var connection = new ReceiveWindow(5000, 5000);
        Assert.Equal(Ok, stream.OnStreamFrame(0, default, fin: true, connection));
        Assert.Equal(ReceiveStreamState.DataRecvd, stream.State);
        Assert.Equal(0UL, stream.FinalSize);
        Assert.Equal(0, stream.Read(new byte[10], connection));
        Assert.True(stream.IsFinished);
    }
}
