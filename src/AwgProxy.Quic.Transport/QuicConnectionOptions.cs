using AwgProxy.Quic.Connections;

namespace AwgProxy.Quic.Transport;

/// <summary>
/// What client and server connections share (the shape of System.Net.Quic's QuicConnectionOptions): error codes
/// used when the application does not give one, timeouts, stream limits and windows. Plain mutable options with
/// defaults, validated when a connection or listener is created (<see cref="ArgumentException"/> names the option).
/// </summary>
public abstract class QuicConnectionOptions
{
    private protected QuicConnectionOptions()
    {
    }

    /// <summary>
    /// The application error code sent when a stream is aborted without an explicit code: a disposed stream whose
    /// reads were not finished (STOP_SENDING), a cancelled write (RESET_STREAM).
    /// </summary>
    public long DefaultStreamErrorCode { get; set; }

    /// <summary>The application error code of the CONNECTION_CLOSE sent when a connection is disposed without <see cref="QuicConnection.CloseAsync"/>.</summary>
    public long DefaultCloseErrorCode { get; set; }

    /// <summary>max_idle_timeout: the connection closes silently after this long without activity; <see cref="TimeSpan.Zero"/> or infinite for none (default 30 s).</summary>
    public TimeSpan IdleTimeout { get; set; } = QuicDefaults.IdleTimeout;

    /// <summary>The handshake must complete within this time (default 10 s), or the connection is abandoned with <see cref="QuicError.ConnectionTimeout"/>.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = QuicDefaults.HandshakeTimeout;

    /// <summary>When finite and positive, a PING is sent after this long without sending, keeping NAT bindings and the peer's idle timer alive.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Dead-path detection (default 10 s): when ack-eliciting packets stay unanswered this long (and at least three
    /// probe timeouts), the connection ends with <see cref="QuicError.ConnectionTimeout"/> and
    /// <see cref="QuicCloseReason.IsPathDead"/> instead of waiting for <see cref="IdleTimeout"/>, so the application
    /// can reconnect. Pair it with <see cref="KeepAliveInterval"/> so an idle connection notices too.
    /// <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan DeadPathTimeout { get; set; } = QuicDefaults.DeadPathTimeout;

    /// <summary>How many bidirectional streams the peer may have open at once (initial_max_streams_bidi).</summary>
    public int MaxInboundBidirectionalStreams { get; set; } = QuicDefaults.MaxInboundStreams;

    /// <summary>How many unidirectional streams the peer may have open at once (initial_max_streams_uni).</summary>
    public int MaxInboundUnidirectionalStreams { get; set; } = QuicDefaults.MaxInboundStreams;

    /// <summary>Receive windows.</summary>
    public QuicReceiveWindowSizes InitialReceiveWindowSizes { get; set; } = new();

    /// <summary>Bytes each stream buffers for sending (written, not yet acknowledged): where writes start to wait (default 1 MiB).</summary>
    public int StreamSendBufferSize { get; set; } = QuicDefaults.StreamSendBufferSize;

    /// <summary>The largest UDP payload sent; the datagram path's limit lowers it (default 1452, the least allowed is 1200).</summary>
    public int MaxDatagramSize { get; set; } = QuicDefaults.MaxDatagramSize;

    /// <summary>max_datagram_frame_size (RFC 9221): the largest DATAGRAM frame accepted; 0 disables receiving them.</summary>
    public int MaxDatagramFrameSize { get; set; } = QuicDefaults.MaxDatagramFrameSize;

    /// <summary>DATAGRAM payloads queued for sending, and received ones waiting to be read, at most (newer received ones are dropped).</summary>
    public int DatagramQueueLength { get; set; } = QuicDefaults.DatagramQueueLength;

    /// <summary>
    /// Whether to mark packets ECT(0) and validate ECN (RFC 9000 section 13.4) when the datagram path reports and
    /// applies ECN codepoints (<see cref="Paths.IDatagramPathCapabilities.SupportsEcn"/>); a path that bleaches or
    /// mangles the marks fails validation and the connection carries on without them.
    /// </summary>
    public bool EnableEcn { get; set; } = true;

    /// <summary>
    /// Last word on the core's connection options (congestion controller, ACK delay, key update interval...), called
    /// after they were filled from these options.
    /// </summary>
    public Action<ConnectionOptions>? ConfigureTransport { get; set; }

