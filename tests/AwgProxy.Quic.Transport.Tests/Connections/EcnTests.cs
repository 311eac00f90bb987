using System.Net;
using System.Security.Cryptography;
using AwgProxy.Quic.Recovery;
using AwgProxy.Quic.Transport.Paths;
using AwgProxy.Quic.Transport.Tests.Support;

namespace AwgProxy.Quic.Transport.Tests.Connections;

/// <summary>ECN through the driver: enabled in the core only when the datagram path reports and applies codepoints.</summary>
public class EcnTests
{
    private static async Task TransferAsync(ConnectedPair pair, int length)
    {
        byte[] data = Payload.Create(length, seed: 3);
        Task serverSide = Task.Run(async () =>
        {
            await using QuicStream stream = await pair.Server.AcceptInboundStreamAsync();
            await Payload.EchoAsync(stream);
        });

        await using QuicStream client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
        Task<(byte[] Hash, long Length)> reading = Payload.ReadToEndHashAsync(client);
        await Payload.WriteAllAsync(client, data);
        (byte[] hash, long received) = await reading.WaitAsync(TestPeers.Bound);
        await serverSide.WaitAsync(TestPeers.Bound);
        Assert.Equal(length, received);
        Assert.Equal(SHA256.HashData(data), hash);
    }

    [Fact]
    public async Task UdpLoopbackWithEcnReports_BothSidesValidateEcn()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync();
        bool pathReportsEcn = UdpDatagramPath.Bind(new IPEndPoint(IPAddress.Loopback, 0)) is var probe && probe.SupportsEcn;
        await probe.DisposeAsync();
        Assert.True(pathReportsEcn || !OperatingSystem.IsLinux(), "Linux UDP sockets report ECN");

        await TransferAsync(pair, 1 << 20);

        EcnState expected = pathReportsEcn ? EcnState.Capable : EcnState.Disabled;
        Assert.Equal(expected, pair.Client.GetStats().EcnState);
        Assert.Equal(expected, pair.Server.GetStats().EcnState);
    }

    [Fact]
    public async Task EcnSwitchedOff_PacketsStayNotEct()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync(
            configureServer: o => o.EnableEcn = false,
            configureClient: o => o.EnableEcn = false);

        await TransferAsync(pair, 256 << 10);

        Assert.Equal(EcnState.Disabled, pair.Client.GetStats().EcnState);
        Assert.Equal(EcnState.Disabled, pair.Server.GetStats().EcnState);
    }

    [Fact]
    public async Task InMemoryPathWithoutEcn_EcnStaysDisabled()
    {
        var network = new InMemoryDatagramNetwork();
        await using ConnectedPair pair = await ConnectedPair.InMemoryAsync(network);

        await TransferAsync(pair, 256 << 10);

        Assert.Equal(EcnState.Disabled, pair.Client.GetStats().EcnState);
    }
}
