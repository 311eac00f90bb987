using System.Diagnostics.Metrics;
using System.Net;
using AwgProxy.Quic.Transport.Paths;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Quic.Transport;

/// <summary>Options of <see cref="QuicConnection.ConnectAsync"/> (the shape of System.Net.Quic's QuicClientConnectionOptions).</summary>
public sealed class QuicClientConnectionOptions : QuicConnectionOptions
{
    /// <summary>The server: an <see cref="IPEndPoint"/>, or a <see cref="DnsEndPoint"/> resolved when connecting. Required.</summary>
    public EndPoint? RemoteEndPoint { get; set; }

    /// <summary>The local address to bind; null binds an ephemeral port on the wildcard address of the server's family.</summary>
    public IPEndPoint? LocalEndPoint { get; set; }

    /// <summary>TLS: ALPN, server name, server certificate policy, client certificate. Required.</summary>
    public QuicClientAuthenticationOptions? ClientAuthenticationOptions { get; set; }

    /// <summary>
    /// Creates the datagram path for the connection's own local end point; null binds a <see cref="UdpDatagramPath"/>.
    /// The connection owns the path and disposes it. Wrap the socket in the AWG envelope here.
    /// </summary>
    public Func<IPEndPoint, IDatagramPath>? DatagramPathFactory { get; set; }

    /// <summary>
    /// Answer packets for unknown connection IDs that reach the connection's own socket with a stateless reset (RFC 9000
    /// section 10.3). Off by default: a client's socket lives only as long as its one connection, so a reset would only
    /// ever answer stray or forged packets.
    /// </summary>
    public bool SendStatelessReset { get; set; }

    /// <summary>The clock of timers and timeouts; <see cref="TimeProvider.System"/> when null.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Logs (category AwgProxy.Quic.Transport.QuicConnection); none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Metrics on the meter <see cref="QuicMetrics.MeterName"/>; none when null.</summary>
    public IMeterFactory? MeterFactory { get; set; }

    internal void Validate()
    {
        const string Owner = nameof(QuicClientConnectionOptions);
        ValidateCommon(Owner);
        if (RemoteEndPoint is not (IPEndPoint or DnsEndPoint)) throw Invalid(Owner, nameof(RemoteEndPoint), "must be an IPEndPoint or a DnsEndPoint");
        if (ClientAuthenticationOptions is null) throw Invalid(Owner, nameof(ClientAuthenticationOptions), "is required");
        if (ClientAuthenticationOptions.ApplicationProtocols is not { Count: > 0 })
        {
            throw Invalid(Owner, $"{nameof(ClientAuthenticationOptions)}.{nameof(QuicClientAuthenticationOptions.ApplicationProtocols)}", "needs at least one protocol");
        }

        if (ClientAuthenticationOptions.ServerCertificatePolicy is null)
        {
            throw Invalid(Owner, $"{nameof(ClientAuthenticationOptions)}.{nameof(QuicClientAuthenticationOptions.ServerCertificatePolicy)}", "is required");
        }
    }
}
