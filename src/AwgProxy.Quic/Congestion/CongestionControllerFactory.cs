namespace AwgProxy.Quic.Congestion;

/// <summary>The factory for the built-in controllers, selected by <see cref="CongestionControlAlgorithm"/>.</summary>
public sealed class CongestionControllerFactory(CongestionControlAlgorithm algorithm) : ICongestionControllerFactory
{
    public CongestionControlAlgorithm Algorithm { get; } = algorithm;

    public ICongestionController Create(Instant now, int maxDatagramSize) => Create(Algorithm, now, maxDatagramSize);

    public static ICongestionController Create(CongestionControlAlgorithm algorithm, Instant now, int maxDatagramSize) =>
        algorithm switch
        {
            CongestionControlAlgorithm.NewReno => new NewReno(maxDatagramSize),
            CongestionControlAlgorithm.Cubic => new Cubic(maxDatagramSize),
            CongestionControlAlgorithm.Bbr => new Bbr(now, maxDatagramSize),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown congestion control algorithm."),
        };
}
