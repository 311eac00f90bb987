namespace AwgProxy.Quic.Recovery;

/// <summary>A snapshot of loss recovery and congestion control, for the connection's statistics.</summary>
public readonly record struct RecoveryStats
{
    public TimeSpan LatestRtt { get; init; }

    public TimeSpan MinRtt { get; init; }

    public TimeSpan SmoothedRtt { get; init; }

    public TimeSpan RttVariation { get; init; }

    public long CongestionWindow { get; init; }

    /// <summary>ssthresh, <see cref="long.MaxValue"/> while infinite.</summary>
    public long SlowStartThreshold { get; init; }

    public long BytesInFlight { get; init; }

    public long PacketsSent { get; init; }

    public long PacketsAcked { get; init; }

    /// <summary>Packets declared lost (all of them, in flight or not).</summary>
    public long PacketsLost { get; init; }

    /// <summary>Bytes of in-flight packets declared lost.</summary>
    public long BytesLost { get; init; }

    /// <summary>pto_count: consecutive probe timeouts without an acknowledgment.</summary>
    public int PtoCount { get; init; }

    /// <summary>Probe timeouts over the connection's lifetime.</summary>
    public long ProbeTimeouts { get; init; }

    /// <summary>Congestion events reported to the controller (loss episodes and ECN-CE increases).</summary>
    public long CongestionEvents { get; init; }

    /// <summary>Of those, the ones caused by ECN-CE increases.</summary>
    public long EcnCongestionEvents { get; init; }

    public long PersistentCongestionEvents { get; init; }

    /// <summary>DPLPMTUD probe packets declared lost (not counted as congestion).</summary>
    public long PathMtuProbesLost { get; init; }

    /// <summary>Where ECN validation of the path stands.</summary>
    public EcnState EcnState { get; init; }
}
