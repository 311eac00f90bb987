using System.Globalization;
using System.Net;

namespace AwgProxy.Socks5;

/// <summary>
/// Settings of a <see cref="Socks5Server"/>. A plain class so that configuration binding fills it; check it
/// with <see cref="Socks5ServerOptionsValidator"/> (the server does so in its constructor).
/// </summary>
public sealed class Socks5ServerOptions
{
    /// <summary>
    /// Endpoints to listen on, each an IP literal with an explicit port: "127.0.0.1:1080", "[::1]:1080"
    /// (port 0 picks a free port; see <see cref="Socks5Server.LocalEndPoints"/>). Empty means
    /// <see cref="Socks5ServerDefaults.ListenEndPoint"/>. IPv6 endpoints are IPv6-only.
    /// </summary>
    public IList<string> ListenEndPoints { get; } = new List<string>();

    /// <summary>The accounts. At least one is required: anonymous access is never offered.</summary>
    public IList<Socks5User> Users { get; } = new List<Socks5User>();

    /// <summary>
    /// Time from accept until the request has been read (greeting, authentication and request together).
    /// A client that has not finished by then gets the current stage's failure answer, if it has one, and is closed.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = Socks5ServerDefaults.HandshakeTimeout;

    /// <summary>Time the connect (or UDP associate) handler may take; past it the client gets X'06'.</summary>
    public TimeSpan ConnectTimeout { get; set; } = Socks5ServerDefaults.ConnectTimeout;

    /// <summary>
    /// Close a relay when no byte has moved in either direction for this long. Null (the default) disables it:
    /// idle TCP connections are legitimate.
    /// </summary>
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary>
    /// Sessions served at once, counted from accept to close. A connection beyond it is closed at once without
    /// a byte: at the greeting stage no SOCKS5 answer means "busy" (X'FF' would blame the client's methods),
    /// and doing the handshake first would spend the very resources the limit protects.
    /// </summary>
    public int MaxConcurrentSessions { get; set; } = Socks5ServerDefaults.MaxConcurrentSessions;

    /// <summary>Size of the buffer each relay direction rents while data moves (1 KiB to 1 MiB).</summary>
    public int RelayBufferSize { get; set; } = Socks5ServerDefaults.RelayBufferSize;

    /// <summary>Pending-connection queue length of each listening socket.</summary>
    public int ListenBacklog { get; set; } = Socks5ServerDefaults.ListenBacklog;

    /// <summary>
    /// Parses "a.b.c.d:port" or "[v6]:port". Unlike <see cref="IPEndPoint.TryParse(string, out IPEndPoint?)"/>
    /// a port is required, since "1080" alone would otherwise parse as the address 0.0.4.56.
    /// </summary>
    internal static bool TryParseEndPoint(string? text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        string host = text[..colon];
        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']'))
            {
                return false;
            }

            host = host[1..^1];
            if (!host.Contains(':', StringComparison.Ordinal))
            {
                return false;
            }
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            // An IPv6 literal needs brackets, or its last group would be read as the port.
            return false;
        }

        if (!IPAddress.TryParse(host, out IPAddress? address) ||
            !ushort.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out ushort port))
        {
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }
}