    internal void ValidateCommon(string owner)
    {
        if (DefaultStreamErrorCode is < 0 or > (long)Coding.VarInt.MaxValue) throw Invalid(owner, nameof(DefaultStreamErrorCode), "must be 0 to 2^62-1");
        if (DefaultCloseErrorCode is < 0 or > (long)Coding.VarInt.MaxValue) throw Invalid(owner, nameof(DefaultCloseErrorCode), "must be 0 to 2^62-1");
        if (IdleTimeout < TimeSpan.Zero && IdleTimeout != Timeout.InfiniteTimeSpan) throw Invalid(owner, nameof(IdleTimeout), "must not be negative");
        if (HandshakeTimeout <= TimeSpan.Zero && HandshakeTimeout != Timeout.InfiniteTimeSpan) throw Invalid(owner, nameof(HandshakeTimeout), "must be positive or infinite");
        if (KeepAliveInterval <= TimeSpan.Zero && KeepAliveInterval != Timeout.InfiniteTimeSpan) throw Invalid(owner, nameof(KeepAliveInterval), "must be positive or infinite");
        if (DeadPathTimeout <= TimeSpan.Zero && DeadPathTimeout != Timeout.InfiniteTimeSpan) throw Invalid(owner, nameof(DeadPathTimeout), "must be positive or infinite");
        if (MaxInboundBidirectionalStreams < 0) throw Invalid(owner, nameof(MaxInboundBidirectionalStreams), "must not be negative");
        if (MaxInboundUnidirectionalStreams < 0) throw Invalid(owner, nameof(MaxInboundUnidirectionalStreams), "must not be negative");
        if (InitialReceiveWindowSizes is null) throw Invalid(owner, nameof(InitialReceiveWindowSizes), "is required");
        InitialReceiveWindowSizes.Validate($"{owner}.{nameof(InitialReceiveWindowSizes)}");
        if (StreamSendBufferSize <= 0) throw Invalid(owner, nameof(StreamSendBufferSize), "must be positive");
        if (MaxDatagramSize is < Connection.MinimumMaxDatagramSize or > 65527) throw Invalid(owner, nameof(MaxDatagramSize), "must be 1200 to 65527");
        if (MaxDatagramFrameSize < 0) throw Invalid(owner, nameof(MaxDatagramFrameSize), "must not be negative");
        if (DatagramQueueLength <= 0) throw Invalid(owner, nameof(DatagramQueueLength), "must be positive");
    }

    /// <summary>Fills the core's options from these; <paramref name="pathMaxDatagramSize"/> caps the datagram size.</summary>
    internal void ApplyTo(ConnectionOptions core, int pathMaxDatagramSize, bool pathSupportsEcn)
    {
        QuicReceiveWindowSizes windows = InitialReceiveWindowSizes;
        core.IdleTimeout = IdleTimeout == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : IdleTimeout;
        core.KeepAliveInterval = KeepAliveInterval == Timeout.InfiniteTimeSpan ? null : KeepAliveInterval;
        core.DeadPathTimeout = DeadPathTimeout == Timeout.InfiniteTimeSpan ? null : DeadPathTimeout;
        core.MaxBidirectionalStreams = (ulong)MaxInboundBidirectionalStreams;
        core.MaxUnidirectionalStreams = (ulong)MaxInboundUnidirectionalStreams;
        core.InitialMaxData = (ulong)windows.Connection;
        core.InitialMaxStreamDataBidiLocal = (ulong)windows.LocallyInitiatedBidirectionalStream;
        core.InitialMaxStreamDataBidiRemote = (ulong)windows.RemotelyInitiatedBidirectionalStream;
        core.InitialMaxStreamDataUni = (ulong)windows.UnidirectionalStream;
        core.MaxConnectionReceiveWindow = (ulong)Math.Max(windows.MaxConnection, windows.Connection);
        int largestStreamWindow = Math.Max(windows.UnidirectionalStream, Math.Max(windows.LocallyInitiatedBidirectionalStream, windows.RemotelyInitiatedBidirectionalStream));
        core.MaxStreamReceiveWindow = (ulong)Math.Max(windows.MaxStream, largestStreamWindow);
        core.StreamSendBufferSize = StreamSendBufferSize;
        core.MaxDatagramSize = Math.Min(MaxDatagramSize, pathMaxDatagramSize);
        core.MaxDatagramFrameSize = (ulong)MaxDatagramFrameSize;
        core.DatagramSendQueueLength = DatagramQueueLength;
        core.DatagramReceiveQueueLength = DatagramQueueLength;
        core.EnableEcn = EnableEcn && pathSupportsEcn;
        ConfigureTransport?.Invoke(core);
    }

    private protected static ArgumentException Invalid(string owner, string name, string message) =>
        new($"{owner}.{name} {message}.", name);
}
