using System.Net;
using System.Threading.Channels;

namespace AwgProxy.Tunnel.Tests.Doubles;

/// <summary>
/// One end of an in-memory tunnel connection: streams opened on one end are accepted on the other.
/// <see cref="Drop"/> simulates a lost connection (both ends closed without a code).
/// </summary>
internal sealed class InMemoryTunnelConnection : ITunnelConnection
{
    private readonly Link _link;
    private readonly Channel<ITunnelStream> _accept = Channel.CreateUnbounded<ITunnelStream>();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private InMemoryTunnelConnection _peer = null!;

    private InMemoryTunnelConnection(Link link, string peerIdentity, EndPoint remoteEndPoint)
    {
        _link = link;
        PeerIdentity = peerIdentity;
        RemoteEndPoint = remoteEndPoint;
    }

    public EndPoint RemoteEndPoint { get; }

    public string PeerIdentity { get; }

    public Task Closed => _closed.Task;

    /// <summary>The code the connection was closed with (null for a drop), once closed.</summary>
    public long? CloseCode => _link.CloseCode;

    public bool IsClosed => _link.IsClosed;

    public InMemoryTunnelConnection Peer => _peer;

    /// <summary>A client end (whose peer is the server) and a server end (whose peer is <paramref name="clientIdentity"/>).</summary>
    public static (InMemoryTunnelConnection Client, InMemoryTunnelConnection Server) CreatePair(
        string clientIdentity = "alice",
        string serverIdentity = "server",
        int streamCapacity = 64 * 1024)
    {
        var link = new Link(streamCapacity);
        var client = new InMemoryTunnelConnection(link, serverIdentity, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 443));
        var server = new InMemoryTunnelConnection(link, clientIdentity, new IPEndPoint(IPAddress.Parse("198.51.100.7"), 50000));
        client._peer = server;
        server._peer = client;
        link.Ends = [client, server];
        return (client, server);
    }

    public ValueTask<ITunnelStream> OpenStreamAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        (InMemoryTunnelStream local, InMemoryTunnelStream remote) = _link.CreateStreams();
        if (!_peer._accept.Writer.TryWrite(remote))
        {
            throw new TunnelConnectionClosedException();
        }

        return ValueTask.FromResult<ITunnelStream>(local);
    }

    public async ValueTask<ITunnelStream?> AcceptStreamAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accept.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public ValueTask CloseAsync(long errorCode, CancellationToken cancellationToken = default)
    {
        _link.Close(errorCode);
        return ValueTask.CompletedTask;
    }

    /// <summary>Loses the connection: both ends see it closed, every stream fails.</summary>
    public void Drop() => _link.Close(null);

    public ValueTask DisposeAsync()
    {
        _link.Close(AwgProxy.Tunnel.Protocol.TunnelErrorCode.NoError);
        return ValueTask.CompletedTask;
    }

    private sealed class Link(int streamCapacity)
    {
        private readonly Lock _lock = new();
        private readonly List<InMemoryPipe> _pipes = [];
        private long _nextId;

        public InMemoryTunnelConnection[] Ends { get; set; } = [];

        public bool IsClosed { get; private set; }

        public long? CloseCode { get; private set; }

        public (InMemoryTunnelStream Local, InMemoryTunnelStream Remote) CreateStreams()
        {
            lock (_lock)
            {
                if (IsClosed)
                {
                    throw CloseCode is { } c ? new TunnelConnectionClosedException(c) : new TunnelConnectionClosedException();
                }

                long id = _nextId;
                _nextId += 4;
                var there = new InMemoryPipe(streamCapacity);
                var back = new InMemoryPipe(streamCapacity);
                _pipes.Add(there);
                _pipes.Add(back);
                return (new InMemoryTunnelStream(id, back, there), new InMemoryTunnelStream(id, there, back));
            }
        }

        public void Close(long? code)
        {
            InMemoryPipe[] pipes;
            lock (_lock)
            {
                if (IsClosed)
                {
                    return;
                }

                IsClosed = true;
                CloseCode = code;
                pipes = [.. _pipes];
            }

            foreach (InMemoryPipe pipe in pipes)
            {
                pipe.CloseConnection(code);
            }

            foreach (InMemoryTunnelConnection end in Ends)
            {
                end._accept.Writer.TryComplete();
                end._closed.TrySetResult();
            }
        }
    }
}
