using System.Net;
using AwgProxy.Quic.Crypto;

namespace AwgProxy.Interop.Transport;

/// <summary>What the server side asks of the transport (from the <c>server</c> flags).</summary>
public sealed record InteropServerOptions
{
    /// <summary>The UDP address to bind (<c>-listen</c>).</summary>
    public required IPEndPoint ListenEndPoint { get; init; }

    /// <summary>ALPN protocols the server accepts (<c>-alpn</c>, comma-separated), in preference order.</summary>
    public required IReadOnlyList<string> ApplicationProtocols { get; init; }

    /// <summary>
    /// PEM certificate chain (<c>-cert</c>). Never null here: without <c>-cert</c> the tool writes an
    /// ephemeral self-signed P-256 certificate for "localhost" to a temporary file, as quicgo-peer does.
    /// </summary>
    public required string CertificatePemPath { get; init; }

    /// <summary>PEM private key for <see cref="CertificatePemPath"/> (<c>-key</c>).</summary>
    public required string PrivateKeyPemPath { get; init; }

    /// <summary>Key exchange groups in preference order. Empty = transport default.</summary>
    public IReadOnlyList<InteropKeyExchangeGroup> Groups { get; init; } = [];

    /// <summary>Cipher suites in preference order. Empty = transport default.</summary>
    public IReadOnlyList<CipherSuite> CipherSuites { get; init; } = [];

    /// <summary>Send a Retry to every client before accepting it (<c>-retry</c>).</summary>
    public bool Retry { get; init; }

    /// <summary>max_idle_timeout transport parameter (<c>-idle</c>).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>NSS key log file (<c>-keylog</c> or SSLKEYLOGFILE); null = none. Transports may ignore it.</summary>
    public string? KeyLogPath { get; init; }

    /// <summary>qlog directory (<c>-qlog</c> or QLOGDIR); null = none. Transports may ignore it.</summary>
    public string? QlogDirectory { get; init; }

    /// <summary>Largest per-stream receive window; 0 = transport default. Transports may ignore it.</summary>
    public ulong MaxStreamReceiveWindow { get; init; }

    /// <summary>Largest connection receive window; 0 = transport default. Transports may ignore it.</summary>
    public ulong MaxConnectionReceiveWindow { get; init; }
}
