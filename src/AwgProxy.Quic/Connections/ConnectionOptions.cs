using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Tls;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// The transport settings of a connection: the transport parameters it advertises (RFC 9000 section 18.2) and
/// local policy. Plain mutable options with defaults; <see cref="Endpoint"/> validates them when a connection is
/// created and throws <see cref="ArgumentException"/> naming the offending option. A connection snapshots what it
/// needs, so one instance may serve many connections.
/// </summary>
public abstract class ConnectionOptions
{
    public const int DefaultMaxDatagramSize = 1452;
    public const long DefaultKeyUpdateInterval = 1L << 20;

    /// <summary>The most packets sent with one key before an update is due: well below the AES-GCM limit of 2^23.</summary>
    public const long MaxKeyUpdateInterval = 1L << 22;

    private protected ConnectionOptions()
    {
    }

    /// <summary>max_idle_timeout: the connection closes silently after this long without activity (0 = none from our side).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>initial_max_data: how many bytes the peer may send on all streams before our first MAX_DATA.</summary>
    public ulong InitialMaxData { get; set; } = 16UL << 20;

    /// <summary>initial_max_stream_data_bidi_local: the receive window of bidirectional streams we open.</summary>
    public ulong InitialMaxStreamDataBidiLocal { get; set; } = 4UL << 20;

    /// <summary>initial_max_stream_data_bidi_remote: the receive window of bidirectional streams the peer opens.</summary>
    public ulong InitialMaxStreamDataBidiRemote { get; set; } = 4UL << 20;

    /// <summary>initial_max_stream_data_uni: the receive window of unidirectional streams the peer opens.</summary>
    public ulong InitialMaxStreamDataUni { get; set; } = 4UL << 20;

    /// <summary>initial_max_streams_bidi: how many bidirectional streams the peer may have open at once.</summary>
    public ulong MaxBidirectionalStreams { get; set; } = 100;

    /// <summary>initial_max_streams_uni: how many unidirectional streams the peer may have open at once.</summary>
    public ulong MaxUnidirectionalStreams { get; set; } = 100;

    /// <summary>The most the connection receive window grows to by auto-tuning (at least <see cref="InitialMaxData"/>).</summary>
    public ulong MaxConnectionReceiveWindow { get; set; } = 24UL << 20;

    /// <summary>The most a stream receive window grows to by auto-tuning (at least the initial stream windows).</summary>
    public ulong MaxStreamReceiveWindow { get; set; } = 16UL << 20;

    /// <summary>Bytes each stream buffers for sending (written but not yet acknowledged): the back-pressure point of writes.</summary>
    public int StreamSendBufferSize { get; set; } = 1 << 20;

    /// <summary>
    /// The most a stream's send buffer grows to: it follows twice the congestion window (at least
    /// <see cref="StreamSendBufferSize"/>), so a long fat path is not held back by unacknowledged data.
    /// </summary>
    public int MaxStreamSendBufferSize { get; set; } = 16 << 20;

    /// <summary>max_datagram_frame_size (RFC 9221): 0 disables DATAGRAM frames.</summary>
    public ulong MaxDatagramFrameSize { get; set; } = 65535;

    /// <summary>DATAGRAM payloads waiting to be sent, at most.</summary>
    public int DatagramSendQueueLength { get; set; } = 64;

    /// <summary>Received DATAGRAM payloads waiting to be read, at most (newer ones are dropped when full).</summary>
    public int DatagramReceiveQueueLength { get; set; } = 64;

    /// <summary>ack_delay_exponent.</summary>
    public int AckDelayExponent { get; set; } = 3;

