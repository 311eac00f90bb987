using System.Net;
using System.Net.Sockets;
using AwgProxy.Tunnel.Protocol;
using AwgProxy.Tunnel.Server;
using AwgProxy.Tunnel.Tests.Doubles;
using Microsoft.Extensions.Time.Testing;

namespace AwgProxy.Tunnel.Tests.Server;

public class UpstreamDialerTests
{
    private static readonly TimeSpan AttemptDelay = TimeSpan.FromMilliseconds(250);

    private static EgressPolicy LoopbackAllowed() =>
        new(new EgressPolicyOptions { AllowLoopback = true }, localAddressSource: () => []);

    private static EgressPolicy Default() => new(new EgressPolicyOptions(), localAddressSource: () => []);

    private static HostResolver Resolve(params string[] addresses) =>
        (_, _) => Task.FromResult(addresses.Select(IPAddress.Parse).ToArray());

    private static HostResolver NeverCalledResolver() =>
        (host, _) => throw new InvalidOperationException($"resolver called for {host}");

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task LocalListener_Connects(string address)
    {
        await using var listener = TcpTestServer.Start(IPAddress.Parse(address));
        var dialer = new UpstreamDialer(LoopbackAllowed(), TimeSpan.FromSeconds(10), AttemptDelay);

        DialResult result = await dialer.DialAsync(TunnelDestination.FromAddress(IPAddress.Parse(address), listener.Port), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.Succeeded, result.Status);
        using Socket socket = result.Socket!;
        Assert.True(socket.Connected);
        Assert.Equal(listener.EndPoint, result.RemoteEndPoint);
        using Socket accepted = await listener.AcceptAsync();
        Assert.Equal(socket.LocalEndPoint, accepted.RemoteEndPoint);
    }

    [Fact]
    public async Task ClosedPort_IsConnectionRefused()
    {
        int port = TcpTestServer.GetClosedPort();
        var dialer = new UpstreamDialer(LoopbackAllowed(), TimeSpan.FromSeconds(10), AttemptDelay);

        DialResult result = await dialer.DialAsync(TunnelDestination.FromAddress(IPAddress.Loopback, port), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.ConnectionRefused, result.Status);
        Assert.Equal(SocketError.ConnectionRefused, result.SocketError);
        Assert.Null(result.Socket);
    }

    [Fact]
    public async Task Localhost_ResolvesWithTheRealResolverAndConnects()
    {
        await using var listener = TcpTestServer.Start(IPAddress.Loopback);
        var dialer = new UpstreamDialer(LoopbackAllowed(), TimeSpan.FromSeconds(10), AttemptDelay);

        DialResult result = await dialer.DialAsync(TunnelDestination.FromHost("localhost", listener.Port), CancellationToken.None).Bounded();

        // localhost may resolve to ::1 first; nothing listens there, so Happy Eyeballs moves on to 127.0.0.1.
        Assert.Equal(TunnelStatus.Succeeded, result.Status);
        Assert.Equal(listener.EndPoint, result.RemoteEndPoint);
        result.Socket!.Dispose();
    }

    [Fact]
    public async Task Localhost_IsRefusedByTheDefaultPolicy()
    {
        var dialer = new UpstreamDialer(Default(), TimeSpan.FromSeconds(10), AttemptDelay);

        DialResult result = await dialer.DialAsync(TunnelDestination.FromHost("localhost", 80), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.NotAllowedByRuleset, result.Status);
        Assert.Equal(EgressVerdict.Loopback, result.Verdict);
    }

    [Fact]
    public async Task NameNotFound_IsHostUnreachable()
    {
        HostResolver resolver = (_, _) => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
        var connector = new FakeConnector(TimeProvider.System);
        var dialer = new UpstreamDialer(Default(), TimeSpan.FromSeconds(10), AttemptDelay, resolver: resolver, connector: connector.ConnectAsync);

        DialResult result = await dialer.DialAsync(TunnelDestination.FromHost("no-such-name.invalid", 80), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.HostUnreachable, result.Status);
        Assert.Equal(SocketError.HostNotFound, result.SocketError);
        Assert.Empty(connector.Calls);
    }

