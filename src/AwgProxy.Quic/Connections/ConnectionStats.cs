namespace AwgProxy.Quic.Connections;

/// <summary>A snapshot of a connection's counters and recovery state (<see cref="Connection.GetStats"/>).</summary>
public readonly record struct ConnectionStats
{
    /// <summary>UDP datagrams sent.</summary>
    public long DatagramsSent { get; init; }

    /// <summary>UDP datagrams received (routed to this connection).</summary>
    public long DatagramsReceived { get; init; }

    /// <summary>UDP payload bytes sent.</summary>
    public long BytesSent { get; init; }

    /// <summary>UDP payload bytes received.</summary>
    public long BytesReceived { get; init; }

    /// <summary>QUIC packets sent (coalesced packets count separately).</summary>
    public long PacketsSent { get; init; }

    /// <summary>QUIC packets received and successfully processed.</summary>
    public long PacketsReceived { get; init; }

    /// <summary>Received packets dropped: undecryptable, duplicate, malformed, for a discarded space, or not yet decryptable and over the buffer.</summary>
    public long PacketsDropped { get; init; }

    /// <summary>Received packets that failed authentication (AEAD), which count towards the integrity limit.</summary>
    public long DecryptionFailures { get; init; }

    /// <summary>Sent packets declared lost.</summary>
    public long PacketsLost { get; init; }

    /// <summary>Bytes of the sent packets declared lost.</summary>
    public long BytesLost { get; init; }

    /// <summary>Probe timeouts that fired.</summary>
    public long ProbeTimeouts { get; init; }

    /// <summary>Congestion events (loss or ECN-CE).</summary>
    public long CongestionEvents { get; init; }

    public TimeSpan SmoothedRtt { get; init; }

    public TimeSpan MinRtt { get; init; }

    public TimeSpan LatestRtt { get; init; }

    public TimeSpan RttVariation { get; init; }

    public long CongestionWindow { get; init; }

    public long BytesInFlight { get; init; }

    /// <summary>The UDP payload size used now (1200 until the handshake is confirmed).</summary>
    public int MaxDatagramSize { get; init; }

    /// <summary>1-RTT key updates, initiated by either side.</summary>
    public int KeyUpdates { get; init; }

    /// <summary>Time from the first packet sent or received to handshake completion; null before.</summary>
    public TimeSpan? HandshakeDuration { get; init; }

    /// <summary>Streams opened by us.</summary>
    public long LocalStreamsOpened { get; init; }

    /// <summary>Streams opened by the peer.</summary>
    public long PeerStreamsOpened { get; init; }

    /// <summary>DATAGRAM frames sent.</summary>
    public long DatagramFramesSent { get; init; }

    /// <summary>DATAGRAM frames received and queued.</summary>
    public long DatagramFramesReceived { get; init; }

    /// <summary>DATAGRAM frames dropped: the receive queue was full.</summary>
    public long DatagramFramesDropped { get; init; }

    /// <summary>Path validations that succeeded after a path change: the peer's address (server) or our local address (client) changed.</summary>
    public int PathMigrations { get; init; }

    /// <summary>Path validations abandoned after three PTOs without a PATH_RESPONSE (the connection went back to the old path if it had one).</summary>
    public int PathValidationFailures { get; init; }

    /// <summary>Times the connection moved to a peer connection ID not used before because the path changed (RFC 9000 section 9.5).</summary>
    public int PeerConnectionIdRotations { get; init; }

    /// <summary>Where ECN validation of the current path stands (Disabled when the path or the options turn ECN off).</summary>
    public Recovery.EcnState EcnState { get; init; }
}
