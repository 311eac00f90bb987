using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Interop.Tests.InMemory;

/// <summary>One end of an in-memory connection pair; stream IDs follow RFC 9000 section 2.1.</summary>
internal sealed class InMemoryInteropConnection : IInteropConnection
{
    private readonly Channel<InMemoryInteropStream> _incoming = Channel.CreateUnbounded<InMemoryInteropStream>();
    private readonly ConcurrentQueue<InMemoryInteropStream> _streams = new();
    private readonly StreamInitiator _role;
    private readonly int _window;
    private long _nextBidirectional;
    private long _nextUnidirectional;
    private int _closed;

    private InMemoryInteropConnection(StreamInitiator role, string alpn, int window)
    {
        _role = role;
        _window = window;
        NegotiatedAlpn = alpn;
    }

    public InMemoryInteropConnection Peer { get; private set; } = null!;

    public string NegotiatedAlpn { get; }

    public CipherSuite? NegotiatedCipherSuite => CipherSuite.TLS_AES_128_GCM_SHA256;

    public InteropKeyExchangeGroup? NegotiatedGroup => InteropKeyExchangeGroup.X25519;

    public EndPoint? RemoteEndPoint => new IPEndPoint(IPAddress.Loopback, _role == StreamInitiator.Client ? 4434 : 50000);

    /// <summary>The code this side closed with, or the peer's code if the peer closed first.</summary>
    public long? CloseCode { get; private set; }

    /// <summary>Whether this side called <see cref="CloseAsync"/> (or was disposed) first.</summary>
    public bool ClosedLocally { get; private set; }

    /// <summary>Every stream this side has seen, opened or accepted.</summary>
    public IReadOnlyCollection<InMemoryInteropStream> Streams => _streams;

    public static (InMemoryInteropConnection Client, InMemoryInteropConnection Server) CreatePair(string alpn, int window)
    {
        var client = new InMemoryInteropConnection(StreamInitiator.Client, alpn, window);
        var server = new InMemoryInteropConnection(StreamInitiator.Server, alpn, window);
        client.Peer = server;
        server.Peer = client;
        return (client, server);
    }

    public ValueTask<InteropStream> OpenBidirectionalStreamAsync(CancellationToken cancellationToken = default) =>
        Open(StreamDirection.Bidirectional);

    public ValueTask<InteropStream> OpenUnidirectionalStreamAsync(CancellationToken cancellationToken = default) =>
        Open(StreamDirection.Unidirectional);

    public async ValueTask<InteropStream> AcceptStreamAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _incoming.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new IOException($"connection closed (code 0x{CloseCode ?? 0:x})", ex);
        }
    }

    public ValueTask CloseAsync(long errorCode, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            ClosedLocally = true;
            CloseCode = errorCode;
            Shutdown(new IOException($"connection closed locally with code 0x{errorCode:x}"));
            Peer.ClosedByPeer(errorCode);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => CloseAsync(0);

    private void ClosedByPeer(long errorCode)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            CloseCode = errorCode;
            Shutdown(new IOException($"connection closed by the peer with code 0x{errorCode:x}"));
        }
    }

    private void Shutdown(IOException error)
    {
        _incoming.Writer.TryComplete();
        foreach (InMemoryInteropStream stream in _streams)
        {
            stream.ConnectionLost(error);
        }
    }

    private ValueTask<InteropStream> Open(StreamDirection direction)
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            throw new IOException("connection closed");
        }

        StreamType type = StreamTypeExtensions.Of(_role, direction);
        long sequence = direction == StreamDirection.Bidirectional
            ? Interlocked.Increment(ref _nextBidirectional) - 1
            : Interlocked.Increment(ref _nextUnidirectional) - 1;
        long id = (sequence << 2) | (long)type;
        var outbound = new InMemoryDirection(_window);
        InMemoryDirection? inbound = direction == StreamDirection.Bidirectional ? new InMemoryDirection(_window) : null;
        var local = new InMemoryInteropStream(id, type, receive: inbound, send: outbound);
        var remote = new InMemoryInteropStream(id, type, receive: outbound, send: inbound);
        _streams.Enqueue(local);
        Peer._streams.Enqueue(remote);
        if (!Peer._incoming.Writer.TryWrite(remote))
        {
            throw new IOException("connection closed by the peer");
        }

        return ValueTask.FromResult<InteropStream>(local);
    }
}
