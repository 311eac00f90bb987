namespace AwgProxy.Quic.Streams;

/// <summary>
/// How many of a connection's stream send buffers hold data (written and not yet acknowledged), kept by the buffers
/// themselves as they take and give back their memory. Send buffer auto-tuning shares the connection's budget among
/// these streams only, so idle streams (a browser's kept-alive connections, say) do not shrink a busy one's share.
/// Not thread-safe; owned by one connection.
/// </summary>
public sealed class ActiveSendBuffers
{
    /// <summary>Send buffers holding data now.</summary>
    public int Count { get; private set; }

    internal void OnBufferFilled() => Count++;

    internal void OnBufferEmptied() => Count--;
}
