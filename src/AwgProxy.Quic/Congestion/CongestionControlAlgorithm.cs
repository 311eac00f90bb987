namespace AwgProxy.Quic.Congestion;

/// <summary>The congestion controllers <see cref="CongestionControllerFactory"/> can build.</summary>
public enum CongestionControlAlgorithm
{
    /// <summary>RFC 9002 section 7 and Appendix B.</summary>
    NewReno = 0,
}
