namespace AwgProxy.Cli.Configuration;

/// <summary>Default values of the config keys (docs/configuration.md lists them per key).</summary>
public static class ConfigDefaults
{
    /// <summary>[Server] Listen.</summary>
    public const string ServerListen = "0.0.0.0:51820";

    /// <summary>[Socks5] Listen.</summary>
    public const string Socks5Listen = "127.0.0.1:1080";

    /// <summary>[Socks5] MaxConnections: SOCKS5 connections open at once.</summary>
    public const int Socks5MaxConnections = 1024;

    /// <summary>[Log] Level.</summary>
    public const string LogLevel = "Information";

    /// <summary>[Timeouts] HandshakeSeconds: QUIC + TLS handshake.</summary>
    public const int HandshakeSeconds = 10;

    /// <summary>[Timeouts] IdleSeconds: QUIC idle timeout.</summary>
    public const int IdleSeconds = 120;

    /// <summary>[Timeouts] KeepAliveSeconds (client): QUIC PING interval that keeps NAT bindings open.</summary>
    public const int KeepAliveSeconds = 25;

    /// <summary>
    /// [Timeouts] DeadPathSeconds (client): ack-eliciting packets (data or a keep-alive PING) unanswered this long mean
    /// the path is dead; the client reconnects at once instead of waiting for the idle timeout.
    /// </summary>
    public const int DeadPathSeconds = 10;

    /// <summary>[Timeouts] Socks5HandshakeSeconds (client): greeting + auth + request.</summary>
    public const int Socks5HandshakeSeconds = 10;

    /// <summary>[Timeouts] RequestWaitSeconds (client): how long a request waits for the tunnel while it is down.</summary>
    public const int RequestWaitSeconds = 10;

    /// <summary>[Timeouts] UpstreamConnectSeconds (server): TCP connect to a destination.</summary>
    public const int UpstreamConnectSeconds = 10;

    /// <summary>[Limits] MaxConnections (server): QUIC connections open at once.</summary>
    public const int MaxConnections = 1024;

    /// <summary>[Limits] MaxConnectionsPerClient (server).</summary>
    public const int MaxConnectionsPerClient = 4;

    /// <summary>[Limits] MaxStreamsPerConnection (server): concurrent proxied TCP connections per QUIC connection.</summary>
    public const int MaxStreamsPerConnection = 256;

    /// <summary>Upper bound of every *Seconds key (one day).</summary>
    public const int MaxSeconds = 86_400;
}
