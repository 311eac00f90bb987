using System.Security.Cryptography;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Streams;

public class QuicStreamStateTests
{
    private static readonly StreamSettings Settings = new(10_000, 5000, 5000, 50_000);

    [Theory]
    [InlineData(0UL, StreamInitiator.Client, true, true)]
    [InlineData(0UL, StreamInitiator.Server, true, true)]
    [InlineData(2UL, StreamInitiator.Client, true, false)]
    [InlineData(2UL, StreamInitiator.Server, false, true)]
    [InlineData(3UL, StreamInitiator.Client, false, true)]
    [InlineData(3UL, StreamInitiator.Server, true, false)]
    public void Create_GivesTheHalvesTheRoleHas(ulong id, StreamInitiator localRole, bool hasSend, bool hasReceive)
    {
        using var stream = QuicStreamState.Create(new StreamId(id), localRole, Settings);
        Assert.Equal(hasSend, stream.Send is not null);
        Assert.Equal(hasReceive, stream.Receive is not null);
        Assert.Equal(new StreamId(id), stream.Id);
        Assert.False(stream.IsClosed);
    }

    [Fact]
    public void Bidirectional_ClosesOnlyWhenBothHalvesAreTerminal()
    {
        using var stream = QuicStreamState.Create(new StreamId(0), StreamInitiator.Client, Settings);
        var connectionSend = new SendCredit(100_000);
        var connectionReceive = new ReceiveWindow(100_000, 100_000);

        stream.Send!.Finish();
        Assert.True(stream.Send.TryPeekNext(connectionSend, 100, out ulong offset, out int length, out bool fin));
        stream.Send.MarkSent(offset, length, fin, connectionSend);
        stream.Send.OnAcked(offset, length, fin);
        Assert.True(stream.Send.IsTerminal);
        Assert.False(stream.IsClosed);

        Assert.Equal(TransportErrorCode.NO_ERROR, stream.Receive!.OnResetStream(1, 10, connectionReceive));
        Assert.False(stream.IsClosed);
        stream.Receive.AcknowledgeReset();
        Assert.True(stream.IsClosed);
    }

    [Theory]
    [InlineData(0UL, StreamInitiator.Client, 11UL)] // bidi opened by the parameters' owner: _bidi_local
    [InlineData(0UL, StreamInitiator.Server, 22UL)] // bidi opened by its peer: _bidi_remote
    [InlineData(2UL, StreamInitiator.Server, 33UL)] // uni: _uni
    [InlineData(3UL, StreamInitiator.Client, 33UL)]
    public void InitialMaxStreamData_IsPickedByStreamTypeAndParameterOwner(ulong id, StreamInitiator owner, ulong expected)
    {
        Assert.Equal(expected, StreamSettings.SelectInitialMaxStreamData(new StreamId(id), owner, 11, 22, 33));
    }

    private enum FrameKind
    {
        Stream,
        ResetStream,
        StopSending,
        MaxStreamData,
        MaxData,
    }

    private sealed record Frame(FrameKind Kind, int Stream, ulong Offset = 0, byte[]? Data = null, bool Fin = false, ulong Value = 0, ulong Code = 0);

    private sealed class Link(Random random, double loss)
    {
        private readonly List<(long Due, Frame Frame)> _inFlight = [];

        public void Send(long now, Frame frame) => _inFlight.Add((now + random.Next(1, 15), frame));

        /// <summary>Frames due now, in random order, each either delivered (true) or lost (false).</summary>
        public List<(Frame Frame, bool Delivered)> Poll(long now)
        {
            var due = new List<(Frame, bool)>();
            for (int i = _inFlight.Count - 1; i >= 0; i--)
            {
                if (_inFlight[i].Due > now) continue;
                due.Add((_inFlight[i].Frame, random.NextDouble() >= loss));
                _inFlight.RemoveAt(i);
            }

            return due;
        }
    }

