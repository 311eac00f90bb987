using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;
using AwgProxy.Quic.Tests.Simulation;

namespace AwgProxy.Quic.Tests.Connections;

/// <summary>Seeded, bounded fuzzing of the connection and endpoint: nothing from the network may throw.</summary>
public class RobustnessTests
{
    /// <summary>Bit flips, truncations, byte overwrites, duplicates and garbage, applied to a fraction of the datagrams.</summary>
    private static Func<SimulatedDatagram, SimulatedDatagram?> Mutator(Random random, double rate) => d =>
    {
        if (random.NextDouble() >= rate) return d;
        byte[] bytes = (byte[])d.Payload.Clone();
        switch (random.Next(5))
        {
            case 0:
                for (int i = random.Next(1, 4); i > 0; i--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                bytes = bytes[..random.Next(bytes.Length)];
                break;
            case 2:
                bytes[random.Next(Math.Min(bytes.Length, 64))] = (byte)random.Next(256);
                break;
            case 3:
                random.NextBytes(bytes.AsSpan(random.Next(bytes.Length)));
                break;
            default:
                bytes = new byte[random.Next(1, 1500)];
                random.NextBytes(bytes);
                if (random.Next(2) == 0) bytes[0] = (byte)(0xc0 | (bytes[0] & 0x3f));
                break;
        }

        return d with { Payload = bytes };
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void MutatedDatagramsDuringHandshakeAndTransfer_OnlyDropsOrCleanCloses(int seed)
    {
        var random = new Random(seed);
        using var pair = new Pair(seed: 100 + seed);
        pair.ToServer.Rewrite = Mutator(random, 0.15);
        pair.ToClient.Rewrite = Mutator(random, 0.15);
        pair.ToServer.DuplicateRate = 0.05;
        pair.ToClient.DuplicateRate = 0.05;
        pair.Connect();
        var transfers = new TransferSet(pair);
        bool started = false;
        pair.OnStep += () =>
        {
            if (started || pair.ClientOrNull?.State != ConnectionState.Connected || !pair.HasServer || pair.Server.State != ConnectionState.Connected) return;
            started = true;
            transfers.Start(pair.Client, pair.Server, StreamTransfer.RandomData(200_000, seed));
            transfers.Start(pair.Server, pair.Client, StreamTransfer.RandomData(200_000, seed + 1));
        };

        // Garbage straight into both endpoints, from the peers' addresses and from strangers.
        var response = new byte[4096];
        for (int step = 0; step < 4000 && !(started && transfers.AllComplete); step++)
        {
            if (!pair.Step()) break;
            if (random.Next(10) == 0)
            {
                byte[] garbage = new byte[random.Next(1, 1400)];
                random.NextBytes(garbage);
                pair.ServerEndpoint.HandleDatagram(pair.Now, random.Next(2) == 0 ? pair.ClientAddress : TestPeers.Address("10.1.2.3", 999), garbage, EcnCodepoint.NotEct, response, out _);
                random.NextBytes(garbage);
                pair.ClientEndpoint.HandleDatagram(pair.Now, pair.ServerAddress, garbage, EcnCodepoint.NotEct, response, out _);
            }
        }

        foreach (Connection connection in pair.AllConnections)
        {
            // Alive, or ended through a proper close: never an exception.
            Assert.True(connection.Error is null || connection.State != ConnectionState.Connected);
        }

        if (started && transfers.AllComplete)
        {
            foreach (StreamTransfer transfer in transfers.Transfers) transfer.AssertIntact();
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomFramesAfterAuthentication_NeverThrow(int seed)
    {
        var random = new Random(seed);
        int closed = 0;
        for (int round = 0; round < 40; round++)
        {
            using var pair = new Pair(seed: 200 + (seed * 100) + round);
            pair.DriveHandshake();
            Assert.True(pair.Client.TryOpenStream(Quic.Streams.StreamDirection.Bidirectional, out ulong stream));
            pair.Client.StreamWrite(stream, new byte[3000]);
            pair.RunFor(TimeSpan.FromMilliseconds(30));

            Connection target = random.Next(2) == 0 ? pair.Client : pair.Server;
            for (int i = 0; i < 30 && target.State == ConnectionState.Connected; i++)
            {
                byte[] payload = RandomFrames(random);
                target.InjectDecryptedPayload(pair.Now, payload, random.Next(8) == 0 ? PacketType.Handshake : PacketType.OneRtt);
                pair.RunFor(TimeSpan.FromMilliseconds(random.Next(1, 20)));
            }

            if (target.Error is { } error)
            {
                closed++;
                Assert.True(error.IsLocal || error.Kind != ConnectionErrorKind.Transport || !error.IsNoError);
            }

            // Whatever happened, the pair keeps working or ends within a bounded time.
            pair.RunFor(TimeSpan.FromSeconds(1));
        }

        Assert.True(closed > 0, "some random frames were protocol violations");
    }

    /// <summary>One to four frames: each a valid-looking frame with random fields, or random bytes.</summary>
    private static byte[] RandomFrames(Random random)
    {
        var buffer = new byte[1200];
        var writer = new SpanWriter(buffer);
        int count = random.Next(1, 5);
        for (int i = 0; i < count && writer.Remaining > 80; i++)
        {
            ulong small = (ulong)random.Next(0, 40);
            ulong big = random.Next(4) == 0 ? (ulong)random.NextInt64(0, (long)VarInt.MaxValue) : (ulong)random.Next(0, 100_000);
            switch (random.Next(16))
            {
                case 0:
                    new MaxDataFrame(big).Write(ref writer);
                    break;
                case 1:
                    new MaxStreamDataFrame(small, big).Write(ref writer);
                    break;
                case 2:
                    new MaxStreamsFrame(random.Next(2) == 0, random.Next(3) == 0 ? big : small).Write(ref writer);
                    break;
                case 3:
                    new ResetStreamFrame(small, big, random.Next(2) == 0 ? big : small).Write(ref writer);
                    break;
                case 4:
                    new StopSendingFrame(small, big).Write(ref writer);
                    break;
                case 5:
                    new StreamFrame(small, random.Next(2) == 0 ? 0 : big, new byte[random.Next(0, 40)], random.Next(2) == 0).Write(ref writer);
                    break;
                case 6:
                    new CryptoFrame(random.Next(2) == 0 ? 0 : big, new byte[random.Next(0, 40)]).Write(ref writer);
                    break;
                case 7:
                    ulong largest = (ulong)random.Next(0, 100);
                    new AckFrame([new PacketNumberRange(largest - Math.Min(largest, small), largest)], big).Write(ref writer);
                    break;
                case 8:
                    var id = new byte[random.Next(1, 21)];
                    random.NextBytes(id);
                    var token = new byte[16];
                    random.NextBytes(token);
                    ulong sequence = small;
                    new NewConnectionIdFrame(sequence, (ulong)random.Next(0, (int)sequence + 1), new ConnectionId(id), new StatelessResetToken(token)).Write(ref writer);
                    break;
                case 9:
                    new RetireConnectionIdFrame(small).Write(ref writer);
                    break;
                case 10:
                    new PathChallengeFrame((ulong)random.NextInt64()).Write(ref writer);
                    break;
                case 11:
                    new PathResponseFrame((ulong)random.NextInt64()).Write(ref writer);
                    break;
                case 12:
                    new StreamDataBlockedFrame(small, big).Write(ref writer);
                    break;
                case 13:
                    new DatagramFrame(new byte[random.Next(0, 60)]).Write(ref writer);
                    break;
                case 14:
                    writer.WriteByte((byte)random.Next(0, 0x31));
                    break;
                default:
                    random.NextBytes(writer.Reserve(random.Next(1, 30)));
                    break;
            }
        }

        return buffer[..writer.Position];
    }
}