    [Fact]
    public async Task NameWithNoAddresses_IsHostUnreachable()
    {
        var dialer = new UpstreamDialer(Default(), TimeSpan.FromSeconds(10), AttemptDelay, resolver: Resolve());

        DialResult result = await dialer.DialAsync(TunnelDestination.FromHost("empty.example", 80), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.HostUnreachable, result.Status);
    }

    [Theory]
    [InlineData("10.0.0.5", EgressVerdict.Private)]
    [InlineData("169.254.169.254", EgressVerdict.LinkLocal)]
    [InlineData("::ffff:127.0.0.1", EgressVerdict.Loopback)]
    [InlineData("fd00::1", EgressVerdict.Private)]
    public async Task NameResolvingToARefusedAddress_IsRefusedWithoutConnecting(string resolved, EgressVerdict verdict)
    {
        var connector = new FakeConnector(TimeProvider.System);
        var dialer = new UpstreamDialer(Default(), TimeSpan.FromSeconds(10), AttemptDelay, resolver: Resolve(resolved), connector: connector.ConnectAsync);

        DialResult result = await dialer.DialAsync(TunnelDestination.FromHost("rebind.example", 80), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.NotAllowedByRuleset, result.Status);
        Assert.Equal(verdict, result.Verdict);
        Assert.Empty(connector.Calls);
    }

    [Fact]
    public async Task NameResolvingToPrivateAndPublic_ConnectsOnlyToThePublicAddress()
    {
        var connector = new FakeConnector(TimeProvider.System);
        connector.Fail("93.184.216.34", SocketError.ConnectionRefused);
        var dialer = new UpstreamDialer(Default(), TimeSpan.FromSeconds(10), AttemptDelay, resolver: Resolve("10.0.0.5", "93.184.216.34", "192.168.1.1"), connector: connector.ConnectAsync);

        DialResult result = await dialer.DialAsync(TunnelDestination.FromHost("mixed.example", 80), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.ConnectionRefused, result.Status);
        Assert.Equal([IPAddress.Parse("93.184.216.34")], connector.Calls.Select(c => c.EndPoint.Address));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("2130706433")]   // 127.0.0.1 as one decimal number
    [InlineData("0x7f.0.0.1")]   // inet_aton's hex form
    [InlineData("::ffff:127.0.0.1")]
    public async Task IPLiteralSentAsAName_IsNotResolvedAndStillChecked(string host)
    {
        var dialer = new UpstreamDialer(Default(), TimeSpan.FromSeconds(10), AttemptDelay, resolver: NeverCalledResolver());

        DialResult result = await dialer.DialAsync(TunnelDestination.FromHost(host, 80), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.NotAllowedByRuleset, result.Status);
        Assert.Equal(EgressVerdict.Loopback, result.Verdict);
    }

