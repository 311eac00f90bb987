using System.Net;
using System.Threading.Channels;
using AwgProxy.Interop.Transport;

namespace AwgProxy.Interop.Tests.InMemory;

/// <summary>
/// An <see cref="IInteropTransportFactory"/> without sockets: one listener, connections as in-memory pairs.
/// ALPN is negotiated as TLS does (the first client offer the server accepts, or the handshake fails).
/// </summary>
internal sealed class InMemoryInteropTransport : IInteropTransportFactory
{
    private readonly int _window;
    private readonly List<InMemoryInteropConnection> _clientSides = [];
    private readonly List<InMemoryInteropConnection> _serverSides = [];
    private InMemoryInteropListener? _listener;

    /// <param name="window">Per-direction buffer of every stream (its flow-control window).</param>
    public InMemoryInteropTransport(int window = 256 * 1024)
    {
        _window = window;
    }

    public InteropClientOptions? LastClientOptions { get; private set; }

    public InteropServerOptions? LastServerOptions { get; private set; }

    public IReadOnlyList<InMemoryInteropConnection> ClientSides
    {
        get
        {
            lock (_clientSides)
            {
                return [.. _clientSides];
            }
        }
    }

    public IReadOnlyList<InMemoryInteropConnection> ServerSides
    {
        get
        {
            lock (_clientSides)
            {
                return [.. _serverSides];
            }
        }
    }

    public ValueTask<IInteropListener> ListenAsync(InteropServerOptions options, CancellationToken cancellationToken = default)
    {
        LastServerOptions = options;
        _listener = new InMemoryInteropListener(options);
        return ValueTask.FromResult<IInteropListener>(_listener);
    }

    public ValueTask<IInteropConnection> ConnectAsync(InteropClientOptions options, CancellationToken cancellationToken = default)
    {
        LastClientOptions = options;
        InMemoryInteropListener listener = _listener is { IsOpen: true } open ? open : throw new IOException("connection refused: no listener");
        string alpn = options.ApplicationProtocols.FirstOrDefault(listener.Options.ApplicationProtocols.Contains)
            ?? throw new IOException("CRYPTO_ERROR 0x178 (no_application_protocol)");
        (InMemoryInteropConnection client, InMemoryInteropConnection server) = InMemoryInteropConnection.CreatePair(alpn, _window);
        lock (_clientSides)
        {
            _clientSides.Add(client);
            _serverSides.Add(server);
        }

        listener.Enqueue(server);
        return ValueTask.FromResult<IInteropConnection>(client);
    }

    private sealed class InMemoryInteropListener : IInteropListener
    {
        private readonly Channel<IInteropConnection> _accept = Channel.CreateUnbounded<IInteropConnection>();

        public InMemoryInteropListener(InteropServerOptions options)
        {
            Options = options;
        }

        public InteropServerOptions Options { get; }

        public bool IsOpen { get; private set; } = true;

        public EndPoint LocalEndPoint => Options.ListenEndPoint;

        public void Enqueue(IInteropConnection connection) => _accept.Writer.TryWrite(connection);

        public async ValueTask<IInteropConnection> AcceptConnectionAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                return await _accept.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException ex)
            {
                throw new ObjectDisposedException("listener", ex);
            }
        }

        public ValueTask DisposeAsync()
        {
            IsOpen = false;
            _accept.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
