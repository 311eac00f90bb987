using System.Net;
using AwgProxy.Cli.Identity;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Obfuscation;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Configuration;

/// <summary>
/// A validated server config in typed form: what <c>IRoleRunner&lt;ResolvedServerConfig&gt;</c> gets
/// to start the QUIC listener and the tunnel server. Every value here has passed validation.
/// </summary>
public sealed class ResolvedServerConfig : IResolvedConfig
{
    /// <inheritdoc/>
    public string RoleName => "server";

    /// <inheritdoc/>
    public required string SourcePath { get; init; }

    /// <summary>The options as bound from the file (raw strings, for anything not resolved here).</summary>
    public required ServerConfig Options { get; init; }

    /// <summary>The server's key pair ([Server] PrivateKey).</summary>
    public required Ed25519KeyPair KeyPair { get; init; }

    /// <summary>The server's public key (what clients pin).</summary>
    public IdentityPublicKey PublicKey => IdentityPublicKey.Of(KeyPair);

    /// <summary>UDP listen address ([Server] Listen).</summary>
    public required IPEndPoint Listen { get; init; }

    /// <summary>Largest UDP payload ([Server] WireMtu or its default).</summary>
    public required int WireMtu { get; init; }

    /// <summary>Every [Clients:&lt;name&gt;] entry, revoked ones included, ordered by name; keys are unique.</summary>
    public required IReadOnlyList<AuthorizedClient> Clients { get; init; }

    /// <summary>The AWG parameters as bound ([Awg]).</summary>
    public required AwgOptions Awg { get; init; }

    /// <summary>The compiled AWG profile for <see cref="WireMtu"/>.</summary>
    public required AwgProfile AwgProfile { get; init; }

    /// <summary>[Limits] MaxConnections.</summary>
    public required int MaxConnections { get; init; }

    /// <summary>[Limits] MaxConnectionsPerClient.</summary>
    public required int MaxConnectionsPerClient { get; init; }

    /// <summary>[Limits] MaxStreamsPerConnection.</summary>
    public required int MaxStreamsPerConnection { get; init; }

    /// <summary>[Timeouts] HandshakeSeconds.</summary>
    public required TimeSpan HandshakeTimeout { get; init; }

    /// <summary>[Timeouts] IdleSeconds.</summary>
    public required TimeSpan IdleTimeout { get; init; }

    /// <summary>[Timeouts] UpstreamConnectSeconds.</summary>
    public required TimeSpan UpstreamConnectTimeout { get; init; }

    /// <summary>[Egress] AllowNetworks: exceptions to the default refusal of loopback, private, link-local and multicast destinations.</summary>
    public required IReadOnlyList<IPNetwork> AllowedNetworks { get; init; }

    /// <inheritdoc/>
    public required LogLevel LogLevel { get; init; }

    /// <inheritdoc/>
    public IPEndPoint? MetricsListen { get; init; }

    /// <inheritdoc/>
    public string Summary => ConfigSummary.Format(this);

    /// <summary>The client with this public key, revoked or not; null for a stranger.</summary>
    public AuthorizedClient? FindClient(IdentityPublicKey publicKey) =>
        Clients.FirstOrDefault(c => c.PublicKey.Equals(publicKey));

    /// <inheritdoc/>
    /// <remarks>Nothing to release: the key pair is plain memory, collected with the config.</remarks>
    public void Dispose()
    {
    }
}
