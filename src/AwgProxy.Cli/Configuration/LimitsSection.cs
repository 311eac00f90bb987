namespace AwgProxy.Cli.Configuration;

/// <summary>The server's <c>[Limits]</c> section.</summary>
public sealed class LimitsSection
{
    /// <summary>QUIC connections open at once, all clients together.</summary>
    public int MaxConnections { get; set; } = ConfigDefaults.MaxConnections;

    /// <summary>QUIC connections open at once per client.</summary>
    public int MaxConnectionsPerClient { get; set; } = ConfigDefaults.MaxConnectionsPerClient;

    /// <summary>Proxied TCP connections (bidirectional streams) open at once per QUIC connection.</summary>
    public int MaxStreamsPerConnection { get; set; } = ConfigDefaults.MaxStreamsPerConnection;
}
