using System.Net;
using System.Net.Security;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Transport;
using AwgProxy.Tunnel.Protocol;
using AwgProxy.Tunnel.Quic;
using AwgProxy.Tunnel.Tests.Doubles;

namespace AwgProxy.Tunnel.Tests.Quic;

/// <summary>
/// The adapters between QUIC and the tunnel abstractions (docs/protocol.md section 11): stream aborts carry
/// their codes, the end of the connection is a <see cref="TunnelConnectionClosedException"/>, accepting
/// returns null once closed, and disposing an unfinished stream resets it rather than ending it cleanly.
/// </summary>
public sealed class QuicTunnelAdapterTests : IAsyncLifetime
{
    private readonly Ed25519KeyPair _serverKey = Ed25519KeyPair.Generate();
    private QuicListener _listener = null!;
    private QuicTunnelConnection _client = null!;
    private QuicTunnelConnection _server = null!;

    public async Task InitializeAsync()
    {
        Ed25519KeyPair clientKey = Ed25519KeyPair.Generate();
        _listener = await QuicListener.ListenAsync(new QuicListenerOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            ApplicationProtocols = [new SslApplicationProtocol(TunnelProtocol.Alpn)],
            ConnectionOptions = new QuicServerConnectionOptions
            {
                ServerAuthenticationOptions = new QuicServerAuthenticationOptions
                {
                    ServerCertificate = TlsCertificateCredential.FromEd25519(_serverKey),
                    ClientCertificateRequired = true,
                    ClientCertificateValidator = _ => "alice",
                },
            },
        });
        var factory = new QuicTunnelConnectionFactory(new QuicTunnelClientOptions
        {
            Server = _listener.LocalEndPoint,
            ClientKey = clientKey,
            ServerPublicKey = _serverKey.PublicKey,
        });
        Task<QuicConnection> accept = _listener.AcceptConnectionAsync().AsTask();
        _client = (QuicTunnelConnection)await factory.ConnectAsync(CancellationToken.None).AsTask().Bounded();
        _server = new QuicTunnelConnection(await accept.Bounded(), "alice");
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        await _listener.DisposeAsync();
    }

    [Fact]
    public async Task ClientConnection_AdvertisesNoStreamsForTheServerToOpen()
    {
        Assert.Equal("alice", _server.PeerIdentity);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _server.OpenStreamAsync(cancel.Token).AsTask());
    }

    [Fact]
    public async Task PeerResetsItsSendingSide_ReadThrowsStreamAbortedWithTheCode()
    {
        (ITunnelStream client, ITunnelStream server) = await OpenPairAsync();

        server.Abort(TunnelAbortDirection.Write, TunnelErrorCode.UpstreamReset);

        TunnelStreamAbortedException error = await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => ReadAllAsync(client));
        Assert.Equal(TunnelErrorCode.UpstreamReset, error.ErrorCode);
    }

    [Fact]
    public async Task PeerStopsReading_WriteThrowsStreamAbortedWithTheCode()
    {
        (ITunnelStream client, ITunnelStream server) = await OpenPairAsync();

        server.Abort(TunnelAbortDirection.Read, TunnelErrorCode.LimitExceeded);

        TunnelStreamAbortedException error = await Assert.ThrowsAsync<TunnelStreamAbortedException>(async () =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                await client.WriteAsync(new byte[16 * 1024]).AsTask().Bounded();
            }
        });
        Assert.Equal(TunnelErrorCode.LimitExceeded, error.ErrorCode);
    }

    [Fact]
    public async Task DisposingAnUnfinishedStream_ResetsIt_NeverAFin()
    {
        (ITunnelStream client, ITunnelStream server) = await OpenPairAsync();

        await client.DisposeAsync();

        TunnelStreamAbortedException error = await Assert.ThrowsAsync<TunnelStreamAbortedException>(() => ReadAllAsync(server));
        Assert.Equal(TunnelErrorCode.NoError, error.ErrorCode);
    }

    [Fact]
    public async Task CompletedWrites_ReadAsAFin()
    {
        (ITunnelStream client, ITunnelStream server) = await OpenPairAsync();

        await client.WriteAsync("done"u8.ToArray());
        client.CompleteWrites();
        await client.DisposeAsync();

        Assert.Equal("hellodone"u8.ToArray(), await ReadAllAsync(server));
    }

    [Fact]
    public async Task ConnectionClosedByPeer_StreamsThrowConnectionClosed_AcceptReturnsNull_OpenThrows()
    {
        (ITunnelStream client, ITunnelStream server) = await OpenPairAsync();

        await _server.CloseAsync(TunnelErrorCode.ServerShuttingDown);

        TunnelConnectionClosedException read = await Assert.ThrowsAsync<TunnelConnectionClosedException>(() => ReadAllAsync(client));
        Assert.Equal(TunnelErrorCode.ServerShuttingDown, read.ErrorCode);
        await _client.Closed.Bounded();
        await Assert.ThrowsAsync<TunnelConnectionClosedException>(() => _client.OpenStreamAsync().AsTask().Bounded());
        Assert.Null(await _server.AcceptStreamAsync().AsTask().Bounded());
        await server.DisposeAsync();
    }

    /// <summary>A stream the client opened (it has sent "hello") and its server side.</summary>
    private async Task<(ITunnelStream Client, ITunnelStream Server)> OpenPairAsync()
    {
        ITunnelStream client = await _client.OpenStreamAsync().AsTask().Bounded();
        await client.WriteAsync("hello"u8.ToArray());
        ITunnelStream? server = await _server.AcceptStreamAsync().AsTask().Bounded();
        Assert.NotNull(server);
        Assert.Equal(client.Id, server.Id);
        return (client, server);
    }

    private static async Task<byte[]> ReadAllAsync(ITunnelStream stream)
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
