namespace AwgProxy.Cli.Configuration;

/// <summary>The client's <c>[Timeouts]</c> section, whole seconds.</summary>
public sealed class ClientTimeoutsSection
{
    /// <summary>QUIC + TLS handshake with the server.</summary>
    public int HandshakeSeconds { get; set; } = ConfigDefaults.HandshakeSeconds;

    /// <summary>QUIC idle timeout.</summary>
    public int IdleSeconds { get; set; } = ConfigDefaults.IdleSeconds;

    /// <summary>Interval of keep-alive PINGs while idle (0 = none).</summary>
    public int KeepAliveSeconds { get; set; } = ConfigDefaults.KeepAliveSeconds;

    /// <summary>Dead-path detection: the server unanswering this long closes the tunnel connection and reconnects (0 = off, the idle timeout decides).</summary>
    public int DeadPathSeconds { get; set; } = ConfigDefaults.DeadPathSeconds;

    /// <summary>A SOCKS5 client must finish greeting, authentication and request within this.</summary>
    public int Socks5HandshakeSeconds { get; set; } = ConfigDefaults.Socks5HandshakeSeconds;

    /// <summary>While the tunnel is down, a SOCKS5 request waits this long for it, then fails with general failure (1).</summary>
    public int RequestWaitSeconds { get; set; } = ConfigDefaults.RequestWaitSeconds;
}
