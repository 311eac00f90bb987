using AwgProxy.Obfuscation;

namespace AwgProxy.Cli.Configuration;

/// <summary>
/// What client and server config files have in common. The property names are the section names
/// (docs/configuration.md); the classes are bound with Microsoft.Extensions.Configuration's binder
/// from INI or JSON plus <c>AWGPROXY_</c> environment variables (<see cref="ConfigLoader"/>).
/// </summary>
public abstract class ProxyConfig
{
    private protected ProxyConfig()
    {
    }

    /// <summary>Which side this is.</summary>
    public abstract ProxyRole Role { get; }

    /// <summary><c>[Awg]</c>: AmneziaWG parameters under their AWG names.</summary>
    public AwgOptions Awg { get; set; } = new();

    /// <summary><c>[Metrics]</c>.</summary>
    public MetricsSection Metrics { get; set; } = new();

    /// <summary><c>[Log]</c>.</summary>
    public LogSection Log { get; set; } = new();

    /// <summary><c>[Quic]</c>.</summary>
    public QuicSection Quic { get; set; } = new();
}
