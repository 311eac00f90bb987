using System.Net;
using System.Net.Sockets;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Transport;
using AwgProxy.Tunnel.Client;
using AwgProxy.Tunnel.Protocol;
using AwgProxy.Tunnel.Quic;
using AwgProxy.Tunnel.Server;
using AwgProxy.Tunnel.Tests.Doubles;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AwgProxy.Tunnel.Tests.Quic;

/// <summary>The tunnel over the real QUIC driver: client factory, listener, authentication and connection limits.</summary>
public class QuicTunnelTests
{
    [Fact]
    public async Task TunnelClientOverQuic_RelaysBytesAndHalfCloseToTheDestination()
    {
        await using QuicTunnelHarness harness = await QuicTunnelHarness.StartAsync();
        await using TcpTestServer destination = TcpTestServer.Start();
        await using var client = new TunnelClient(harness.Factory(), new TunnelClientOptions(), harness.ClientMetrics);

        TunnelOpenResult open = await client.OpenAsync(TunnelDestination.FromAddress(IPAddress.Loopback, destination.Port), CancellationToken.None).Bounded();
        Assert.Equal(TunnelStatus.Succeeded, open.Status);
        await using ITunnelStream stream = open.Stream!;
        using Socket upstream = await destination.AcceptAsync();

        await stream.WriteAsync("ping"u8.ToArray());
        stream.CompleteWrites();
        byte[] received = new byte[4];
        await upstream.ReceiveAsync(received).Bounded();
        Assert.Equal("ping"u8.ToArray(), received);
        Assert.Equal(0, await upstream.ReceiveAsync(new byte[1]).Bounded()); // the FIN went through

        await upstream.SendAsync("pong"u8.ToArray());
        upstream.Shutdown(SocketShutdown.Send);
        Assert.Equal("pong", System.Text.Encoding.ASCII.GetString(await ReadToEndAsync(stream)));
        Assert.Equal(1, harness.Listener.ConnectionCount);
    }

    [Fact]
    public async Task WrongServerKey_FactoryRefusesWithServerKeyMismatch_Counted()
    {
        await using QuicTunnelHarness harness = await QuicTunnelHarness.StartAsync();
        using var failures = new MetricCollector<long>(harness.ClientMeters, TunnelClientMetrics.MeterName, "awgproxy.tunnel.client.auth_failures");

        TunnelAuthenticationException error = await Assert.ThrowsAsync<TunnelAuthenticationException>(
            () => harness.Factory(pin: Ed25519KeyPair.Generate().PublicKey).ConnectAsync(CancellationToken.None).AsTask().Bounded());

        Assert.Equal(QuicTunnelConnectionFactory.ServerKeyMismatch, error.Reason);
        Assert.Contains("not the pinned [Client] ServerPublicKey", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, Count(failures, QuicTunnelConnectionFactory.ServerKeyMismatch));
        Assert.Equal(0, harness.Listener.ConnectionCount);
    }

    [Fact]
    public async Task UnknownClientKey_RefusedDuringTheHandshake_BothSidesCountIt()
    {
        await using QuicTunnelHarness harness = await QuicTunnelHarness.StartAsync();
        using var serverFailures = new MetricCollector<long>(harness.ServerMeters, TunnelServerMetrics.MeterName, "awgproxy.tunnel.server.auth_failures");
        using var clientFailures = new MetricCollector<long>(harness.ClientMeters, TunnelClientMetrics.MeterName, "awgproxy.tunnel.client.auth_failures");

        TunnelAuthenticationException error = await Assert.ThrowsAsync<TunnelAuthenticationException>(
            () => harness.Factory(clientKey: Ed25519KeyPair.Generate()).ConnectAsync(CancellationToken.None).AsTask().Bounded());

        Assert.Equal(QuicTunnelConnectionFactory.RefusedByServer, error.Reason);
        Assert.Equal(1, Count(serverFailures, TunnelClientAuthenticator.UnknownKey));
        Assert.Equal(1, Count(clientFailures, QuicTunnelConnectionFactory.RefusedByServer));
        Assert.Equal(0, harness.Listener.ConnectionCount);
    }

    [Fact]
    public async Task RevokedClientKey_RefusedWithTheRevokedReason()
    {
        await using QuicTunnelHarness harness = await QuicTunnelHarness.StartAsync();
        using var serverFailures = new MetricCollector<long>(harness.ServerMeters, TunnelServerMetrics.MeterName, "awgproxy.tunnel.server.auth_failures");

        TunnelAuthenticationException error = await Assert.ThrowsAsync<TunnelAuthenticationException>(
            () => harness.Factory(clientKey: harness.RevokedKey).ConnectAsync(CancellationToken.None).AsTask().Bounded());

        Assert.Equal(QuicTunnelConnectionFactory.RefusedByServer, error.Reason);
        Assert.Equal(1, Count(serverFailures, TunnelClientAuthenticator.Revoked));
    }

