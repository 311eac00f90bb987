using System.Security.Cryptography;
using AwgProxy.Tunnel.Protocol;
using AwgProxy.Tunnel.Relay;
using AwgProxy.Tunnel.Tests.Doubles;
using Microsoft.Extensions.Time.Testing;

namespace AwgProxy.Tunnel.Tests.Relay;

/// <summary>
/// The relay between two in-memory duplex streams: the "tunnel" pair (relay end, peer end) and the
/// "tcp" pair (relay end, application end).
/// </summary>
public class StreamRelayTests
{
    private const long TcpFailureCode = 0x1;
    private const long CancelCode = 0x10;

    private sealed class Rig
    {
        public Rig(TimeSpan? idle = null, TimeProvider? time = null, int bufferSize = StreamRelay.DefaultBufferSize)
        {
            (TunnelRelayEnd, TunnelPeer) = InMemoryTunnelStream.CreatePair();
            (TcpRelayEnd, TcpPeer) = InMemoryTunnelStream.CreatePair();
            Relay = new StreamRelay(idle ?? Timeout.InfiniteTimeSpan, time ?? TimeProvider.System, bufferSize);
        }

        public InMemoryTunnelStream TunnelRelayEnd { get; }

        public InMemoryTunnelStream TunnelPeer { get; }

        public InMemoryTunnelStream TcpRelayEnd { get; }

        public InMemoryTunnelStream TcpPeer { get; }

        public StreamRelay Relay { get; }

        public Task<RelayResult> Run(CancellationToken cancellationToken = default) =>
            Relay.RunAsync(TunnelRelayEnd, TcpRelayEnd, TcpFailureCode, CancelCode, cancellationToken);
    }

