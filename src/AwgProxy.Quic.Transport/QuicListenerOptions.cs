using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Security;
using AwgProxy.Quic.Transport.Paths;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Quic.Transport;

/// <summary>
/// Options of <see cref="QuicListener.ListenAsync"/> (the shape of System.Net.Quic's QuicListenerOptions). Unlike
/// System.Net.Quic, the connection options are one fixed object rather than a per-connection callback: the core
/// endpoint needs them before it accepts the first Initial.
/// </summary>
public sealed class QuicListenerOptions
{
    /// <summary>The UDP address to listen on (port 0 picks a free port; <see cref="QuicListener.LocalEndPoint"/> tells which). Required.</summary>
    public IPEndPoint? ListenEndPoint { get; set; }

    /// <summary>ALPN protocols accepted, in preference order. At least one is required.</summary>
    public List<SslApplicationProtocol> ApplicationProtocols { get; set; } = [];

    /// <summary>Options of every accepted connection (TLS credential, client authentication, limits). Required.</summary>
    public QuicServerConnectionOptions? ConnectionOptions { get; set; }

    /// <summary>
    /// Connections in the handshake plus those completed but not yet accepted, at most (default 512). New clients
    /// beyond it are not admitted: their Initial is dropped unanswered and they retry later.
    /// </summary>
    public int ListenBacklog { get; set; } = QuicDefaults.ListenBacklog;

    /// <summary>Connections at once, in any state (default 10,000).</summary>
    public int MaxConnections { get; set; } = QuicDefaults.MaxConnections;

    /// <summary>Validate every client address with a Retry first (RFC 9000 section 8.1.2).</summary>
    public bool RequireRetry { get; set; }

    /// <summary>Answer datagrams of unknown QUIC versions with Version Negotiation (off behind the AWG envelope, which answers nothing).</summary>
    public bool SendVersionNegotiation { get; set; } = true;

    /// <summary>Answer packets for unknown connection IDs with a stateless reset (off behind the AWG envelope).</summary>
    public bool SendStatelessReset { get; set; } = true;

    /// <summary>The most stateless resets sent per second, in bursts of as many (default 100); beyond it unmatched packets are dropped unanswered.</summary>
    public int MaxStatelessResetsPerSecond { get; set; } = EndpointOptions.DefaultMaxStatelessResetsPerSecond;

    /// <summary>
    /// A 32-byte secret from which stateless reset tokens and Retry token keys derive; random when null. Keep it
    /// across restarts so resets stay recognisable.
    /// </summary>
    public byte[]? StaticKey { get; set; }

    /// <summary>Creates the datagram path bound to <see cref="ListenEndPoint"/>; null binds a <see cref="UdpDatagramPath"/>. The listener owns the path.</summary>
    public Func<IPEndPoint, IDatagramPath>? DatagramPathFactory { get; set; }

    /// <summary>The clock of timers and timeouts; <see cref="TimeProvider.System"/> when null.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Logs (category AwgProxy.Quic.Transport.QuicListener); none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Metrics on the meter <see cref="QuicMetrics.MeterName"/>; none when null.</summary>
    public IMeterFactory? MeterFactory { get; set; }

    internal void Validate()
    {
        const string Owner = nameof(QuicListenerOptions);
        if (ListenEndPoint is null) throw new ArgumentException($"{Owner}.{nameof(ListenEndPoint)} is required.", nameof(ListenEndPoint));
        if (ApplicationProtocols is not { Count: > 0 }) throw new ArgumentException($"{Owner}.{nameof(ApplicationProtocols)} needs at least one protocol.", nameof(ApplicationProtocols));
        if (ConnectionOptions is null) throw new ArgumentException($"{Owner}.{nameof(ConnectionOptions)} is required.", nameof(ConnectionOptions));
        if (ListenBacklog <= 0) throw new ArgumentException($"{Owner}.{nameof(ListenBacklog)} must be positive.", nameof(ListenBacklog));
        if (MaxStatelessResetsPerSecond <= 0) throw new ArgumentException($"{Owner}.{nameof(MaxStatelessResetsPerSecond)} must be positive.", nameof(MaxStatelessResetsPerSecond));
        if (MaxConnections <= 0) throw new ArgumentException($"{Owner}.{nameof(MaxConnections)} must be positive.", nameof(MaxConnections));
        if (StaticKey is not null && StaticKey.Length != 32) throw new ArgumentException($"{Owner}.{nameof(StaticKey)} must be 32 bytes.", nameof(StaticKey));
        ConnectionOptions.Validate();
    }
}
