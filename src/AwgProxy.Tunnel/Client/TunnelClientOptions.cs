namespace AwgProxy.Tunnel.Client;

/// <summary>The client's tunnel settings, with defaults. Validated by <see cref="TunnelClientOptionsValidator"/>.</summary>
public sealed class TunnelClientOptions
{
    /// <summary>First delay before reconnecting after a failure or a drop. Default 250 ms.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The delay doubles per failed attempt up to this cap. Default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Fraction 0-1 of each delay that is randomized: the delay is drawn from
    /// [d × (1 − jitter), d]. Default 0.2.
    /// </summary>
    public double ReconnectJitter { get; set; } = 0.2;

    /// <summary>
    /// How long a request waits for the tunnel connection while it is down; then it fails with
    /// general failure (1). Default 10 s.
    /// </summary>
    public TimeSpan RequestWaitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long to wait for the server's response once the request is sent; then TTL expired (6).
    /// Longer than the server's connect timeout. Default 30 s.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Idle timeout of <see cref="TunnelClient.RelayAsync"/>. Default 5 minutes; infinite disables.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Bytes per relay copy buffer. Default 64 KiB.</summary>
    public int RelayBufferSize { get; set; } = Relay.StreamRelay.DefaultBufferSize;
}