    [Fact]
    public async Task BothDirections_CopyIntactAndCompleteAfterBothFins()
    {
        var rig = new Rig(bufferSize: 1000);
        byte[] up = StreamIo.RandomBytes(300_000, 1);
        byte[] down = StreamIo.RandomBytes(200_000, 2);
        Task<RelayResult> relay = rig.Run();

        Task sendUp = Task.Run(async () => { await rig.TunnelPeer.WriteAsync(up); rig.TunnelPeer.CompleteWrites(); });
        Task sendDown = Task.Run(async () => { await rig.TcpPeer.WriteAsync(down); rig.TcpPeer.CompleteWrites(); });
        Task<byte[]> receivedUp = StreamIo.ReadToEndAsync(rig.TcpPeer);
        Task<byte[]> receivedDown = StreamIo.ReadToEndAsync(rig.TunnelPeer);
        await Task.WhenAll(sendUp, sendDown).Bounded();

        Assert.Equal(SHA256.HashData(up), SHA256.HashData(await receivedUp.Bounded()));
        Assert.Equal(SHA256.HashData(down), SHA256.HashData(await receivedDown.Bounded()));
        RelayResult result = await relay.Bounded();
        Assert.Equal(RelayOutcome.Completed, result.Outcome);
        Assert.Equal(up.Length, result.TunnelToTcpBytes);
        Assert.Equal(down.Length, result.TcpToTunnelBytes);
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task TunnelFin_HalfClosesTcp_AndTheOtherDirectionKeepsFlowing()
    {
        var rig = new Rig();
        Task<RelayResult> relay = rig.Run();

        rig.TunnelPeer.CompleteWrites();
        Assert.Empty(await StreamIo.ReadToEndAsync(rig.TcpPeer).Bounded());

        await rig.TcpPeer.WriteAsync("after half-close"u8.ToArray());
        Assert.Equal("after half-close"u8.ToArray(), await StreamIo.ReadExactlyAsync(rig.TunnelPeer, 16).Bounded());
        Assert.False(relay.IsCompleted);

        rig.TcpPeer.CompleteWrites();
        Assert.Empty(await StreamIo.ReadToEndAsync(rig.TunnelPeer).Bounded());
        Assert.Equal(RelayOutcome.Completed, (await relay.Bounded()).Outcome);
    }

    [Fact]
    public async Task TcpFin_HalfClosesTheTunnel_AndTheOtherDirectionKeepsFlowing()
    {
        var rig = new Rig();
        Task<RelayResult> relay = rig.Run();

        rig.TcpPeer.CompleteWrites();
        Assert.Empty(await StreamIo.ReadToEndAsync(rig.TunnelPeer).Bounded());

        await rig.TunnelPeer.WriteAsync("still going"u8.ToArray());
        Assert.Equal("still going"u8.ToArray(), await StreamIo.ReadExactlyAsync(rig.TcpPeer, 11).Bounded());

        rig.TunnelPeer.CompleteWrites();
        Assert.Equal(RelayOutcome.Completed, (await relay.Bounded()).Outcome);
    }

    [Fact]
    public async Task TunnelPeerReset_ResetsTcpAndAbortsTheTunnelWithThePeersCode()
    {
        var rig = new Rig();
        Task<RelayResult> relay = rig.Run();

        rig.TunnelPeer.Abort(TunnelAbortDirection.Write, TunnelErrorCode.ClientAborted);
        RelayResult result = await relay.Bounded();

        Assert.Equal(RelayOutcome.TunnelFailed, result.Outcome);
        Assert.Equal(TunnelErrorCode.ClientAborted, result.PeerErrorCode);
        var tcpSide = await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => rig.TcpPeer.ReadAsync(new byte[1]).AsTask().Bounded());
        Assert.Equal(TunnelErrorCode.ClientAborted, tcpSide.ErrorCode);
        var tunnelSide = await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => rig.TunnelPeer.ReadAsync(new byte[1]).AsTask().Bounded());
        Assert.Equal(TunnelErrorCode.ClientAborted, tunnelSide.ErrorCode);
    }

    [Fact]
    public async Task TunnelPeerStopSending_FailsTheNextWriteAndResetsTcp()
    {
        var rig = new Rig();
        Task<RelayResult> relay = rig.Run();

        rig.TunnelPeer.Abort(TunnelAbortDirection.Read, TunnelErrorCode.ClientAborted);
        await rig.TcpPeer.WriteAsync(new byte[10]);
        RelayResult result = await relay.Bounded();

        Assert.Equal(RelayOutcome.TunnelFailed, result.Outcome);
        Assert.Equal(TunnelErrorCode.ClientAborted, result.PeerErrorCode);
        await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => rig.TcpPeer.ReadAsync(new byte[1]).AsTask().Bounded());
    }

    [Fact]
    public async Task TcpReset_AbortsTheTunnelBothWaysWithTheTcpFailureCode()
    {
        var rig = new Rig();
        Task<RelayResult> relay = rig.Run();

        rig.TcpPeer.Abort(TunnelAbortDirection.Both, 0);
        RelayResult result = await relay.Bounded();

        Assert.Equal(RelayOutcome.TcpFailed, result.Outcome);
        Assert.Null(result.PeerErrorCode);
        var read = await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => rig.TunnelPeer.ReadAsync(new byte[1]).AsTask().Bounded());
        Assert.Equal(TcpFailureCode, read.ErrorCode);
        var write = await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => rig.TunnelPeer.WriteAsync(new byte[1]).AsTask().Bounded());
        Assert.Equal(TcpFailureCode, write.ErrorCode);
    }

    [Fact]
    public async Task NoTraffic_EndsWithIdleTimeoutAndAbortsBothSides()
    {
        var time = new FakeTimeProvider();
        var rig = new Rig(TimeSpan.FromMinutes(5), time);
        Task<RelayResult> relay = rig.Run();

        time.Advance(TimeSpan.FromMinutes(5));
        RelayResult result = await relay.Bounded();

        Assert.Equal(RelayOutcome.IdleTimeout, result.Outcome);
        var tunnel = await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => rig.TunnelPeer.ReadAsync(new byte[1]).AsTask().Bounded());
        Assert.Equal(TunnelErrorCode.IdleTimeout, tunnel.ErrorCode);
        await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => rig.TcpPeer.ReadAsync(new byte[1]).AsTask().Bounded());
    }

    [Fact]
    public async Task Progress_PushesTheIdleDeadlineBack()
    {
        var time = new FakeTimeProvider();
        var rig = new Rig(TimeSpan.FromMinutes(5), time);
        Task<RelayResult> relay = rig.Run();

        time.Advance(TimeSpan.FromMinutes(4));
        for (int i = 0; i < 2; i++)
        {
            // Two round trips: when the second arrives, the copy loop has finished the first write
            // and pushed the deadline back (all at the same fake instant).
            await rig.TunnelPeer.WriteAsync(new byte[] { 1 });
            await StreamIo.ReadExactlyAsync(rig.TcpPeer, 1).Bounded();
        }

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.False(relay.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(RelayOutcome.IdleTimeout, (await relay.Bounded()).Outcome);
    }

    [Fact]
    public async Task Cancellation_EndsAsCanceledAndAbortsTheTunnelWithTheCancelCode()
    {
        var rig = new Rig();
        using var cts = new CancellationTokenSource();
        Task<RelayResult> relay = rig.Run(cts.Token);

        await cts.CancelAsync();
        RelayResult result = await relay.Bounded();

        Assert.Equal(RelayOutcome.Canceled, result.Outcome);
        var read = await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => rig.TunnelPeer.ReadAsync(new byte[1]).AsTask().Bounded());
        Assert.Equal(CancelCode, read.ErrorCode);
    }

    [Fact]
    public async Task TunnelConnectionLoss_IsATunnelFailureWithoutAPeerCode()
    {
        var (client, server) = InMemoryTunnelConnection.CreatePair();
        ITunnelStream clientStream = await client.OpenStreamAsync();
        ITunnelStream serverStream = (await server.AcceptStreamAsync())!;
        var (tcpRelayEnd, tcpPeer) = InMemoryTunnelStream.CreatePair();
        var relay = new StreamRelay(Timeout.InfiniteTimeSpan, TimeProvider.System);
        Task<RelayResult> run = relay.RunAsync(serverStream, tcpRelayEnd, TcpFailureCode, CancelCode, CancellationToken.None);

        client.Drop();
        RelayResult result = await run.Bounded();

        Assert.Equal(RelayOutcome.TunnelFailed, result.Outcome);
        Assert.Null(result.PeerErrorCode);
        Assert.IsType<TunnelConnectionClosedException>(result.Error);
        await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => tcpPeer.ReadAsync(new byte[1]).AsTask().Bounded());
        await clientStream.DisposeAsync();
    }

    [Fact]
    public void Constructor_RejectsNonPositiveIdleTimeout()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamRelay(TimeSpan.Zero, TimeProvider.System));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamRelay(TimeSpan.FromSeconds(-5), TimeProvider.System));
    }
}