    [Fact]
    public async Task ConnectionOverThePerClientLimit_ClosedWithLimitExceeded_Counted()
    {
        await using QuicTunnelHarness harness = await QuicTunnelHarness.StartAsync(o => o.MaxConnectionsPerClient = 1);
        using var hits = new MetricCollector<long>(harness.ServerMeters, TunnelServerMetrics.MeterName, "awgproxy.tunnel.server.limit_hits");
        QuicTunnelConnectionFactory factory = harness.Factory();

        await using ITunnelConnection first = await factory.ConnectAsync(CancellationToken.None).AsTask().Bounded();
        QuicCloseReason reason = await RefusedAsync(factory);

        Assert.Equal((QuicError.ConnectionAborted, (long?)TunnelErrorCode.LimitExceeded), (reason.Error, reason.ApplicationErrorCode));
        Assert.False(first.Closed.IsCompleted);
        Assert.Equal(1, hits.GetMeasurementSnapshot().Count(m => Equals(m.Tags["awgproxy.limit"], QuicTunnelListener.ConnectionsPerClientLimit) && Equals(m.Tags["awgproxy.client"], "alice")));
    }

    [Fact]
    public async Task ConnectionOverTheTotalLimit_ClosedWithLimitExceeded()
    {
        await using QuicTunnelHarness harness = await QuicTunnelHarness.StartAsync(o => o.MaxClients = 1);
        QuicTunnelConnectionFactory factory = harness.Factory();

        await using ITunnelConnection first = await factory.ConnectAsync(CancellationToken.None).AsTask().Bounded();
        QuicCloseReason reason = await RefusedAsync(factory);

        Assert.Equal(TunnelErrorCode.LimitExceeded, reason.ApplicationErrorCode);
    }

    [Fact]
    public async Task StreamOverThePerConnectionLimit_AnsweredNotAllowed_Counted()
    {
        await using QuicTunnelHarness harness = await QuicTunnelHarness.StartAsync(o => o.MaxStreamsPerConnection = 1);
        await using TcpTestServer destination = TcpTestServer.Start();
        using var hits = new MetricCollector<long>(harness.ServerMeters, TunnelServerMetrics.MeterName, "awgproxy.tunnel.server.limit_hits");
        await using var client = new TunnelClient(harness.Factory(), new TunnelClientOptions(), harness.ClientMetrics);
        TunnelDestination target = TunnelDestination.FromAddress(IPAddress.Loopback, destination.Port);

        TunnelOpenResult first = await client.OpenAsync(target, CancellationToken.None).Bounded();
        TunnelOpenResult second = await client.OpenAsync(target, CancellationToken.None).Bounded();

        Assert.Equal((TunnelStatus.Succeeded, TunnelStatus.NotAllowedByRuleset), (first.Status, second.Status));
        Assert.Equal(1, hits.GetMeasurementSnapshot().Count(m => Equals(m.Tags["awgproxy.limit"], TunnelServer.StreamsPerConnectionLimit)));
        await first.Stream!.DisposeAsync();
    }

    [Fact]
    public void QuicStreamLimit_LeavesHeadroomAboveTheTunnelLimit()
    {
        Assert.Equal(17, QuicTunnelListener.QuicStreamLimit(1));
        Assert.Equal(256 + 64, QuicTunnelListener.QuicStreamLimit(256));
        Assert.Equal(int.MaxValue / 2, QuicTunnelListener.QuicStreamLimit(int.MaxValue));
    }

    /// <summary>
    /// Connects once more and returns how the server ended that connection: the close arrives either while the
    /// factory waits for the server's verdict (it then throws) or right after the connection was handed out.
    /// </summary>
    private static async Task<QuicCloseReason> RefusedAsync(QuicTunnelConnectionFactory factory)
    {
        try
        {
            await using ITunnelConnection connection = await factory.ConnectAsync(CancellationToken.None).AsTask().Bounded();
            return await ((QuicTunnelConnection)connection).Connection.Closed.Bounded();
        }
        catch (IOException e) when (e.InnerException is QuicException quic)
        {
            Assert.Contains("LIMIT_EXCEEDED", e.Message, StringComparison.Ordinal);
            return new QuicCloseReason(quic.QuicError, false, quic.ApplicationErrorCode, quic.TransportErrorCode, quic.Message);
        }
    }

    private static long Count(MetricCollector<long> collector, string reason) =>
        collector.GetMeasurementSnapshot().Where(m => Equals(m.Tags["awgproxy.reason"], reason)).Sum(m => m.Value);

    private static async Task<byte[]> ReadToEndAsync(ITunnelStream stream)
    {
        var all = new List<byte>();
        byte[] buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer).AsTask().Bounded()) > 0)
        {
            all.AddRange(buffer.AsSpan(0, read));
        }

        return [.. all];
    }
}
