using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Transport;
using AwgProxy.Tunnel.Client;
using AwgProxy.Tunnel.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AwgProxy.Tunnel.Quic;

/// <summary>
/// The client's <see cref="ITunnelConnectionFactory"/>: one QUIC connection per call, ALPN <c>awgproxy/1</c>,
/// the server's Ed25519 key pinned, this client's key presented for TLS client authentication, streams
/// opened by the client only (it advertises <c>initial_max_streams_bidi = 0</c> and no unidirectional or
/// DATAGRAM support).
/// </summary>
/// <remarks>
/// <para>Authentication failures surface as <see cref="TunnelAuthenticationException"/>, counted in
/// <c>awgproxy.tunnel.client.auth_failures</c>: a server whose key is not the pinned one (the client refuses
/// it during the handshake, TLS alert bad_certificate) and a server that refuses this client's key.</para>
/// <para>In TLS 1.3 the server judges the client's certificate after the client has finished its side of
/// the handshake; <see cref="QuicConnection.ConnectAsync"/> returns only once the server confirmed the handshake
/// (RFC 9001 section 4.1.2), so a refusal fails the connect (a CRYPTO_ERROR from the server), never a later
/// stream.</para>
/// /// <para>No SNI is sent: a DNS name is resolved here and the handshake goes to the address.</para>
/// </remarks>
public sealed class QuicTunnelConnectionFactory : ITunnelConnectionFactory
{
    /// <summary>The <c>awgproxy.reason</c> of a server key that is not the pinned one.</summary>
    public const string ServerKeyMismatch = "server_key_mismatch";

    /// <summary>The <c>awgproxy.reason</c> of a server that refused this client's key.</summary>
    public const string RefusedByServer = "refused_by_server";

    private const long BadCertificateError = 0x100 + (long)AlertDescription.BadCertificate;

    private readonly QuicTunnelClientOptions _options;
    private readonly TunnelClientMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly TlsCertificateCredential _credential;
    private readonly string _serverName;

    /// <summary>Creates the factory. Throws <see cref="ArgumentException"/> for incomplete options.</summary>
    public QuicTunnelConnectionFactory(QuicTunnelClientOptions options, TunnelClientMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _metrics = metrics;
        _logger = options.LoggerFactory?.CreateLogger<QuicTunnelConnectionFactory>() ?? NullLogger<QuicTunnelConnectionFactory>.Instance;
        _credential = TlsCertificateCredential.FromEd25519(options.ClientKey!, "awgproxy-client");
        _serverName = options.ServerName ?? options.Server!.ToString() ?? "server";
    }

    /// <inheritdoc/>
    public async ValueTask<ITunnelConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        IPEndPoint remote = await ResolveAsync(_options.Server!, cancellationToken).ConfigureAwait(false);
        QuicConnection connection;
        try
        {
            connection = await QuicConnection.ConnectAsync(CreateConnectionOptions(remote), cancellationToken).ConfigureAwait(false);
        }
        catch (QuicException e) when (e.CloseReason is { IsLocal: false, TransportErrorCode: >= 0x100 and <= 0x1ff })
        {
            // The server's TLS alert: it refused this client's certificate (the handshake is confirmed only after).
            throw AuthenticationFailed(
                RefusedByServer,
                $"the server at {_serverName} refused this client's key: it is not listed in the server's [Clients] sections, or it is revoked ({e.Message})",
                e);
        }
        catch (QuicException e) when (e.TransportErrorCode == BadCertificateError)
        {
            // Only this side judges a certificate before its handshake completes: the server's key is not the pin.
            throw AuthenticationFailed(
                ServerKeyMismatch,
                $"the server at {_serverName} presented a key that is not the pinned [Client] ServerPublicKey; refusing to connect (is this the right server, and its 'awgproxy pubkey' output?)",
                e);
        }
        catch (QuicException e)
        {
            string why = e.CloseReason is { } reason ? Describe(reason) : e.Message;
            throw new IOException($"cannot connect to {_serverName}: {why}", e);
        }

        _ = LogCloseAsync(connection);
        return new QuicTunnelConnection(connection, _serverName);
    }

    /// <summary>The driver's options for one connection attempt to <paramref name="remote"/>.</summary>
    internal QuicClientConnectionOptions CreateConnectionOptions(IPEndPoint remote) => new()
    {
        RemoteEndPoint = remote,
        ClientAuthenticationOptions = new QuicClientAuthenticationOptions
        {
            ApplicationProtocols = [new SslApplicationProtocol(TunnelProtocol.Alpn)],
            ServerCertificatePolicy = TlsServerCertificatePolicy.PinnedPublicKeys([_options.ServerPublicKey!]),
            ClientCertificate = _credential,
        },
        DatagramPathFactory = _options.DatagramPathFactory,
        HandshakeTimeout = _options.HandshakeTimeout,
        IdleTimeout = _options.IdleTimeout,
        KeepAliveInterval = _options.KeepAliveInterval,
        DeadPathTimeout = _options.DeadPathTimeout,
        MaxDatagramSize = _options.MaxDatagramSize,
        ConfigureTransport = ConfigureTransport,
        MaxInboundBidirectionalStreams = 0,
        MaxInboundUnidirectionalStreams = 0,
        MaxDatagramFrameSize = 0,
        DefaultStreamErrorCode = TunnelErrorCode.NoError,
        DefaultCloseErrorCode = TunnelErrorCode.NoError,
        TimeProvider = _options.TimeProvider,
        LoggerFactory = _options.LoggerFactory,
        MeterFactory = _options.MeterFactory,
    };

    private void ConfigureTransport(AwgProxy.Quic.Connections.ConnectionOptions core) => core.CongestionControl = _options.CongestionControl;

    private static async ValueTask<IPEndPoint> ResolveAsync(EndPoint server, CancellationToken cancellationToken)
    {
        if (server is IPEndPoint ip)
        {
            return ip;
        }

        var dns = (DnsEndPoint)server;
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(dns.Host, dns.AddressFamily, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new IOException($"cannot resolve the server name '{dns.Host}': {e.SocketErrorCode}", e);
        }

        IPAddress? chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
        return chosen is null
            ? throw new IOException($"the server name '{dns.Host}' resolves to no address")
            : new IPEndPoint(chosen, dns.Port);
    }

    /// <summary>A close reason in words, naming the awgproxy/1 application error code (docs/protocol.md section 5).</summary>
    internal static string Describe(QuicCloseReason reason) => reason.ApplicationErrorCode switch
    {
        TunnelErrorCode.LimitExceeded when !reason.IsLocal => $"{reason.Message} (LIMIT_EXCEEDED: the server's connection limit for all clients or for this client is reached)",
        TunnelErrorCode.ServerShuttingDown when !reason.IsLocal => $"{reason.Message} (SERVER_SHUTTING_DOWN)",
        TunnelErrorCode.ProtocolError => $"{reason.Message} (PROTOCOL_ERROR)",
        _ => reason.Message,
    };

    private TunnelAuthenticationException AuthenticationFailed(string reason, string message, Exception inner)
    {
        _metrics?.AuthenticationFailed(reason);
        QuicTunnelLog.ClientAuthenticationFailed(_logger, _serverName, reason, message);
        return new TunnelAuthenticationException(reason, message, inner);
    }

    private async Task LogCloseAsync(QuicConnection connection)
    {
        QuicCloseReason reason = await connection.Closed.ConfigureAwait(false);
        QuicTunnelLog.ClientConnectionClosed(_logger, _serverName, Describe(reason));
    }
}
