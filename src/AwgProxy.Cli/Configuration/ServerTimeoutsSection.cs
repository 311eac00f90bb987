namespace AwgProxy.Cli.Configuration;

/// <summary>The server's <c>[Timeouts]</c> section, whole seconds.</summary>
public sealed class ServerTimeoutsSection
{
    /// <summary>QUIC + TLS handshake with a client.</summary>
    public int HandshakeSeconds { get; set; } = ConfigDefaults.HandshakeSeconds;

    /// <summary>QUIC idle timeout.</summary>
    public int IdleSeconds { get; set; } = ConfigDefaults.IdleSeconds;

    /// <summary>TCP connect to a destination.</summary>
    public int UpstreamConnectSeconds { get; set; } = ConfigDefaults.UpstreamConnectSeconds;
}
