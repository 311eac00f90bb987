namespace AwgProxy.Tunnel.Server;

/// <summary>
/// The server's tunnel settings, with defaults. The stream-level ones are enforced by
/// <see cref="TunnelServer"/>; the connection-level ones (marked) belong to the QUIC listener
/// set-up, which reads them from here so all limits live in one place.
/// Validated by <see cref="TunnelServerOptionsValidator"/>.
/// </summary>
public sealed class TunnelServerOptions
{
    /// <summary>Time for a new stream to deliver its whole request; then it is reset with RequestTimeout (0x6). Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time to resolve and connect to a destination; then the answer is TTL expired (6). Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Happy Eyeballs delay between connection attempts (RFC 8305). Default 250 ms.</summary>
    public TimeSpan ConnectionAttemptDelay { get; set; } = UpstreamDialer.DefaultAttemptDelay;

    /// <summary>
    /// A proxied connection with no byte moving either way for this long is reset with IdleTimeout
    /// (0x5). Default 5 minutes; <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Concurrent proxied connections (streams, from accept to close) per client identity, across
    /// all of its connections. Over it a stream is answered "not allowed by ruleset" (2). Default 1024.
    /// </summary>
    public int MaxStreamsPerClient { get; set; } = 1024;

    /// <summary>Bytes per relay copy buffer (rented only while data flows). Default 64 KiB.</summary>
    public int RelayBufferSize { get; set; } = Relay.StreamRelay.DefaultBufferSize;

    /// <summary>Where the server may connect.</summary>
    public EgressPolicyOptions Egress { get; set; } = new();

    /// <summary>Connection level (QUIC listener): concurrent client connections in total. Default 1000.</summary>
    public int MaxClients { get; set; } = 1000;

    /// <summary>Connection level: concurrent connections per client identity; more are closed with LimitExceeded (0x4). Default 4.</summary>
    public int MaxConnectionsPerClient { get; set; } = 4;

    /// <summary>Connection level: concurrent bidirectional streams per connection (QUIC initial_max_streams_bidi). Default 256.</summary>
    public int MaxStreamsPerConnection { get; set; } = 256;

    /// <summary>Connection level: time for the QUIC/TLS handshake and client authentication. Default 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Connection level: QUIC max_idle_timeout. Default 2 minutes.</summary>
    public TimeSpan ConnectionIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
