using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Tunnel.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AwgProxy.Tunnel.Quic;

/// <summary>
/// The server's judge of client certificates (TLS 1.3 client authentication, called during the
/// handshake): the certificate's Ed25519 public key must be one of the configured clients' and not
/// revoked. <see cref="Validate"/> returns the client's name, which becomes the connection's
/// identity; a refusal (null) ends the handshake with a TLS alert, so a refused peer learns nothing
/// beyond a QUIC close. Each refusal is counted in <c>awgproxy.tunnel.server.auth_failures</c>
/// (<c>unknown_key</c>, <c>revoked</c>, <c>not_ed25519</c>) and logged, without the key.
/// </summary>
public sealed class TunnelClientAuthenticator
{
    /// <summary>The reason of a key no client has.</summary>
    public const string UnknownKey = "unknown_key";

    /// <summary>The reason of a revoked client's key.</summary>
    public const string Revoked = "revoked";

    /// <summary>The reason of a certificate whose key is not Ed25519.</summary>
    public const string NotEd25519 = "not_ed25519";

    private readonly Dictionary<string, AuthorizedTunnelClient> _byKey;
    private readonly TunnelServerMetrics? _metrics;
    private readonly ILogger _logger;

    /// <summary>Indexes <paramref name="clients"/> by public key (keys must be distinct).</summary>
    public TunnelClientAuthenticator(IEnumerable<AuthorizedTunnelClient> clients, TunnelServerMetrics? metrics = null, ILogger<TunnelClientAuthenticator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _byKey = new Dictionary<string, AuthorizedTunnelClient>(StringComparer.Ordinal);
        foreach (AuthorizedTunnelClient client in clients)
        {
            if (client.PublicKey is not { Length: Ed25519KeyPair.KeyLength })
            {
                throw new ArgumentException($"Client '{client.Name}' has no {Ed25519KeyPair.KeyLength}-byte public key.", nameof(clients));
            }

            if (!_byKey.TryAdd(Convert.ToBase64String(client.PublicKey), client))
            {
                throw new ArgumentException($"Client '{client.Name}' has the same key as another client.", nameof(clients));
            }
        }

        _metrics = metrics;
        _logger = logger ?? NullLogger<TunnelClientAuthenticator>.Instance;
    }

    /// <summary>Clients that may connect (not revoked).</summary>
    public int AdmittedCount => _byKey.Values.Count(c => !c.Revoked);

    /// <summary>
    /// The name of the client <paramref name="certificate"/> authenticates, or null to refuse it. Never throws
    /// (the QUIC listener calls it inside the handshake).
    /// </summary>
    public object? Validate(TlsPeerCertificate certificate)
    {
        if (certificate?.Ed25519PublicKey is not { } key)
        {
            return Refuse(NotEd25519, "its certificate key is not Ed25519");
        }

        if (!_byKey.TryGetValue(Convert.ToBase64String(key), out AuthorizedTunnelClient? client))
        {
            return Refuse(UnknownKey, "its key is not one of the configured clients'");
        }

        if (client.Revoked)
        {
            _metrics?.AuthenticationFailed(Revoked);
            QuicTunnelLog.RevokedClientRefused(_logger, client.Name);
            return null;
        }

        QuicTunnelLog.ClientAuthenticated(_logger, client.Name);
        return client.Name;
    }

    private object? Refuse(string reason, string description)
    {
        _metrics?.AuthenticationFailed(reason);
        QuicTunnelLog.ClientRefused(_logger, description);
        return null;
    }
}
