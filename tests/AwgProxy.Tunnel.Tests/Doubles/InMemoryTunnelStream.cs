namespace AwgProxy.Tunnel.Tests.Doubles;

/// <summary>One end of an in-memory bidirectional stream (see <see cref="InMemoryPipe"/> for the semantics).</summary>
internal sealed class InMemoryTunnelStream : ITunnelStream
{
    private readonly InMemoryPipe _incoming;
    private readonly InMemoryPipe _outgoing;

    public InMemoryTunnelStream(long id, InMemoryPipe incoming, InMemoryPipe outgoing)
    {
        Id = id;
        _incoming = incoming;
        _outgoing = outgoing;
    }

    public long Id { get; }

    public bool Disposed { get; private set; }

    /// <summary>A connected pair of stream ends, as if one had opened and the other accepted.</summary>
    public static (InMemoryTunnelStream A, InMemoryTunnelStream B) CreatePair(long id = 0, int capacity = 64 * 1024)
    {
        var aToB = new InMemoryPipe(capacity);
        var bToA = new InMemoryPipe(capacity);
        return (new InMemoryTunnelStream(id, bToA, aToB), new InMemoryTunnelStream(id, aToB, bToA));
    }

    internal InMemoryPipe Incoming => _incoming;

    internal InMemoryPipe Outgoing => _outgoing;

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _incoming.ReadAsync(buffer, cancellationToken);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _outgoing.WriteAsync(buffer, cancellationToken);

    public void CompleteWrites() => _outgoing.CompleteWrites();

    public void Abort(TunnelAbortDirection direction, long errorCode)
    {
        if ((direction & TunnelAbortDirection.Read) != 0)
        {
            _incoming.AbortRead(errorCode);
        }

        if ((direction & TunnelAbortDirection.Write) != 0)
        {
            _outgoing.AbortWrite(errorCode);
        }
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        if (!_incoming.ReadSideDone)
        {
            _incoming.AbortRead(0);
        }

        if (!_outgoing.WriteSideDone)
        {
            _outgoing.AbortWrite(0);
        }

        return ValueTask.CompletedTask;
    }
}
