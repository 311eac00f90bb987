namespace AwgProxy.Cli.Configuration;

/// <summary>Which side a config file describes: it has a <c>[Client]</c> or a <c>[Server]</c> section.</summary>
public enum ProxyRole
{
    /// <summary>The local SOCKS5 side (<c>awgproxy client</c>).</summary>
    Client,

    /// <summary>The proxy server (<c>awgproxy server</c>).</summary>
    Server,
}