    /// <summary>max_ack_delay: the longest we delay an acknowledgment.</summary>
    public TimeSpan MaxAckDelay { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>active_connection_id_limit: how many of the peer's connection IDs we store.</summary>
    public int ActiveConnectionIdLimit { get; set; } = 4;

    /// <summary>
    /// The largest UDP payload the path carries. Datagrams are 1200 bytes until the handshake is confirmed, then
    /// at most min(this, the peer's max_udp_payload_size). Also advertised as our max_udp_payload_size.
    /// </summary>
    public int MaxDatagramSize { get; set; } = DefaultMaxDatagramSize;

    /// <summary>
    /// The built-in congestion controller: <see cref="CongestionControlAlgorithm.Bbr"/> by default (it keeps its rate
    /// under random loss; docs/quic.md has the measurements behind the choice).
    /// </summary>
    public CongestionControlAlgorithm CongestionControl { get; set; } = CongestionControlAlgorithm.Bbr;

    /// <summary>A custom congestion controller; when set it replaces <see cref="CongestionControl"/>.</summary>
    public ICongestionControllerFactory? CongestionControllerFactory { get; set; }

    /// <summary>
    /// The datagram path carries ECN codepoints both ways (the driver sets this from the path's capabilities): once
    /// the handshake is confirmed, packets are marked ECT(0) and the path is validated (RFC 9000 section 13.4).
    /// </summary>
    public bool EnableEcn { get; set; }

    /// <summary>
    /// Path MTU discovery (RFC 8899 DPLPMTUD): datagrams start at 1200 bytes and probes search up to
    /// <see cref="MaxDatagramSize"/> (and the peer's max_udp_payload_size). When false, <see cref="MaxDatagramSize"/>
    /// is trusted as soon as the handshake is confirmed.
    /// </summary>
    public bool EnablePathMtuDiscovery { get; set; } = true;

    /// <summary>How long after a search ended below the maximum the larger sizes are probed again (RFC 8899 PMTU_RAISE_TIMER).</summary>
    public TimeSpan PathMtuRaiseInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Dead-path detection: when ack-eliciting packets stay unanswered (nothing at all received from the peer) for
    /// this long, and for at least three probe timeouts, the connection closes with
    /// <see cref="ConnectionErrorKind.PathDead"/> instead of waiting for the idle timeout. Null disables it. Pair it
    /// with <see cref="KeepAliveInterval"/> so an idle connection notices too.
    /// </summary>
    public TimeSpan? DeadPathTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// ACK frequency: after how many ack-eliciting packets an ACK goes out at once (RFC 9000 section 13.2.2: 2). A
    /// bulk receiver raises this to <see cref="BulkAckElicitingThreshold"/> once it has received many packets,
    /// bounding the delay by a quarter of the RTT; reordering, gaps and ECN-CE are still acknowledged at once.
    /// </summary>
    public int AckElicitingThreshold { get; set; } = 2;

    /// <summary>
    /// The ACK threshold used during bulk transfer (see <see cref="AckElicitingThreshold"/>); 0 (the default) keeps the
    /// base threshold. Off by default: through the SOCKS5 port on loopback, 10 (with its delay of at least 1 ms) made
    /// 1-byte request/response round trips about 1.25 ms instead of 0.7 ms, while 512 MiB bulk transfers moved no
    /// faster (79.7 and 80.6 MiB/s without, 88.0 and 78.1 with, interleaved in one run) and the goodput scenarios
    /// pass either way.
    /// </summary>
    public int BulkAckElicitingThreshold { get; set; }

    /// <summary>After this many 1-RTT packets sent with one key, a key update is initiated (RFC 9001 section 6).</summary>
    public long KeyUpdateInterval { get; set; } = DefaultKeyUpdateInterval;

    /// <summary>When set, a PING is sent after this long without sending an ack-eliciting packet, keeping NAT bindings and the peer's idle timer alive.</summary>
    public TimeSpan? KeepAliveInterval { get; set; }

    /// <summary>
    /// disable_active_migration (RFC 9000 section 18.2): the peer must not move the connection to a new local address
    /// on purpose. A NAT rebinding is still followed.
    /// </summary>
    public bool DisableActiveMigration { get; set; }

    /// <summary>The RTT assumed before the first sample (kInitialRtt, RFC 9002 section 6.2.2).</summary>
    public TimeSpan InitialRtt { get; set; } = TimeSpan.FromMilliseconds(333);

    /// <summary>Randomness for connection IDs, PATH_CHALLENGE data and TLS (when its options have none); the endpoint's by default.</summary>
    public RandomFill? Random { get; set; }

    private protected abstract TlsSessionOptions? TlsOptions { get; }

    /// <summary>A copy for one connection, so later changes to these options do not reach it (TLS sessions snapshot their own).</summary>
    internal ConnectionOptions Snapshot() => (ConnectionOptions)MemberwiseClone();

    internal void Validate()
    {
        const ulong MaxVarInt = Coding.VarInt.MaxValue;
        if (IdleTimeout < TimeSpan.Zero || IdleTimeout.TotalMilliseconds > MaxVarInt) throw Invalid(nameof(IdleTimeout), "must be 0 (none) or a positive duration");
        if (InitialMaxData > MaxVarInt) throw Invalid(nameof(InitialMaxData), "must be at most 2^62-1");
        if (InitialMaxStreamDataBidiLocal > MaxVarInt) throw Invalid(nameof(InitialMaxStreamDataBidiLocal), "must be at most 2^62-1");
        if (InitialMaxStreamDataBidiRemote > MaxVarInt) throw Invalid(nameof(InitialMaxStreamDataBidiRemote), "must be at most 2^62-1");
        if (InitialMaxStreamDataUni > MaxVarInt) throw Invalid(nameof(InitialMaxStreamDataUni), "must be at most 2^62-1");
        if (MaxBidirectionalStreams > TransportParameters.MaxStreamsLimit) throw Invalid(nameof(MaxBidirectionalStreams), "must be at most 2^60");
        if (MaxUnidirectionalStreams > TransportParameters.MaxStreamsLimit) throw Invalid(nameof(MaxUnidirectionalStreams), "must be at most 2^60");
        if (MaxConnectionReceiveWindow < InitialMaxData || MaxConnectionReceiveWindow > MaxVarInt)
            throw Invalid(nameof(MaxConnectionReceiveWindow), "must be at least InitialMaxData and at most 2^62-1");
        ulong largestStreamWindow = Math.Max(InitialMaxStreamDataUni, Math.Max(InitialMaxStreamDataBidiLocal, InitialMaxStreamDataBidiRemote));
        if (MaxStreamReceiveWindow < largestStreamWindow || MaxStreamReceiveWindow > int.MaxValue)
            throw Invalid(nameof(MaxStreamReceiveWindow), "must be at least the initial stream windows and at most 2^31-1");
        if (StreamSendBufferSize < 1) throw Invalid(nameof(StreamSendBufferSize), "must be positive");
        if (MaxDatagramFrameSize > MaxVarInt) throw Invalid(nameof(MaxDatagramFrameSize), "must be at most 2^62-1");
        if (DatagramSendQueueLength < 1) throw Invalid(nameof(DatagramSendQueueLength), "must be positive");
        if (DatagramReceiveQueueLength < 1) throw Invalid(nameof(DatagramReceiveQueueLength), "must be positive");
        if (AckDelayExponent is < 0 or > TransportParameters.MaxAckDelayExponent) throw Invalid(nameof(AckDelayExponent), "must be 0 to 20");
        if (MaxAckDelay <= TimeSpan.Zero || MaxAckDelay.TotalMilliseconds >= TransportParameters.MaxAckDelayLimitMilliseconds || MaxAckDelay.Ticks % TimeSpan.TicksPerMillisecond != 0)
            throw Invalid(nameof(MaxAckDelay), "must be a whole number of milliseconds from 1 to 16383");
        if (ActiveConnectionIdLimit is < 2 or > 64) throw Invalid(nameof(ActiveConnectionIdLimit), "must be 2 to 64");
        if (MaxDatagramSize is < 1200 or > 65527) throw Invalid(nameof(MaxDatagramSize), "must be 1200 to 65527");
        if (!Enum.IsDefined(CongestionControl)) throw Invalid(nameof(CongestionControl), "is not a known algorithm");
        if (MaxStreamSendBufferSize < StreamSendBufferSize) throw Invalid(nameof(MaxStreamSendBufferSize), "must be at least StreamSendBufferSize");
        if (PathMtuRaiseInterval <= TimeSpan.Zero) throw Invalid(nameof(PathMtuRaiseInterval), "must be positive");
        if (DeadPathTimeout is { } dead && dead <= TimeSpan.Zero) throw Invalid(nameof(DeadPathTimeout), "must be positive when set");
        if (AckElicitingThreshold is < 1 or > 64) throw Invalid(nameof(AckElicitingThreshold), "must be 1 to 64");
        if (BulkAckElicitingThreshold is < 0 or > 64) throw Invalid(nameof(BulkAckElicitingThreshold), "must be 0 to 64");
        if (KeyUpdateInterval is < 1 or > MaxKeyUpdateInterval) throw Invalid(nameof(KeyUpdateInterval), "must be 1 to 2^22 packets");
        if (KeepAliveInterval is { } keepAlive && keepAlive <= TimeSpan.Zero) throw Invalid(nameof(KeepAliveInterval), "must be positive when set");
        if (InitialRtt <= TimeSpan.Zero || InitialRtt > TimeSpan.FromSeconds(60)) throw Invalid(nameof(InitialRtt), "must be positive and at most 60 s");
        if (TlsOptions is null) throw Invalid("Tls", "is required");
    }

    private ArgumentException Invalid(string name, string message) => new($"{GetType().Name}.{name} {message}.", name);
}
