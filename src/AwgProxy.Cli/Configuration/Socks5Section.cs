namespace AwgProxy.Cli.Configuration;

/// <summary>
/// The client's <c>[Socks5]</c> section, with its users in <c>[Socks5:Users]</c> as
/// <c>name = password</c> lines (RFC 1929). No users means no authentication, allowed only on a
/// loopback address.
/// </summary>
public sealed class Socks5Section
{
    /// <summary>TCP address of the SOCKS5 server, <c>ip:port</c> or <c>[v6]:port</c>.</summary>
    public string? Listen { get; set; } = ConfigDefaults.Socks5Listen;

    /// <summary>SOCKS5 connections open at once; more are refused.</summary>
    public int MaxConnections { get; set; } = ConfigDefaults.Socks5MaxConnections;

    /// <summary>Passwords by user name (each 1-255 bytes of UTF-8).</summary>
    [Secret]
    public Dictionary<string, string?> Users { get; set; } = new(StringComparer.Ordinal);
}
