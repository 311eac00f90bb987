using AwgProxy.Quic.Congestion;

namespace AwgProxy.Cli.Configuration;

/// <summary>The <c>[Quic]</c> section: transport tuning.</summary>
public sealed class QuicSection
{
    /// <summary>The congestion controller: Bbr (the default), Cubic or NewReno (case-insensitive).</summary>
    public CongestionControlAlgorithm CongestionControl { get; set; } = CongestionControlAlgorithm.Bbr;
}
