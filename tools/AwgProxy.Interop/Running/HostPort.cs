using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AwgProxy.Interop.Running;

/// <summary>
/// "host:port" as Go's <c>net.SplitHostPort</c> reads it ("127.0.0.1:4434", "[::1]:4434",
/// "localhost:4434", ":4434"), resolved to one UDP endpoint.
/// </summary>
public static class HostPort
{
    public static bool TrySplit(string text, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        string portText;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                return false;
            }

            host = text[1..close];
            portText = text[(close + 2)..];
        }
        else
        {
            int colon = text.LastIndexOf(':');
            if (colon < 0 || text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                return false;
            }

            host = text[..colon];
            portText = text[(colon + 1)..];
        }

        return int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;
    }

    /// <summary>
    /// Resolves <paramref name="text"/>. An empty host means <paramref name="emptyHost"/> (the wildcard address
    /// for a listener, loopback for a client). Throws <see cref="FormatException"/> for a malformed address and
    /// <see cref="SocketException"/> when a name does not resolve.
    /// </summary>
    public static async Task<IPEndPoint> ResolveAsync(string text, IPAddress emptyHost, CancellationToken cancellationToken)
    {
        if (!TrySplit(text, out string host, out int port))
        {
            throw new FormatException($"address {text}: expected host:port");
        }

        if (host.Length == 0)
        {
            return new IPEndPoint(emptyHost, port);
        }

        if (IPAddress.TryParse(host, out IPAddress? address))
        {
            return new IPEndPoint(address, port);
        }

        IPAddress[] addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        // Prefer IPv4, as "localhost" then means 127.0.0.1 like the peers' defaults.
        IPAddress chosen = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
        return new IPEndPoint(chosen, port);
    }
}
