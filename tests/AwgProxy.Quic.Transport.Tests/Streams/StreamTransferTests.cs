using System.Security.Cryptography;
using AwgProxy.Quic.Transport.Paths;
using AwgProxy.Quic.Transport.Tests.Support;

namespace AwgProxy.Quic.Transport.Tests.Streams;

public class StreamTransferTests
{
    [Fact]
    public async Task Echo_TenMebibytes_OverUdp_ComesBackIdentical()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        byte[] data = Payload.Create(10 << 20);

        Task serverSide = Task.Run(async () =>
        {
            await using QuicStream stream = await pair.Server.AcceptInboundStreamAsync();
            await Payload.EchoAsync(stream);
        });

        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        Task<(byte[] Hash, long Length)> reading = Payload.ReadToEndHashAsync(client);
        await Payload.WriteAllAsync(client, data);
        (byte[] hash, long length) = await reading.WaitAsync(TestPeers.Bound);
        await serverSide.WaitAsync(TestPeers.Bound);

        Assert.Equal(data.Length, length);
        Assert.Equal(SHA256.HashData(data), hash);
    }

    [Fact]
    public async Task ManySmallMessages_ArriveInOrder()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        const int Messages = 2000;

        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        Task writing = Task.Run(async () =>
        {
            for (int i = 0; i < Messages; i++)
            {
                await client.WriteAsync(BitConverter.GetBytes(i));
            }

            client.CompleteWrites();
        });

        await using QuicStream server = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);
        byte[] received = await Payload.ReadToEndAsync(server).WaitAsync(TestPeers.Bound);
        await writing;

        Assert.Equal(Messages * 4, received.Length);
        for (int i = 0; i < Messages; i++)
        {
            Assert.Equal(i, BitConverter.ToInt32(received, i * 4));
        }
    }

    [Fact]
    public async Task HundredConcurrentStreams_EachEchoesItsOwnData()
    {
        var network = new InMemoryDatagramNetwork();
        await using ConnectedPair pair = await ConnectedPair.InMemoryAsync(network);
        const int Streams = 100;

        Task server = Task.Run(async () =>
        {
            var echoes = new List<Task>();
            for (int i = 0; i < Streams; i++)
            {
                QuicStream stream = await pair.Server.AcceptInboundStreamAsync();
                echoes.Add(Task.Run(async () =>
                {
                    await using (stream)
                    {
                        await Payload.EchoAsync(stream);
                    }
                }));
            }

            await Task.WhenAll(echoes);
        });

        Task[] clients = Enumerable.Range(0, Streams).Select(i => Task.Run(async () =>
        {
            byte[] data = Payload.Create(20_000 + i, seed: i);
            await using QuicStream stream = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
            Task<byte[]> reading = Payload.ReadToEndAsync(stream);
            await Payload.WriteAllAsync(stream, data, chunk: 4096);
            Assert.Equal(data, await reading);
        })).ToArray();

        await Task.WhenAll(clients).WaitAsync(TestPeers.Bound);
        await server.WaitAsync(TestPeers.Bound);
    }

    [Fact]
    public async Task FinishedStreams_AreNoLongerTracked_EvenWhenNotDisposed()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        Task server = Task.Run(async () =>
        {
            for (int i = 0; i < 20; i++)
            {
                QuicStream stream = await pair.Server.AcceptInboundStreamAsync();
                await Payload.EchoAsync(stream);
            }
        });

        var streams = new List<QuicStream>();
        for (int i = 0; i < 20; i++)
        {
            QuicStream stream = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
            await stream.WriteAsync(new byte[] { (byte)i }, completeWrites: true);
            Assert.Equal(new byte[] { (byte)i }, await Payload.ReadToEndAsync(stream).WaitAsync(TestPeers.Bound));
            await stream.WritesClosed.WaitAsync(TestPeers.Bound);
            streams.Add(stream);
        }

        await server.WaitAsync(TestPeers.Bound);
        Assert.Equal(0, pair.Client.TrackedStreamCount);
        GC.KeepAlive(streams);
    }

    [Fact]
    public async Task UnidirectionalStream_CarriesDataOneWay()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        byte[] data = Payload.Create(100_000);

        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Unidirectional);
        Assert.False(client.CanRead);
        Assert.True(client.CanWrite);
        await client.WriteAsync(data, completeWrites: true);

        await using QuicStream server = await pair.Server.AcceptInboundStreamAsync().AsTask().WaitAsync(TestPeers.Bound);
        Assert.Equal(QuicStreamType.Unidirectional, server.Type);
        Assert.True(server.CanRead);
        Assert.False(server.CanWrite);
        Assert.Equal(client.Id, server.Id);
        Assert.Equal(data, await Payload.ReadToEndAsync(server).WaitAsync(TestPeers.Bound));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await server.WriteAsync(new byte[1]));
    }
}
