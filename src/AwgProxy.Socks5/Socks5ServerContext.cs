using Microsoft.Extensions.Logging;

namespace AwgProxy.Socks5;

/// <summary>What every session of one server shares: settings, handlers, telemetry, and the stop signals.</summary>
internal sealed class Socks5ServerContext
{
    public required Socks5CredentialStore Credentials { get; init; }

    public required ISocks5ConnectHandler ConnectHandler { get; init; }

    public ISocks5UdpAssociateHandler? UdpAssociateHandler { get; init; }

    public required ILogger Logger { get; init; }

    public Socks5Metrics? Metrics { get; init; }

    public required TimeProvider TimeProvider { get; init; }

    public required TimeSpan HandshakeTimeout { get; init; }

    public required TimeSpan ConnectTimeout { get; init; }

    public TimeSpan? IdleTimeout { get; init; }

    public required int RelayBufferSize { get; init; }

    /// <summary>Fires when the server stops: handshakes and pending requests end, relays go on.</summary>
    public required CancellationToken ShutdownToken { get; init; }

    /// <summary>Fires when the server gives up waiting: every session is aborted.</summary>
    public required CancellationToken AbortToken { get; init; }

    /// <summary>Called by each session as its last act.</summary>
    public required Action<Socks5Session> SessionEnded { get; init; }
}
