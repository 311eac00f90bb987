using System.Net;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Transport.Paths;
using AwgProxy.Quic.Transport.Tests.Support;

namespace AwgProxy.Quic.Transport.Tests.Connections;

public class HandshakeFailureTests
{
    [Fact]
    public async Task WrongPin_ConnectThrowsQuicExceptionNamingTheTlsFailure()
    {
        await using QuicListener listener = await QuicListener.ListenAsync(TestPeers.Listener());
        byte[] otherKey = Ed25519KeyPair.Generate().PublicKey;

        QuicException error = await Assert.ThrowsAsync<QuicException>(
            () => QuicConnection.ConnectAsync(TestPeers.Client(listener.LocalEndPoint, pin: otherKey)).AsTask().WaitAsync(TestPeers.Bound));

        Assert.Equal(QuicError.TransportError, error.QuicError);
        Assert.Equal(0x100 + (int)AlertDescription.BadCertificate, error.TransportErrorCode);
        Assert.Contains("BadCertificate", error.Message, StringComparison.Ordinal);
        Assert.Contains("pin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlpnMismatch_ConnectFailsWithNoApplicationProtocol()
    {
        await using QuicListener listener = await QuicListener.ListenAsync(TestPeers.Listener());
        QuicClientConnectionOptions options = TestPeers.Client(
            listener.LocalEndPoint, configure: o => o.ClientAuthenticationOptions!.ApplicationProtocols = [new System.Net.Security.SslApplicationProtocol("other"u8.ToArray())]);

        QuicException error = await Assert.ThrowsAsync<QuicException>(() => QuicConnection.ConnectAsync(options).AsTask().WaitAsync(TestPeers.Bound));

        Assert.Equal(0x100 + (int)AlertDescription.NoApplicationProtocol, error.TransportErrorCode);
    }

    [Fact]
    public async Task ClientCertificate_Accepted_ServerSeesTheIdentity()
    {
        QuicListenerOptions listenerOptions = TestPeers.Listener(configure: o =>
        {
            o.ServerAuthenticationOptions!.ClientCertificateRequired = true;
            o.ServerAuthenticationOptions.ClientCertificateValidator = certificate =>
                certificate.Ed25519PublicKey is { } key && key.AsSpan().SequenceEqual(TestPeers.ClientKey.PublicKey) ? "alice" : null;
        });
        await using ConnectedPair pair = await ConnectedPair.CreateAsync(listenerOptions, null, o => o.ClientAuthenticationOptions!.ClientCertificate = TestPeers.ClientCredential);

        Assert.Equal("alice", pair.Server.ClientIdentity);
        Assert.Equal(TestPeers.ClientKey.PublicKey, pair.Server.RemoteCertificate!.Ed25519PublicKey);
        Assert.Null(pair.Client.ClientIdentity);
    }

    [Fact]
    public async Task ClientCertificate_Refused_ConnectAsyncFailsWithTheServersAlertAndNothingIsAccepted()
    {
        QuicListenerOptions listenerOptions = TestPeers.Listener(configure: o =>
        {
            o.ServerAuthenticationOptions!.ClientCertificateRequired = true;
            o.ServerAuthenticationOptions.ClientCertificateValidator = _ => null;
        });
        await using QuicListener listener = await QuicListener.ListenAsync(listenerOptions);
        ValueTask<QuicConnection> accept = listener.AcceptConnectionAsync();
        QuicClientConnectionOptions options = TestPeers.Client(listener.LocalEndPoint, configure: o => o.ClientAuthenticationOptions!.ClientCertificate = TestPeers.ClientCredential);

        // TLS 1.3: the client completes its side before the server judges its certificate; ConnectAsync waits for the
        // server's confirmation, so the refusal fails it.
        QuicException error = await Assert.ThrowsAsync<QuicException>(() => QuicConnection.ConnectAsync(options).AsTask().WaitAsync(TestPeers.Bound));

        Assert.Equal(0x100 + (int)AlertDescription.BadCertificate, error.TransportErrorCode);
        Assert.NotNull(error.CloseReason);
        Assert.False(error.CloseReason.IsLocal);
        Assert.False(accept.IsCompleted);
    }

    [Fact]
    public async Task NoServer_ConnectTimesOut()
    {
        var network = new InMemoryDatagramNetwork();
        await using InMemoryDatagramPath silent = network.CreatePath();
        QuicClientConnectionOptions options = TestPeers.Client(silent.LocalEndPoint, _ => network.CreatePath(), configure: o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(500));

        QuicException error = await Assert.ThrowsAsync<QuicException>(() => QuicConnection.ConnectAsync(options).AsTask().WaitAsync(TestPeers.Bound));

        Assert.Equal(QuicError.ConnectionTimeout, error.QuicError);
    }

    [Fact]
    public async Task Connect_Cancelled_ThrowsOperationCanceled()
    {
        var network = new InMemoryDatagramNetwork();
        await using InMemoryDatagramPath silent = network.CreatePath();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => QuicConnection.ConnectAsync(TestPeers.Client(silent.LocalEndPoint, _ => network.CreatePath()), cancellation.Token).AsTask().WaitAsync(TestPeers.Bound));
    }

    [Fact]
    public async Task Ipv6Loopback_HandshakeCompletes()
    {
        await using ConnectedPair pair = await ConnectedPair.OverUdpAsync(IPAddress.IPv6Loopback);
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetworkV6, pair.Client.RemoteEndPoint.AddressFamily);
    }

    [Fact]
    public async Task DnsEndPoint_IsResolvedAndUsedAsServerName()
    {
        await using QuicListener listener = await QuicListener.ListenAsync(TestPeers.Listener());
        ValueTask<QuicConnection> accept = listener.AcceptConnectionAsync();
        int port = ((IPEndPoint)listener.LocalEndPoint).Port;

        await using QuicConnection client = await QuicConnection.ConnectAsync(TestPeers.Client(new DnsEndPoint("localhost", port, System.Net.Sockets.AddressFamily.InterNetwork)))
            .AsTask().WaitAsync(TestPeers.Bound);
        await using QuicConnection server = await accept.AsTask().WaitAsync(TestPeers.Bound);

        Assert.Equal("localhost", server.TargetHostName);
    }

    [Fact]
    public async Task InvalidOptions_ThrowNamingTheOption()
    {
        ArgumentException error = await Assert.ThrowsAnyAsync<ArgumentException>(
            () => QuicConnection.ConnectAsync(new QuicClientConnectionOptions { RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 1) }).AsTask());
        Assert.Contains("ClientAuthenticationOptions", error.Message, StringComparison.Ordinal);

        ArgumentException listen = await Assert.ThrowsAnyAsync<ArgumentException>(
            () => QuicListener.ListenAsync(new QuicListenerOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }).AsTask());
        Assert.Contains("ApplicationProtocols", listen.Message, StringComparison.Ordinal);
    }
}
