namespace AwgProxy.Cli.Configuration;

/// <summary>A client config file as bound: <c>[Client]</c>, <c>[Socks5]</c> (+ <c>[Socks5:Users]</c>), <c>[Timeouts]</c>, <c>[Awg]</c>, <c>[Metrics]</c>, <c>[Log]</c>.</summary>
public sealed class ClientConfig : ProxyConfig
{
    /// <inheritdoc/>
    public override ProxyRole Role => ProxyRole.Client;

    /// <summary><c>[Client]</c>.</summary>
    public ClientSection Client { get; set; } = new();

    /// <summary><c>[Socks5]</c>.</summary>
    public Socks5Section Socks5 { get; set; } = new();

    /// <summary><c>[Timeouts]</c>.</summary>
    public ClientTimeoutsSection Timeouts { get; set; } = new();
}
