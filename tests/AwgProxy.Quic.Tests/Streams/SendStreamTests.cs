using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Streams;

public class SendStreamTests
{
    private static readonly StreamId Id = new(0);

    private static (ulong Offset, int Length, bool Fin) SendNext(SendStream stream, SendCredit connection, int maxLength = 1200)
    {
        Assert.True(stream.TryPeekNext(connection, maxLength, out ulong offset, out int length, out bool fin));
        stream.CopyTo(offset, new byte[length]);
        stream.MarkSent(offset, length, fin, connection);
        return (offset, length, fin);
    }

    [Fact]
    public void CleanLifecycle_ReadySendDataSentDataRecvd()
    {
        using var stream = new SendStream(Id, 10_000, 10_000);
        var connection = new SendCredit(10_000);
        Assert.Equal(SendStreamState.Ready, stream.State);
        stream.Write(new byte[2000]);
        Assert.Equal(SendStreamState.Ready, stream.State); // buffered only

        var first = SendNext(stream, connection);
        Assert.Equal(SendStreamState.Send, stream.State);
        stream.Finish();
        Assert.False(stream.CanWrite);
        var last = SendNext(stream, connection);
        Assert.True(last.Fin);
        Assert.Equal(SendStreamState.DataSent, stream.State);

        stream.OnAcked(last.Offset, last.Length, last.Fin);
        Assert.Equal(SendStreamState.DataSent, stream.State);
        stream.OnAcked(first.Offset, first.Length, first.Fin);
        Assert.Equal(SendStreamState.DataRecvd, stream.State);
        Assert.True(stream.IsTerminal);
        Assert.Equal(0, stream.BufferedBytes);
        Assert.Equal(2000UL, connection.Used);
    }

    [Fact]
    public void NewData_IsLimitedByStreamAndConnectionCredit()
    {
        using var stream = new SendStream(Id, 10_000, 1500);
        var connection = new SendCredit(1000);
        stream.Write(new byte[5000]);

        Assert.Equal(1000UL, stream.MaxOffsetAllowed(connection));
        var sent = SendNext(stream, connection, 5000);
        Assert.Equal(1000, sent.Length);
        Assert.False(stream.HasDataToSend(connection));
        Assert.True(connection.IsBlockedSignalPending);
        Assert.False(stream.IsStreamDataBlockedPending);

        connection.OnLimitReceived(10_000);
        sent = SendNext(stream, connection, 5000);
        Assert.Equal(500, sent.Length); // now the stream limit binds
        Assert.True(stream.IsStreamDataBlockedPending);
        Assert.True(stream.TryTakeStreamDataBlocked(out ulong limit));
        Assert.Equal(1500UL, limit);
        Assert.False(stream.IsStreamDataBlockedPending);

        Assert.True(stream.OnMaxStreamData(3000));
        Assert.False(stream.OnMaxStreamData(2000));
        Assert.True(stream.HasDataToSend(connection));
        Assert.Equal(1500, SendNext(stream, connection, 5000).Length);
    }

    [Fact]
    public void ConnectionCreditUsedUpByAnotherStream_IsReportedByCheckBlocked()
    {
        using var first = new SendStream(new StreamId(0), 1000, 1000);
        using var second = new SendStream(new StreamId(4), 1000, 1000);
        var connection = new SendCredit(500);
        first.Write(new byte[500]);
        SendNext(first, connection);
        Assert.False(connection.IsBlockedSignalPending); // the first stream has nothing more to send

        second.Write(new byte[10]);
        Assert.False(second.HasDataToSend(connection));
        second.CheckBlocked(connection);
        Assert.True(connection.TryTakeBlockedSignal(out ulong limit));
        Assert.Equal(500UL, limit);
        Assert.False(second.IsStreamDataBlockedPending); // its own limit is not the problem
    }

    [Fact]
    public void StreamDataBlocked_BeforeAnyData_MovesReadyToSend()
    {
        using var stream = new SendStream(Id, 1000, 0);
        stream.Write(new byte[10]);
        Assert.True(stream.IsStreamDataBlockedPending);
        Assert.True(stream.TryTakeStreamDataBlocked(out ulong limit));
        Assert.Equal(0UL, limit);
        Assert.Equal(SendStreamState.Send, stream.State);
        stream.OnStreamDataBlockedLost(0);
        Assert.True(stream.IsStreamDataBlockedPending);
    }

