namespace AwgProxy.Quic.Congestion;

/// <summary>Builds one congestion controller per connection (or per path).</summary>
public interface ICongestionControllerFactory
{
    /// <summary>A fresh controller for a path whose maximum datagram size is <paramref name="maxDatagramSize"/>.</summary>
    ICongestionController Create(Instant now, int maxDatagramSize);
}
