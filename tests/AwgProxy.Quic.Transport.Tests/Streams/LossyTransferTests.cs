using System.Security.Cryptography;
using AwgProxy.Quic.Transport.Paths;
using AwgProxy.Quic.Transport.Tests.Support;

namespace AwgProxy.Quic.Transport.Tests.Streams;

public class LossyTransferTests
{
    [Fact]
    public async Task FivePercentLoss_TransferCompletes_WithMatchingHash()
    {
        // Loss starts after the handshake, so the test exercises stream recovery (the core's handshake under loss
        // has its own simulation tests); seeded, so the drops are the same in every run of the same sequence.
        var network = new InMemoryDatagramNetwork(lossRate: 0, seed: 11);
        await using ConnectedPair pair = await ConnectedPair.InMemoryAsync(network);
        network.LossRate = 0.05;
        byte[] data = Payload.Create(2 << 20, seed: 3);

        Task<(byte[] Hash, long Length)> serverSide = Task.Run(async () =>
        {
            await using QuicStream stream = await pair.Server.AcceptInboundStreamAsync();
            return await Payload.ReadToEndHashAsync(stream);
        });

        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await Payload.WriteAllAsync(client, data).WaitAsync(TestPeers.Bound);
        (byte[] hash, long length) = await serverSide.WaitAsync(TestPeers.Bound);

        Assert.Equal(data.Length, length);
        Assert.Equal(SHA256.HashData(data), hash);
        Assert.True(network.Dropped > 0);
        Assert.True(pair.Client.GetStats().PacketsLost > 0);
    }

    [Fact]
    public async Task FivePercentLoss_FromTheStart_HandshakeAndTransferComplete()
    {
        var network = new InMemoryDatagramNetwork(lossRate: 0.05, seed: 23);
        await using ConnectedPair pair = await ConnectedPair.InMemoryAsync(network);
        byte[] data = Payload.Create(500_000, seed: 4);

        Task<byte[]> serverSide = Task.Run(async () =>
        {
            await using QuicStream stream = await pair.Server.AcceptInboundStreamAsync();
            return await Payload.ReadToEndAsync(stream);
        });

        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        await Payload.WriteAllAsync(client, data).WaitAsync(TestPeers.Bound);
        Assert.Equal(data, await serverSide.WaitAsync(TestPeers.Bound));
    }
}