    [Fact]
    public void MarkSentBeyondCredit_IsAProgrammingError()
    {
        using var stream = new SendStream(Id, 1000, 100);
        var connection = new SendCredit(1000);
        stream.Write(new byte[500]);
        Assert.Throws<InvalidOperationException>(() => stream.MarkSent(0, 200, false, connection));
        Assert.Equal(0UL, stream.SentOffset);
    }

    [Fact]
    public void ApplicationReset_QueuesResetStreamWithLargestOffsetSent()
    {
        using var stream = new SendStream(Id, 10_000, 10_000);
        var connection = new SendCredit(10_000);
        stream.Write(new byte[3000]);
        SendNext(stream, connection);
        var lost = SendNext(stream, connection, 800);
        stream.OnLost(lost.Offset, lost.Length, lost.Fin);

        Assert.True(stream.Reset(42));
        Assert.Equal(SendStreamState.ResetSent, stream.State);
        Assert.False(stream.Reset(43));
        Assert.False(stream.HasDataToSend(connection));
        Assert.False(stream.TryPeekNext(connection, 1000, out _, out _, out _));
        Assert.False(stream.CanWrite);
        Assert.Equal(0, stream.WritableBytes);
        Assert.Throws<InvalidOperationException>(() => stream.MarkSent(0, 10, false, connection));

        Assert.True(stream.NeedsResetStream);
        Assert.True(stream.TryTakeResetStream(out ulong code, out ulong finalSize));
        Assert.Equal((42UL, 2000UL), (code, finalSize));
        Assert.False(stream.NeedsResetStream);
        stream.OnResetStreamLost();
        Assert.True(stream.TryTakeResetStream(out _, out _));
        stream.OnResetStreamAcked();
        Assert.Equal(SendStreamState.ResetRecvd, stream.State);
        stream.OnResetStreamLost(); // late loss report after the ack
        Assert.False(stream.NeedsResetStream);
        Assert.True(stream.IsTerminal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void StopSending_InReadySendOrDataSent_IsAnsweredWithResetStream(int sentChunks)
    {
        using var stream = new SendStream(Id, 10_000, 10_000);
        var connection = new SendCredit(10_000);
        stream.Write(new byte[1000]);
        if (sentChunks >= 1) SendNext(stream, connection, 500);
        if (sentChunks >= 2)
        {
            stream.Finish();
            SendNext(stream, connection);
            Assert.Equal(SendStreamState.DataSent, stream.State);
        }

        Assert.True(stream.OnStopSending(7));
        Assert.True(stream.IsStopSendingReceived);
        Assert.Equal(7UL, stream.StopSendingErrorCode);
        Assert.Equal(SendStreamState.ResetSent, stream.State);
        Assert.True(stream.TryTakeResetStream(out ulong code, out ulong finalSize));
        Assert.Equal(7UL, code); // the peer's error code is copied
        Assert.Equal(sentChunks switch { 0 => 0UL, 1 => 500UL, _ => 1000UL }, finalSize);
        Assert.False(stream.OnStopSending(8)); // already reset
    }

    [Fact]
    public void StopSending_AfterAllDataAcked_IsOnlyRecorded()
    {
        using var stream = new SendStream(Id, 10_000, 10_000);
        var connection = new SendCredit(10_000);
        stream.Write(new byte[10]);
        stream.Finish();
        var sent = SendNext(stream, connection);
        stream.OnAcked(sent.Offset, sent.Length, sent.Fin);
        Assert.False(stream.OnStopSending(1));
        Assert.True(stream.IsStopSendingReceived);
        Assert.Equal(SendStreamState.DataRecvd, stream.State);
        Assert.False(stream.NeedsResetStream);
    }

    [Fact]
    public void WritesAfterFinish_Throw()
    {
        using var stream = new SendStream(Id, 100, 100);
        stream.Finish();
        Assert.Throws<InvalidOperationException>(() => stream.Write(new byte[1]));
        Assert.Throws<InvalidOperationException>(stream.Finish);
    }
}
