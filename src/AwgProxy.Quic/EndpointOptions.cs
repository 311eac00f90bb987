using System.Net;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Tls;

namespace AwgProxy.Quic;

/// <summary>
/// Settings of an <see cref="Endpoint"/>: the connections of one socket. Validated by the endpoint's constructor,
/// which throws <see cref="ArgumentException"/> naming the offending option.
/// </summary>
public sealed class EndpointOptions
{
    public const int DefaultLocalConnectionIdLength = 8;

    /// <summary>
    /// The length of the connection IDs this endpoint issues (4 to 20 bytes); short headers are routed by it. A client
    /// endpoint may use 0 (zero-length connection IDs, as quic-go's client does): it then routes by the server's
    /// address and holds at most one connection per server address.
    /// </summary>
    public int LocalConnectionIdLength { get; set; } = DefaultLocalConnectionIdLength;

    /// <summary>
    /// A 32-byte secret from which stateless reset tokens and Retry token keys derive. Random when null; share it
    /// between restarts (or instances) so resets stay recognisable.
    /// </summary>
    public byte[]? StaticKey { get; set; }

    /// <summary>Settings of accepted connections; null for an endpoint that only connects (a client).</summary>
    public ServerConnectionOptions? Server { get; set; }

    /// <summary>Answer every new client Initial without a valid token with Retry (RFC 9000 section 8.1.2).</summary>
    public bool RequireRetry { get; set; }

    /// <summary>How long a Retry token is accepted.</summary>
    public TimeSpan RetryTokenLifetime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Answer client datagrams of an unknown version with Version Negotiation (RFC 9000 section 6). Turn off where
    /// the endpoint must never answer a datagram that does not match (the AWG envelope).
    /// </summary>
    public bool SendVersionNegotiation { get; set; } = true;

    /// <summary>
    /// Answer short header packets for unknown connection IDs with a stateless reset (RFC 9000 section 10.3). Turn
    /// off where the endpoint must never answer a datagram that does not match.
    /// </summary>
    public bool SendStatelessReset { get; set; } = true;

    /// <summary>
    /// The most stateless resets sent per second, in bursts of at most as many (a token bucket): a flood of packets for
    /// unknown connection IDs is not answered packet for packet (RFC 9000 section 10.3). Beyond it such packets are
    /// dropped (<see cref="EndpointDropReason.StatelessResetRateLimited"/>).
    /// </summary>
    public int MaxStatelessResetsPerSecond { get; set; } = DefaultMaxStatelessResetsPerSecond;

    public const int DefaultMaxStatelessResetsPerSecond = 100;

    /// <summary>The most connections at once (client and server); new client Initials beyond are dropped.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Decides, from its address, whether a new client may connect (after any Retry); null admits everyone.</summary>
    public Func<SocketAddress, bool>? AdmitConnection { get; set; }

    /// <summary>Randomness for connection IDs, tokens and packets; <see cref="System.Security.Cryptography.RandomNumberGenerator"/> when null.</summary>
    public RandomFill? Random { get; set; }

    internal void Validate()
    {
        if ((LocalConnectionIdLength is < 4 or > Packets.ConnectionId.MaxLength) && !(LocalConnectionIdLength == 0 && Server is null))
            throw new ArgumentException("EndpointOptions.LocalConnectionIdLength must be 4 to 20 bytes (0 only for an endpoint without Server options).", nameof(LocalConnectionIdLength));
        if (StaticKey is not null && StaticKey.Length != 32) throw new ArgumentException("EndpointOptions.StaticKey must be 32 bytes.", nameof(StaticKey));
        if (RetryTokenLifetime <= TimeSpan.Zero) throw new ArgumentException("EndpointOptions.RetryTokenLifetime must be positive.", nameof(RetryTokenLifetime));
        if (MaxStatelessResetsPerSecond < 1) throw new ArgumentException("EndpointOptions.MaxStatelessResetsPerSecond must be positive.", nameof(MaxStatelessResetsPerSecond));
        if (MaxConnections < 1) throw new ArgumentException("EndpointOptions.MaxConnections must be positive.", nameof(MaxConnections));
        if (RequireRetry && Server is null) throw new ArgumentException("EndpointOptions.RequireRetry needs Server options.", nameof(RequireRetry));
        Server?.Validate();
    }
}
