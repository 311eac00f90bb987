using System.Diagnostics.Metrics;
using System.Net;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Transport.Paths;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Tunnel.Quic;

/// <summary>What <see cref="QuicTunnelListener"/> needs besides the tunnel's limits (<see cref="Server.TunnelServerOptions"/>).</summary>
public sealed class QuicTunnelServerOptions
{
    /// <summary>The UDP address to listen on (port 0 picks one). Required.</summary>
    public IPEndPoint? ListenEndPoint { get; set; }

    /// <summary>The server's key pair: its self-signed Ed25519 certificate, which clients pin by public key. Required.</summary>
    public Ed25519KeyPair? ServerKey { get; set; }

    /// <summary>The clients admitted (TLS client authentication), revoked ones included.</summary>
    public IReadOnlyList<AuthorizedTunnelClient> Clients { get; set; } = [];

    /// <summary>Creates the listening datagram path (wrap the UDP socket in the AWG envelope here); a plain UDP socket when null.</summary>
    public Func<IPEndPoint, IDatagramPath>? DatagramPathFactory { get; set; }

    /// <summary>The largest QUIC datagram (the datagram path may lower it). Default 1452.</summary>
    public int MaxDatagramSize { get; set; } = 1452;

    /// <summary>
    /// Answer packets of connections this server does not know (e.g. from before a restart) with a stateless
    /// reset, so that their clients reconnect at once instead of waiting for their idle timeout. The reset key
    /// is derived from <see cref="ServerKey"/>, so it survives restarts. Only datagrams that passed the AWG
    /// envelope (right S4 and H4) reach QUIC at all, so a prober without the profile never sees one. Default true.
    /// </summary>
    public bool SendStatelessReset { get; set; } = true;

    /// <summary>Clock of QUIC's timers; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Logs of the QUIC driver and of the listener; none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>QUIC's metrics; none when null.</summary>
    public IMeterFactory? MeterFactory { get; set; }
}
