using System.Net;
using AwgProxy.Quic.Transport.Paths;

namespace AwgProxy.Quic.Transport.Tests.Support;

/// <summary>A listener and one connection to it, both sides established.</summary>
internal sealed class ConnectedPair : IAsyncDisposable
{
    private ConnectedPair(QuicListener listener, QuicConnection client, QuicConnection server)
    {
        Listener = listener;
        Client = client;
        Server = server;
    }

    public QuicListener Listener { get; }

    public QuicConnection Client { get; }

    public QuicConnection Server { get; }

    /// <summary>Over UDP on <paramref name="address"/> (127.0.0.1 by default).</summary>
    public static Task<ConnectedPair> OverUdpAsync(
        IPAddress? address = null,
        Action<QuicServerConnectionOptions>? configureServer = null,
        Action<QuicClientConnectionOptions>? configureClient = null) =>
        CreateAsync(TestPeers.Listener(new IPEndPoint(address ?? IPAddress.Loopback, 0), null, configureServer), null, configureClient);

    /// <summary>Over an in-memory network.</summary>
    public static Task<ConnectedPair> InMemoryAsync(
        InMemoryDatagramNetwork network,
        Action<QuicServerConnectionOptions>? configureServer = null,
        Action<QuicClientConnectionOptions>? configureClient = null) =>
        CreateAsync(TestPeers.Listener(null, _ => network.CreatePath(), configureServer), _ => network.CreatePath(), configureClient);

    public static async Task<ConnectedPair> CreateAsync(
        QuicListenerOptions listenerOptions,
        Func<IPEndPoint, IDatagramPath>? clientPaths,
        Action<QuicClientConnectionOptions>? configureClient)
    {
        QuicListener listener = await QuicListener.ListenAsync(listenerOptions);
        try
        {
            ValueTask<QuicConnection> accept = listener.AcceptConnectionAsync();
            QuicConnection client = await QuicConnection.ConnectAsync(TestPeers.Client(listener.LocalEndPoint, clientPaths, configure: configureClient)).AsTask().WaitAsync(TestPeers.Bound);
            QuicConnection server = await accept.AsTask().WaitAsync(TestPeers.Bound);
            return new ConnectedPair(listener, client, server);
        }
        catch
        {
            await listener.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        await Listener.DisposeAsync();
    }
}
