using System.Security.Cryptography;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Streams;

public class SendBufferTests
{
    private static byte[] Source(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Peeks, copies and marks one chunk as sent, returning (offset, bytes, fin).</summary>
    private static (ulong Offset, byte[] Data, bool Fin) SendNext(SendBuffer buffer, ulong maxOffset = ulong.MaxValue, int maxLength = 1200)
    {
        Assert.True(buffer.TryPeekNext(maxOffset, maxLength, out ulong offset, out int length, out bool fin));
        var data = new byte[length];
        buffer.CopyTo(offset, data);
        buffer.MarkSent(offset, length, fin);
        return (offset, data, fin);
    }

    [Fact]
    public void Write_AcceptsUpToCapacity_ThenAcksMakeRoom()
    {
        using var buffer = new SendBuffer(1000);
        Assert.Equal(1000, buffer.Write(new byte[1500]));
        Assert.Equal(0, buffer.AvailableCapacity);
        Assert.Equal(0, buffer.Write(new byte[1]));

        var sent = SendNext(buffer, maxLength: 600);
        Assert.Equal(0, buffer.AvailableCapacity); // sent but unacknowledged data still occupies the buffer
        buffer.OnAcked(sent.Offset, sent.Data.Length, sent.Fin);
        Assert.Equal(600, buffer.AvailableCapacity);
        Assert.Equal(400, buffer.BufferedBytes);
        Assert.Equal(600, buffer.Write(new byte[700]));
    }

    [Fact]
    public void Peek_RespectsFlowControlAndLength_AndChangesNothing()
    {
        byte[] source = Source(5000, 1);
        using var buffer = new SendBuffer(10_000);
        buffer.Write(source);

        Assert.True(buffer.TryPeekNext(3000, 1200, out ulong offset, out int length, out bool fin));
        Assert.Equal((0UL, 1200, false), (offset, length, fin));
        Assert.True(buffer.TryPeekNext(1000, 1200, out offset, out length, out _));
        Assert.Equal((0UL, 1000), (offset, length));
        Assert.Equal(0UL, buffer.SentOffset);

        Assert.Equal(1000UL, buffer.MarkSent(0, 1000, false));
        Assert.False(buffer.TryPeekNext(1000, 1200, out _, out _, out _));
        Assert.True(buffer.IsBlockedAt(1000));
        Assert.False(buffer.HasDataToSend(1000));
        Assert.True(buffer.HasDataToSend(1001));
        Assert.False(buffer.IsBlockedAt(1001));

        var copy = new byte[4000];
        buffer.CopyTo(1000, copy);
        Assert.Equal(source.AsSpan(1000).ToArray(), copy);
    }

    [Fact]
    public void LostRanges_AreRetransmittedBeforeNewData_WithoutFlowControlCredit()
    {
        using var buffer = new SendBuffer(10_000);
        buffer.Write(new byte[5000]);
        SendNext(buffer, maxLength: 1000);
        SendNext(buffer, maxLength: 1000);
        buffer.OnLost(0, 1000, false);

        Assert.True(buffer.HasRetransmission);
        Assert.True(buffer.TryPeekNext(2000, 600, out ulong offset, out int length, out _)); // limit reached, still allowed
        Assert.Equal((0UL, 600), (offset, length));
        Assert.Equal(0UL, buffer.MarkSent(offset, length, false)); // retransmission: no new credit used
        Assert.True(buffer.TryPeekNext(2000, 1200, out offset, out length, out _));
        Assert.Equal((600UL, 400), (offset, length));
        buffer.MarkSent(offset, length, false);
        Assert.False(buffer.HasRetransmission);
        Assert.True(buffer.TryPeekNext(3000, 1200, out offset, out _, out _));
        Assert.Equal(2000UL, offset);
    }

    [Fact]
    public void LossOfARangePartlyAcked_RetransmitsOnlyTheUnackedParts()
    {
        using var buffer = new SendBuffer(10_000);
        buffer.Write(new byte[300]);
        SendNext(buffer, maxLength: 100);
        SendNext(buffer, maxLength: 100);
        SendNext(buffer, maxLength: 100);
        buffer.OnAcked(100, 100, false);
        buffer.OnLost(0, 300, false);

        var retransmitted = new List<(ulong, int)>();
        while (buffer.HasRetransmission)
        {
            Assert.True(buffer.TryPeekNext(0, 1000, out ulong offset, out int length, out _));
            buffer.MarkSent(offset, length, false);
            retransmitted.Add((offset, length));
        }

        Assert.Equal([(0UL, 100), (200UL, 100)], retransmitted);
    }

    [Fact]
    public void SpuriousLoss_FollowedByAck_CancelsTheRetransmission()
    {
        using var buffer = new SendBuffer(10_000);
        buffer.Write(new byte[100]);
        SendNext(buffer);
        buffer.OnLost(0, 100, false);
        buffer.OnAcked(0, 100, false);
        Assert.False(buffer.HasRetransmission);
        Assert.Equal(0, buffer.BufferedBytes);
    }

    [Fact]
    public void Fin_GoesWithTheLastByte_OrAloneAfterAllDataWasSent()
    {
        using var buffer = new SendBuffer(1000);
        buffer.Write(new byte[10]);
        buffer.Finish();
        var chunk = SendNext(buffer);
        Assert.True(chunk.Fin);
        Assert.Equal(10, chunk.Data.Length);

        using var late = new SendBuffer(1000);
        late.Write(new byte[10]);
        SendNext(late);
        Assert.False(late.HasDataToSend(ulong.MaxValue));
        late.Finish();
        Assert.True(late.TryPeekNext(10, 0, out ulong offset, out int length, out bool fin)); // needs no credit nor room
        Assert.Equal((10UL, 0, true), (offset, length, fin));
        late.MarkSent(offset, length, fin);
        Assert.True(late.IsFinSent);
        Assert.False(late.HasDataToSend(ulong.MaxValue));
    }

    [Fact]
    public void LostFin_IsResent_AndAllAckedOnlyWhenFinAndDataAcked()
    {
        using var buffer = new SendBuffer(1000);
        buffer.Write(new byte[10]);
        buffer.Finish();
        SendNext(buffer);
        buffer.OnLost(0, 10, true);

        var retry = SendNext(buffer, maxLength: 4);
        Assert.Equal((0UL, 4, false), (retry.Offset, retry.Data.Length, retry.Fin));
        retry = SendNext(buffer);
        Assert.Equal((4UL, 6, true), (retry.Offset, retry.Data.Length, retry.Fin));

        buffer.OnAcked(4, 6, true);
        Assert.True(buffer.IsFinAcked);
        Assert.False(buffer.IsAllAcked);
        buffer.OnAcked(0, 4, false);
        Assert.True(buffer.IsAllAcked);
        Assert.Equal(0, buffer.BufferedBytes);

        // A late loss report of an already acknowledged FIN changes nothing.
        buffer.OnLost(4, 6, true);
        Assert.False(buffer.HasDataToSend(ulong.MaxValue));
    }

    [Fact]
    public void AckOfAFinOnlyFrame_BeforeEarlierData_DoesNotMoveTheAckedPrefix()
    {
        using var buffer = new SendBuffer(1000);
        buffer.Write(new byte[100]);
        SendNext(buffer, maxLength: 50);
        SendNext(buffer, maxLength: 50);
        buffer.Finish();
        var finOnly = SendNext(buffer);
        Assert.Equal((100UL, 0, true), (finOnly.Offset, finOnly.Data.Length, finOnly.Fin));

        buffer.OnAcked(50, 50, false);
        buffer.OnAcked(100, 0, true);
        Assert.Equal(0UL, buffer.AckedOffset);
        Assert.False(buffer.IsAllAcked);
        buffer.OnAcked(0, 50, false);
        Assert.Equal(100UL, buffer.AckedOffset);
        Assert.True(buffer.IsAllAcked);
    }

    [Fact]
    public void EmptyStream_SendsAFinOnlyFrameAtOffsetZero()
    {
        using var buffer = new SendBuffer(100);
        buffer.Finish();
        var chunk = SendNext(buffer, maxOffset: 0);
        Assert.Equal((0UL, 0, true), (chunk.Offset, chunk.Data.Length, chunk.Fin));
        buffer.OnAcked(0, 0, true);
        Assert.True(buffer.IsAllAcked);
        Assert.Throws<InvalidOperationException>(() => buffer.Write(new byte[1]));
    }

    [Fact]
    public void Reset_ReportsLargestOffsetSent_AndStopsEverything()
    {
        using var buffer = new SendBuffer(10_000);
        buffer.Write(new byte[5000]);
        SendNext(buffer, maxLength: 1000);
        SendNext(buffer, maxLength: 1000);
        buffer.OnLost(0, 1000, false);

        Assert.Equal(2000UL, buffer.Reset());
        Assert.True(buffer.IsReset);
        Assert.Equal(2000UL, buffer.Reset()); // idempotent
        Assert.False(buffer.HasDataToSend(ulong.MaxValue));
        Assert.False(buffer.HasRetransmission);
        Assert.False(buffer.TryPeekNext(ulong.MaxValue, 1000, out _, out _, out _));
        buffer.OnAcked(1000, 1000, false);
        buffer.OnLost(0, 1000, false);
        Assert.False(buffer.HasRetransmission);
        Assert.Equal(0, buffer.AvailableCapacity);
        Assert.Throws<InvalidOperationException>(() => buffer.Write(new byte[1]));
    }

    [Fact]
    public void Reset_WithUnsentFinishedData_ReportsOnlyWhatWasSent()
    {
        using var buffer = new SendBuffer(10_000);
        buffer.Write(new byte[3000]);
        buffer.Finish();
        SendNext(buffer, maxLength: 1200);
        Assert.Equal(1200UL, buffer.Reset());
    }

    [Fact]
    public void MisuseByTheCaller_Throws()
    {
        using var buffer = new SendBuffer(100);
        buffer.Write(new byte[50]);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.MarkSent(10, 5, false)); // gap before it
        Assert.Throws<ArgumentException>(() => buffer.MarkSent(0, 50, true)); // FIN not written
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.OnAcked(0, 10, false)); // never sent
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.CopyTo(40, new byte[20]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void LossyLink_ReceiverEndsWithExactBytesAndFin_AndSenderFreesMemoryAsAcksArrive(int seed)
    {
        var random = new Random(seed * 7919);
        for (int round = 0; round < 25; round++)
        {
            RunLossyTransfer(random);
        }
    }

    private sealed record Packet(ulong Offset, byte[] Data, bool Fin);

    /// <summary>
    /// One transfer through a simulated link in virtual time: packets take 1-8 steps, some are dropped (the sender
    /// learns it 1-20 steps later), some are declared lost spuriously and acknowledged afterwards (so retransmissions
    /// overlap data acknowledged later), acknowledgements arrive out of order, and the receiver reads at random.
    /// </summary>
    private static void RunLossyTransfer(Random random)
    {
        int length = random.Next(0, 60_000);
        byte[] source = Source(length, random.Next());
        int capacity = random.Next(500, 20_000);
        int window = random.Next(1000, 30_000);
        double lossRate = random.NextDouble() * 0.3;
        double spuriousRate = random.NextDouble() * 0.2;

        using var sender = new SendBuffer(capacity);
        using var receiver = new ReceiveAssembler(window, TransportErrorCode.FLOW_CONTROL_ERROR);
        var acked = new bool[length];
        var inFlight = new List<(long Due, Packet Packet)>();
        var notifications = new List<(long Due, Packet Packet, bool Acked)>();
        using var received = new MemoryStream();
        var readBuffer = new byte[4096];
        int written = 0;

        for (long now = 0; now < 200_000 && !(sender.IsAllAcked && receiver.IsFinished); now++)
        {
            // Application writes what the buffer accepts, then finishes.
            if (written < length)
            {
                written += sender.Write(source.AsSpan(written, Math.Min(length - written, random.Next(1, 5000))));
                Assert.True(sender.BufferedBytes <= capacity);
            }
            else if (!sender.IsFinWritten)
            {
                sender.Finish();
            }

            // Packet builder: a few chunks, limited by the receiver's window (instant MAX_STREAM_DATA).
            ulong maxOffset = receiver.ReadOffset + (ulong)window;
            for (int i = random.Next(0, 4); i > 0; i--)
            {
                if (!sender.TryPeekNext(maxOffset, random.Next(0, 1500), out ulong offset, out int size, out bool fin)) break;
                var payload = new byte[size];
                sender.CopyTo(offset, payload);
                sender.MarkSent(offset, size, fin);
                inFlight.Add((now + random.Next(1, 9), new Packet(offset, payload, fin)));
            }

            // Network.
            for (int i = inFlight.Count - 1; i >= 0; i--)
            {
                if (inFlight[i].Due > now) continue;
                Packet packet = inFlight[i].Packet;
                inFlight.RemoveAt(i);
                if (random.NextDouble() < lossRate)
                {
                    notifications.Add((now + random.Next(1, 21), packet, false));
                    continue;
                }

                Assert.Equal(TransportErrorCode.NO_ERROR, receiver.Insert(packet.Offset, packet.Data, packet.Fin));
                if (random.Next(20) == 0) Assert.Equal(TransportErrorCode.NO_ERROR, receiver.Insert(packet.Offset, packet.Data, packet.Fin));
                if (random.NextDouble() < spuriousRate)
                {
                    notifications.Add((now + random.Next(0, 6), packet, false));
                    notifications.Add((now + random.Next(6, 31), packet, true));
                }
                else
                {
                    notifications.Add((now + random.Next(1, 11), packet, true));
                }
            }

            // Loss and acknowledgement notifications, in random order.
            Shuffle(notifications, random);
            for (int i = notifications.Count - 1; i >= 0; i--)
            {
                if (notifications[i].Due > now) continue;
                (_, Packet packet, bool isAck) = notifications[i];
                notifications.RemoveAt(i);
                if (!isAck)
                {
                    sender.OnLost(packet.Offset, packet.Data.Length, packet.Fin);
                    continue;
                }

                ulong before = sender.AckedOffset;
                sender.OnAcked(packet.Offset, packet.Data.Length, packet.Fin);
                for (int b = 0; b < packet.Data.Length; b++) acked[(int)packet.Offset + b] = true;
                int prefix = (int)before;
                while (prefix < length && acked[prefix]) prefix++;
                Assert.Equal((ulong)prefix, sender.AckedOffset); // memory is freed exactly up to the acked prefix
                Assert.Equal(sender.WrittenOffset - sender.AckedOffset, (ulong)sender.BufferedBytes);
            }

            if (random.Next(2) == 0) received.Write(readBuffer, 0, receiver.Read(readBuffer.AsSpan(0, random.Next(1, readBuffer.Length))));
        }

        int tail;
        while ((tail = receiver.Read(readBuffer)) > 0) received.Write(readBuffer, 0, tail);

        Assert.True(sender.IsAllAcked, $"sender not done: acked {sender.AckedOffset}/{length}");
        Assert.True(receiver.IsFinished);
        Assert.Equal((ulong)length, receiver.FinalSize);
        Assert.Equal(SHA256.HashData(source), SHA256.HashData(received.ToArray()));
        Assert.Equal(0, sender.BufferedBytes);
        Assert.Equal(0, sender.AvailableCapacity); // finished
    }

    private static void Shuffle<T>(List<T> list, Random random)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
