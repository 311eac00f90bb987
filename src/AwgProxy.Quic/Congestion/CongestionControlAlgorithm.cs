namespace AwgProxy.Quic.Congestion;

/// <summary>The congestion controllers <see cref="CongestionControllerFactory"/> can build.</summary>
public enum CongestionControlAlgorithm
{
    /// <summary>RFC 9002 section 7 and Appendix B (<see cref="Congestion.NewReno"/>).</summary>
    NewReno = 0,

    /// <summary>RFC 9438 with HyStart++ (<see cref="Congestion.Cubic"/>).</summary>
    Cubic = 1,

    /// <summary>Model-based, BBR style (<see cref="Congestion.Bbr"/>): tolerates random loss.</summary>
    Bbr = 2,
}
