namespace AwgProxy.Quic.Transport;

/// <summary>
/// Flow-control receive windows (RFC 9000 section 4): how much the peer may send before this side grants more.
/// The initial sizes are advertised as transport parameters; the windows then grow by auto-tuning up to the
/// maximums. The shape of System.Net.Quic's QuicReceiveWindowSizes, plus the two maximums.
/// </summary>
public sealed class QuicReceiveWindowSizes
{
    /// <summary>initial_max_data: the connection-wide window (default 16 MiB).</summary>
    public int Connection { get; set; } = QuicDefaults.InitialConnectionWindow;

    /// <summary>initial_max_stream_data_bidi_local: bidirectional streams this side opens (default 4 MiB).</summary>
    public int LocallyInitiatedBidirectionalStream { get; set; } = QuicDefaults.InitialStreamWindow;

    /// <summary>initial_max_stream_data_bidi_remote: bidirectional streams the peer opens (default 4 MiB).</summary>
    public int RemotelyInitiatedBidirectionalStream { get; set; } = QuicDefaults.InitialStreamWindow;

    /// <summary>initial_max_stream_data_uni: unidirectional streams the peer opens (default 4 MiB).</summary>
    public int UnidirectionalStream { get; set; } = QuicDefaults.InitialStreamWindow;

    /// <summary>The most the connection window grows to (default 64 MiB; raised to <see cref="Connection"/> when smaller).</summary>
    public int MaxConnection { get; set; } = QuicDefaults.MaxConnectionWindow;

    /// <summary>The most a stream window grows to (default 16 MiB; raised to the initial stream windows when smaller).</summary>
    public int MaxStream { get; set; } = QuicDefaults.MaxStreamWindow;

    internal void Validate(string owner)
    {
        CheckPositive(Connection, owner, nameof(Connection));
        CheckPositive(LocallyInitiatedBidirectionalStream, owner, nameof(LocallyInitiatedBidirectionalStream));
        CheckPositive(RemotelyInitiatedBidirectionalStream, owner, nameof(RemotelyInitiatedBidirectionalStream));
        CheckPositive(UnidirectionalStream, owner, nameof(UnidirectionalStream));
        CheckPositive(MaxConnection, owner, nameof(MaxConnection));
        CheckPositive(MaxStream, owner, nameof(MaxStream));
    }

    private static void CheckPositive(int value, string owner, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException($"{owner}.{name}", value, $"{owner}.{name} must be positive.");
        }
    }
}
