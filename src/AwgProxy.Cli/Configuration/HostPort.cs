using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace AwgProxy.Cli.Configuration;

/// <summary>
/// A destination written <c>host:port</c>: a DNS name, an IPv4 literal or a bracketed IPv6 literal
/// (<c>[2001:db8::1]:443</c>), port 1-65535.
/// </summary>
public sealed record HostPort(string Host, int Port)
{
    /// <summary>The host as an address when it is an IP literal, else null (resolve <see cref="Host"/>).</summary>
    public IPAddress? Address => IPAddress.TryParse(Host, out var address) ? address : null;

    /// <summary>Parses <c>host:port</c>; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out HostPort? value, [NotNullWhen(false)] out string? error) =>
        TryParse(text, allowZeroPort: false, out value, out error);

    /// <summary>Parses <c>host:port</c>; port 0 only when <paramref name="allowZeroPort"/> (a listen address).</summary>
    internal static bool TryParse(string? text, bool allowZeroPort, [NotNullWhen(true)] out HostPort? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "empty; expected host:port";
            return false;
        }

        string host;
        string portText;
        if (text[0] == '[')
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                error = "expected [IPv6 address]:port";
                return false;
            }

            host = text[1..close];
            portText = text[(close + 2)..];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = "the part in brackets is not an IPv6 address";
                return false;
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 0)
            {
                error = "no port; expected host:port";
                return false;
            }

            host = text[..colon];
            portText = text[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                error = "an IPv6 address needs brackets: [address]:port";
                return false;
            }

            if (Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
            {
                error = "the host is not a DNS name or an IPv4 address";
                return false;
            }
        }

        if (!TryParsePort(portText, out var port) || (port == 0 && !allowZeroPort))
        {
            error = allowZeroPort ? "the port must be a number from 0 to 65535" : "the port must be a number from 1 to 65535";
            return false;
        }

        value = new HostPort(host, port);
        error = null;
        return true;
    }

    /// <summary>Parses a decimal port 0-65535.</summary>
    internal static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= IPEndPoint.MaxPort;

    /// <summary><c>host:port</c>, with brackets around an IPv6 host.</summary>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
