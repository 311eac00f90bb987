using System.Net;
using AwgProxy.Cli.Identity;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Obfuscation;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Configuration;

/// <summary>
/// A validated client config in typed form: what <c>IRoleRunner&lt;ResolvedClientConfig&gt;</c> gets
/// to start the SOCKS5 server and the tunnel client. Every value here has passed validation.
/// </summary>
public sealed class ResolvedClientConfig : IResolvedConfig
{
    /// <inheritdoc/>
    public string RoleName => "client";

    /// <inheritdoc/>
    public required string SourcePath { get; init; }

    /// <summary>The options as bound from the file (raw strings, for anything not resolved here).</summary>
    public required ClientConfig Options { get; init; }

    /// <summary>This client's key pair ([Client] PrivateKey).</summary>
    public required Ed25519KeyPair KeyPair { get; init; }

    /// <summary>This client's public key (what the server lists).</summary>
    public IdentityPublicKey PublicKey => IdentityPublicKey.Of(KeyPair);

    /// <summary>The pinned server key ([Client] ServerPublicKey).</summary>
    public required IdentityPublicKey ServerPublicKey { get; init; }

    /// <summary>The server to reach ([Client] Server); resolve <see cref="HostPort.Host"/> unless it is a literal.</summary>
    public required HostPort Server { get; init; }

    /// <summary>Largest UDP payload ([Client] WireMtu or its default).</summary>
    public required int WireMtu { get; init; }

    /// <summary>The AWG parameters as bound ([Awg]).</summary>
    public required AwgOptions Awg { get; init; }

    /// <summary>The compiled AWG profile for <see cref="WireMtu"/>; <c>Budget.MaxQuicDatagramSize</c> is QUIC's limit.</summary>
    public required AwgProfile AwgProfile { get; init; }

    /// <summary>SOCKS5 TCP listen address ([Socks5] Listen).</summary>
    public required IPEndPoint Socks5Listen { get; init; }

    /// <summary>RFC 1929 passwords by user name ([Socks5:Users]); at least one (the SOCKS5 port never serves anonymous clients).</summary>
    public required IReadOnlyDictionary<string, string> Socks5Users { get; init; }

    /// <summary>SOCKS5 connections open at once ([Socks5] MaxConnections).</summary>
    public required int Socks5MaxConnections { get; init; }

    /// <summary>[Timeouts] HandshakeSeconds.</summary>
    public required TimeSpan HandshakeTimeout { get; init; }

    /// <summary>[Timeouts] IdleSeconds.</summary>
    public required TimeSpan IdleTimeout { get; init; }

    /// <summary>[Timeouts] KeepAliveSeconds; <see cref="TimeSpan.Zero"/> = no keep-alives.</summary>
    public required TimeSpan KeepAliveInterval { get; init; }

    /// <summary>[Timeouts] DeadPathSeconds; <see cref="TimeSpan.Zero"/> = no dead-path detection.</summary>
    public required TimeSpan DeadPathTimeout { get; init; }

    /// <summary>[Timeouts] Socks5HandshakeSeconds.</summary>
    public required TimeSpan Socks5HandshakeTimeout { get; init; }

    /// <summary>[Timeouts] RequestWaitSeconds.</summary>
    public required TimeSpan RequestWaitTimeout { get; init; }

    /// <inheritdoc/>
    public required LogLevel LogLevel { get; init; }

    /// <inheritdoc/>
    public IPEndPoint? MetricsListen { get; init; }

    /// <inheritdoc/>
    public string Summary => ConfigSummary.Format(this);

    /// <inheritdoc/>
    /// <remarks>Nothing to release: the key pair is plain memory, collected with the config.</remarks>
    public void Dispose()
    {
    }
}