    [Fact]
    public async Task MappedAddress_IsDialedInItsIPv4Form()
    {
        var connector = new FakeConnector(TimeProvider.System);
        connector.Succeed("93.184.216.34");
        var dialer = new UpstreamDialer(Default(), TimeSpan.FromSeconds(10), AttemptDelay, connector: connector.ConnectAsync);

        DialResult result = await dialer.DialAsync(TunnelDestination.FromAddress(IPAddress.Parse("::ffff:93.184.216.34"), 443), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.Succeeded, result.Status);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("93.184.216.34"), 443), Assert.Single(connector.Calls).EndPoint);
        result.Socket!.Dispose();
    }

    [Fact]
    public async Task DeniedPort_IsRefusedBeforeResolving()
    {
        var policy = new EgressPolicy(new EgressPolicyOptions { DeniedPorts = [25] }, localAddressSource: () => []);
        var dialer = new UpstreamDialer(policy, TimeSpan.FromSeconds(10), AttemptDelay, resolver: NeverCalledResolver());

        DialResult result = await dialer.DialAsync(TunnelDestination.FromHost("mail.example", 25), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.NotAllowedByRuleset, result.Status);
        Assert.Equal(EgressVerdict.DeniedPort, result.Verdict);
    }

    [Theory]
    [InlineData(SocketError.NetworkUnreachable, TunnelStatus.NetworkUnreachable)]
    [InlineData(SocketError.HostUnreachable, TunnelStatus.HostUnreachable)]
    [InlineData(SocketError.ConnectionRefused, TunnelStatus.ConnectionRefused)]
    [InlineData(SocketError.TimedOut, TunnelStatus.TtlExpired)]
    [InlineData(SocketError.AccessDenied, TunnelStatus.GeneralFailure)]
    public async Task ConnectError_MapsToItsStatus(SocketError error, TunnelStatus expected)
    {
        var connector = new FakeConnector(TimeProvider.System);
        connector.Fail("93.184.216.34", error);
        var dialer = new UpstreamDialer(Default(), TimeSpan.FromSeconds(10), AttemptDelay, connector: connector.ConnectAsync);

        DialResult result = await dialer.DialAsync(TunnelDestination.FromAddress(IPAddress.Parse("93.184.216.34"), 80), CancellationToken.None).Bounded();

        Assert.Equal(expected, result.Status);
        Assert.Equal(error, result.SocketError);
    }

    [Fact]
    public async Task NoAnswerWithinTheConnectTimeout_IsTtlExpired()
    {
        var time = new FakeTimeProvider();
        var connector = new FakeConnector(time);
        var dialer = new UpstreamDialer(Default(), TimeSpan.FromSeconds(10), AttemptDelay, time, connector: connector.ConnectAsync);

        Task<DialResult> dial = dialer.DialAsync(TunnelDestination.FromAddress(IPAddress.Parse("93.184.216.34"), 80), CancellationToken.None);
        await connector.WaitForCallsAsync(1);
        time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(dial.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        DialResult result = await dial.Bounded();

        Assert.Equal(TunnelStatus.TtlExpired, result.Status);
        Assert.Single(connector.Canceled);
    }

    [Fact]
    public async Task SlowResolver_CountsAgainstTheConnectTimeout()
    {
        var time = new FakeTimeProvider();
        var resolving = new TaskCompletionSource();
        HostResolver resolver = async (_, ct) =>
        {
            resolving.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return [];
        };
        var dialer = new UpstreamDialer(Default(), TimeSpan.FromSeconds(10), AttemptDelay, time, resolver);

        Task<DialResult> dial = dialer.DialAsync(TunnelDestination.FromHost("slow.example", 80), CancellationToken.None);
        await resolving.Task.Bounded();
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(TunnelStatus.TtlExpired, (await dial.Bounded()).Status);
    }

    [Fact]
    public async Task HappyEyeballs_AlternatesFamiliesAndStaggersAttempts()
    {
        var time = new FakeTimeProvider();
        DateTimeOffset start = time.GetUtcNow();
        var connector = new FakeConnector(time);
        connector.Succeed("203.0.113.2");
        var dialer = new UpstreamDialer(
            Default(),
            TimeSpan.FromSeconds(10),
            AttemptDelay,
            time,
            Resolve("2001:db8::1", "2001:db8::2", "203.0.113.1", "203.0.113.2"),
            connector.ConnectAsync);

        Task<DialResult> dial = dialer.DialAsync(TunnelDestination.FromHost("dual.example", 443), CancellationToken.None);
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            await connector.WaitForCallsAsync(attempt);
            Assert.False(dial.IsCompleted);
            time.Advance(AttemptDelay);
        }

        DialResult result = await dial.Bounded();

        Assert.Equal(TunnelStatus.Succeeded, result.Status);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.2"), 443), result.RemoteEndPoint);
        Assert.Equal(
            ["2001:db8::1", "203.0.113.1", "2001:db8::2", "203.0.113.2"],
            connector.Calls.Select(c => c.EndPoint.Address.ToString()));
        Assert.Equal(
            [0, 250, 500, 750],
            connector.Calls.Select(c => (int)(c.At - start).TotalMilliseconds));
        await WaitUntilAsync(() => connector.Canceled.Count == 3);
        result.Socket!.Dispose();
    }

    [Fact]
    public async Task FailedAttempt_StartsTheNextOneWithoutWaiting()
    {
        var time = new FakeTimeProvider();
        var connector = new FakeConnector(time);
        connector.Fail("2001:db8::1", SocketError.NetworkUnreachable);
        connector.Succeed("203.0.113.1");
        var dialer = new UpstreamDialer(Default(), TimeSpan.FromSeconds(10), AttemptDelay, time, Resolve("2001:db8::1", "203.0.113.1"), connector.ConnectAsync);

        DialResult result = await dialer.DialAsync(TunnelDestination.FromHost("dual.example", 80), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.Succeeded, result.Status);
        Assert.All(connector.Calls, c => Assert.Equal(time.GetUtcNow(), c.At));
        result.Socket!.Dispose();
    }

    [Fact]
    public async Task EveryAttemptFailing_ReportsTheMostTellingError()
    {
        var connector = new FakeConnector(TimeProvider.System);
        connector.Fail("2001:db8::1", SocketError.NetworkUnreachable);
        connector.Fail("203.0.113.1", SocketError.ConnectionRefused);
        connector.Fail("203.0.113.2", SocketError.HostUnreachable);
        var dialer = new UpstreamDialer(Default(), TimeSpan.FromSeconds(10), AttemptDelay, resolver: Resolve("2001:db8::1", "203.0.113.1", "203.0.113.2"), connector: connector.ConnectAsync);

        DialResult result = await dialer.DialAsync(TunnelDestination.FromHost("dual.example", 80), CancellationToken.None).Bounded();

        Assert.Equal(TunnelStatus.ConnectionRefused, result.Status);
        Assert.Equal(3, connector.Calls.Count);
    }

    [Fact]
    public async Task CallerCancellation_Throws()
    {
        var connector = new FakeConnector(TimeProvider.System);
        var dialer = new UpstreamDialer(Default(), TimeSpan.FromSeconds(10), AttemptDelay, connector: connector.ConnectAsync);
        using var cts = new CancellationTokenSource();

        Task<DialResult> dial = dialer.DialAsync(TunnelDestination.FromAddress(IPAddress.Parse("93.184.216.34"), 80), cts.Token);
        await connector.WaitForCallsAsync(1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dial.Bounded());
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused, TunnelStatus.ConnectionRefused)]
    [InlineData(SocketError.HostUnreachable, TunnelStatus.HostUnreachable)]
    [InlineData(SocketError.HostDown, TunnelStatus.HostUnreachable)]
    [InlineData(SocketError.NetworkUnreachable, TunnelStatus.NetworkUnreachable)]
    [InlineData(SocketError.NetworkDown, TunnelStatus.NetworkUnreachable)]
    [InlineData(SocketError.TimedOut, TunnelStatus.TtlExpired)]
    [InlineData(SocketError.ConnectionReset, TunnelStatus.GeneralFailure)]
    [InlineData(SocketError.AddressNotAvailable, TunnelStatus.GeneralFailure)]
    [InlineData(SocketError.SocketError, TunnelStatus.GeneralFailure)]
    public void ConnectErrorMapping(SocketError error, TunnelStatus expected)
    {
        Assert.Equal(expected, DialErrorMapping.FromConnectError(error));
    }

    [Theory]
    [InlineData(SocketError.HostNotFound, TunnelStatus.HostUnreachable)]
    [InlineData(SocketError.NoData, TunnelStatus.HostUnreachable)]
    [InlineData(SocketError.TryAgain, TunnelStatus.HostUnreachable)]
    [InlineData(SocketError.SocketError, TunnelStatus.GeneralFailure)]
    public void ResolveErrorMapping(SocketError error, TunnelStatus expected)
    {
        Assert.Equal(expected, DialErrorMapping.FromResolveError(error));
    }

    [Fact]
    public void Interleave_StartsWithTheFirstFamilyAndAlternates()
    {
        IPAddress[] input = [.. new[] { "203.0.113.1", "203.0.113.2", "203.0.113.3", "2001:db8::1" }.Select(IPAddress.Parse)];

        Assert.Equal(
            ["203.0.113.1", "2001:db8::1", "203.0.113.2", "203.0.113.3"],
            UpstreamDialer.Interleave(input).Select(a => a.ToString()));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Default);
        while (!condition())
        {
            await Task.Delay(5, cts.Token);
        }
    }
}