    /// <summary>
    /// Three client unidirectional streams share connection flow control over a lossy, reordering link, driven the way
    /// the connection will drive them: the second is reset by the client application midway, the third is aborted by the
    /// server application (STOP_SENDING, answered with RESET_STREAM). Every frame can be lost and is repaired from the
    /// loss signals. At the end both sides agree: the first stream's bytes arrive intact, every stream is closed, and
    /// connection-level flow control accounts for every byte.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void LossyMultiStreamTransfer_WithResetAndStopSending_EndsConsistent(int seed)
    {
        var random = new Random(seed);
        var rtt = TimeSpan.FromMilliseconds(15);
        var settings = new StreamSettings(SendBufferCapacity: 8000, PeerInitialMaxStreamData: 4000, InitialReceiveWindow: 4000, MaxReceiveWindow: 64_000);
        var clientConnection = new SendCredit(6000);
        var serverConnection = new ReceiveWindow(6000, 200_000);
        var toServer = new Link(random, 0.1);
        var toClient = new Link(random, 0.1);

        const int StreamCount = 3;
        var client = new QuicStreamState[StreamCount];
        var server = new QuicStreamState[StreamCount];
        var sources = new byte[StreamCount][];
        var written = new int[StreamCount];
        var received = new MemoryStream[StreamCount];
        for (int i = 0; i < StreamCount; i++)
        {
            var id = StreamId.FromIndex(StreamType.ClientUnidirectional, (ulong)i);
            client[i] = QuicStreamState.Create(id, StreamInitiator.Client, settings);
            server[i] = QuicStreamState.Create(id, StreamInitiator.Server, settings);
            sources[i] = new byte[random.Next(20_000, 80_000)];
            random.NextBytes(sources[i]);
            received[i] = new MemoryStream();
        }

        var readBuffer = new byte[3000];
        bool done = false;
        for (long now = 0; now < 200_000 && !done; now++)
        {
            Instant instant = Instant.FromMilliseconds(now);

            // Client application.
            for (int i = 0; i < StreamCount; i++)
            {
                SendStream send = client[i].Send!;
                if (send.CanWrite && written[i] < sources[i].Length)
                {
                    written[i] += send.Write(sources[i].AsSpan(written[i], Math.Min(2000, sources[i].Length - written[i])));
                }
                else if (send.CanWrite)
                {
                    send.Finish();
                }

                if (i == 1 && now == 40) send.Reset(77);
            }

            // Client packet building: control frames, then stream data within the credit.
            for (int i = 0; i < StreamCount; i++)
            {
                SendStream send = client[i].Send!;
                if (send.TryTakeResetStream(out ulong code, out ulong finalSize))
                {
                    toServer.Send(now, new Frame(FrameKind.ResetStream, i, Value: finalSize, Code: code));
                }

                send.TryTakeStreamDataBlocked(out _);
                for (int budget = 2; budget > 0 && send.HasDataToSend(clientConnection); budget--)
                {
                    Assert.True(send.TryPeekNext(clientConnection, random.Next(1, 1400), out ulong offset, out int length, out bool fin));
                    var payload = new byte[length];
                    send.CopyTo(offset, payload);
                    send.MarkSent(offset, length, fin, clientConnection);
                    toServer.Send(now, new Frame(FrameKind.Stream, i, offset, payload, fin));
                }
            }

            clientConnection.TryTakeBlockedSignal(out _);

            // Server receives; each frame's fate is reported back to the client as an ack or a loss.
            foreach ((Frame frame, bool delivered) in toServer.Poll(now))
            {
                ReceiveStream receive = server[frame.Stream].Receive!;
                SendStream send = client[frame.Stream].Send!;
                if (frame.Kind == FrameKind.Stream)
                {
                    if (!delivered)
                    {
                        send.OnLost(frame.Offset, frame.Data!.Length, frame.Fin);
                        continue;
                    }

                    Assert.Equal(TransportErrorCode.NO_ERROR, receive.OnStreamFrame(frame.Offset, frame.Data, frame.Fin, serverConnection));
                    send.OnAcked(frame.Offset, frame.Data!.Length, frame.Fin);
                }
                else
                {
                    if (!delivered)
                    {
                        send.OnResetStreamLost();
                        continue;
                    }

                    Assert.Equal(TransportErrorCode.NO_ERROR, receive.OnResetStream(frame.Code, frame.Value, serverConnection));
                    send.OnResetStreamAcked();
                }
            }

            // Server application: stream 0 reads everything, stream 1 notices the reset, stream 2 aborts reading.
            for (int i = 0; i < StreamCount; i++)
            {
                ReceiveStream receive = server[i].Receive!;
                if (receive.IsResetReceived && receive.State == ReceiveStreamState.ResetRecvd) receive.AcknowledgeReset();
                if (i == 2 && now == 60) receive.AbortRead(99, serverConnection);
                if (random.Next(3) != 0)
                {
                    int read = receive.Read(readBuffer.AsSpan(0, random.Next(1, readBuffer.Length)), serverConnection);
                    received[i].Write(readBuffer, 0, read);
                }
            }

            // Server control frames.
            for (int i = 0; i < StreamCount; i++)
            {
                ReceiveStream receive = server[i].Receive!;
                if (receive.TryTakeStopSending(out ulong code)) toClient.Send(now, new Frame(FrameKind.StopSending, i, Code: code));
                if (receive.NeedsMaxStreamData) toClient.Send(now, new Frame(FrameKind.MaxStreamData, i, Value: receive.TakeMaxStreamData(instant, rtt, serverConnection)));
            }

            if (serverConnection.IsUpdateDue) toClient.Send(now, new Frame(FrameKind.MaxData, -1, Value: serverConnection.TakeUpdate(instant, rtt)));

            // Client receives control frames; losses are reported back to the server.
            foreach ((Frame frame, bool delivered) in toClient.Poll(now))
            {
                switch (frame.Kind)
                {
                    case FrameKind.MaxData when delivered:
                        clientConnection.OnLimitReceived(frame.Value);
                        break;
                    case FrameKind.MaxData:
                        serverConnection.OnUpdateLost(frame.Value);
                        break;
                    case FrameKind.MaxStreamData when delivered:
                        client[frame.Stream].Send!.OnMaxStreamData(frame.Value);
                        break;
                    case FrameKind.MaxStreamData:
                        server[frame.Stream].Receive!.OnMaxStreamDataLost(frame.Value);
                        break;
                    case FrameKind.StopSending when delivered:
                        client[frame.Stream].Send!.OnStopSending(frame.Code);
                        break;
                    case FrameKind.StopSending:
                        server[frame.Stream].Receive!.OnStopSendingLost();
                        break;
                }
            }

            done = client.All(s => s.IsClosed) && server.All(s => s.IsClosed);
        }

        Assert.True(done, "streams did not all close: " + string.Join(", ", client.Select(s => s.Send!.State)) + " / " + string.Join(", ", server.Select(s => s.Receive!.State)));
        Assert.Equal(SHA256.HashData(sources[0]), SHA256.HashData(received[0].ToArray()));
        Assert.True(server[0].Receive!.IsFinished);
        Assert.Equal(SendStreamState.ResetRecvd, client[1].Send!.State);
        Assert.Equal(77UL, server[1].Receive!.ResetErrorCode);
        Assert.True(client[2].Send!.IsStopSendingReceived);
        Assert.Equal(99UL, server[2].Receive!.ResetErrorCode);
        Assert.Equal(ReceiveStreamState.ResetRead, server[2].Receive!.State);

        // Both ends count the same bytes, and every one was given back to the connection window.
        ulong totalFinalSizes = 0;
        for (int i = 0; i < StreamCount; i++)
        {
            Assert.Equal(client[i].Send!.SentOffset, server[i].Receive!.FinalSize);
            totalFinalSizes += server[i].Receive!.FinalSize!.Value;
        }

        Assert.Equal(totalFinalSizes, clientConnection.Used);
        Assert.Equal(totalFinalSizes, serverConnection.Received);
        Assert.Equal(totalFinalSizes, serverConnection.Consumed);

        foreach (QuicStreamState stream in client.Concat(server)) stream.Dispose();
    }
}
