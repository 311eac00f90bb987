using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// Something the application should know about, polled with <see cref="Connection.TryPollEvent"/>. Which members
/// are meaningful depends on <see cref="Kind"/>; the others are default.
/// </summary>
public readonly struct ConnectionEvent
{
    private ConnectionEvent(ConnectionEventKind kind, ulong streamId, StreamDirection direction, ulong errorCode, ConnectionError? error)
    {
        Kind = kind;
        StreamId = streamId;
        Direction = direction;
        ErrorCode = errorCode;
        Error = error;
    }

    public ConnectionEventKind Kind { get; }

    /// <summary>The stream of a Stream* event.</summary>
    public ulong StreamId { get; }

    /// <summary>The direction of a StreamOpened or StreamsAvailable event.</summary>
    public StreamDirection Direction { get; }

    /// <summary>The application error code of a StreamReset or StreamStopSending event.</summary>
    public ulong ErrorCode { get; }

    /// <summary>How the connection ended (ConnectionClosed).</summary>
    public ConnectionError? Error { get; }

    internal static ConnectionEvent Simple(ConnectionEventKind kind) => new(kind, 0, default, 0, null);

    internal static ConnectionEvent ForStream(ConnectionEventKind kind, StreamId id, ulong errorCode = 0) =>
        new(kind, id.Value, id.Direction, errorCode, null);

    internal static ConnectionEvent StreamsAvailable(StreamDirection direction) =>
        new(ConnectionEventKind.StreamsAvailable, 0, direction, 0, null);

    internal static ConnectionEvent Closed(ConnectionError error) => new(ConnectionEventKind.ConnectionClosed, 0, default, 0, error);

    public override string ToString() => Kind switch
    {
        ConnectionEventKind.StreamOpened => $"StreamOpened({StreamId}, {Direction})",
        ConnectionEventKind.StreamReadable or ConnectionEventKind.StreamWritable or ConnectionEventKind.StreamFinishAcknowledged => $"{Kind}({StreamId})",
        ConnectionEventKind.StreamReset or ConnectionEventKind.StreamStopSending => $"{Kind}({StreamId}, code {ErrorCode})",
        ConnectionEventKind.StreamsAvailable => $"StreamsAvailable({Direction})",
        ConnectionEventKind.ConnectionClosed => $"ConnectionClosed({Error})",
        _ => Kind.ToString(),
    };
}
