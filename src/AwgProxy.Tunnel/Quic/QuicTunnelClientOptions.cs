using System.Diagnostics.Metrics;
using System.Net;
using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Transport.Paths;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Tunnel.Quic;

/// <summary>What <see cref="QuicTunnelConnectionFactory"/> needs to reach the server.</summary>
public sealed class QuicTunnelClientOptions
{
    /// <summary>The server's UDP address: an <see cref="IPEndPoint"/>, or a <see cref="DnsEndPoint"/> resolved at every attempt. Required.</summary>
    public EndPoint? Server { get; set; }

    /// <summary>How the server is named in logs (e.g. its host:port); the address's text when null.</summary>
    public string? ServerName { get; set; }

    /// <summary>This client's key pair: TLS client authentication with a self-signed Ed25519 certificate. Required.</summary>
    public Ed25519KeyPair? ClientKey { get; set; }

    /// <summary>The server's raw 32-byte Ed25519 public key, pinned: any other key is refused. Required.</summary>
    public byte[]? ServerPublicKey { get; set; }

    /// <summary>
    /// Creates the datagram path for each connection attempt's own local port (wrap the UDP socket in the
    /// AWG envelope here); a plain UDP socket when null.
    /// </summary>
    public Func<IPEndPoint, IDatagramPath>? DatagramPathFactory { get; set; }

    /// <summary>The QUIC + TLS handshake must complete within this time. Default 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>QUIC max_idle_timeout. Default 2 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>PING after this long without sending; <see cref="Timeout.InfiniteTimeSpan"/> for none. Default 25 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Dead-path detection: when the server stops answering for this long (at least three probe timeouts) the
    /// connection closes at once, so <see cref="Client.TunnelClient"/> reconnects instead of waiting for the idle
    /// timeout; <see cref="Timeout.InfiniteTimeSpan"/> for none. Default 10 s.
    /// </summary>
    public TimeSpan DeadPathTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest QUIC datagram (the datagram path may lower it). Default 1452.</summary>
    public int MaxDatagramSize { get; set; } = 1452;

    /// <summary>The QUIC congestion controller. Default <see cref="CongestionControlAlgorithm.Bbr"/>.</summary>
    public CongestionControlAlgorithm CongestionControl { get; set; } = CongestionControlAlgorithm.Bbr;

    /// <summary>Clock of QUIC's timers; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Logs of the QUIC driver and of the factory; none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>QUIC's metrics (handshakes, RTT, bytes); none when null.</summary>
    public IMeterFactory? MeterFactory { get; set; }

    internal void Validate()
    {
        if (Server is not (IPEndPoint or DnsEndPoint))
        {
            throw new ArgumentException($"{nameof(QuicTunnelClientOptions)}.{nameof(Server)} must be an IPEndPoint or a DnsEndPoint.", nameof(Server));
        }

        if (ClientKey is null)
        {
            throw new ArgumentException($"{nameof(QuicTunnelClientOptions)}.{nameof(ClientKey)} is required.", nameof(ClientKey));
        }

        if (ServerPublicKey is not { Length: Ed25519KeyPair.KeyLength })
        {
            throw new ArgumentException($"{nameof(QuicTunnelClientOptions)}.{nameof(ServerPublicKey)} must be a {Ed25519KeyPair.KeyLength}-byte Ed25519 public key.", nameof(ServerPublicKey));
        }
    }
}
