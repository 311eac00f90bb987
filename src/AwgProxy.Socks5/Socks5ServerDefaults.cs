namespace AwgProxy.Socks5;

/// <summary>Default values of <see cref="Socks5ServerOptions"/>.</summary>
public static class Socks5ServerDefaults
{
    /// <summary>Where the server listens when no endpoint is configured: loopback only.</summary>
    public const string ListenEndPoint = "127.0.0.1:1080";

    /// <summary>Time allowed for greeting, authentication and request together.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for the connect handler (answered with X'06' TTL expired).</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Sessions served at once (handshakes and relays alike).</summary>
    public const int MaxConcurrentSessions = 1024;

    /// <summary>Size of each relay buffer, rented only while data moves.</summary>
    public const int RelayBufferSize = 32 * 1024;

    /// <summary>Pending-connection queue of each listening socket.</summary>
    public const int ListenBacklog = 512;
}
