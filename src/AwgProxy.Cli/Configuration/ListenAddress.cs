using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace AwgProxy.Cli.Configuration;

/// <summary>
/// Parses a local address to listen on: an IP literal and a port, <c>127.0.0.1:1080</c>,
/// <c>0.0.0.0:51820</c>, <c>[::1]:9090</c>, <c>[::]:51820</c>. Port 0 asks the OS for a free port.
/// </summary>
public static class ListenAddress
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPEndPoint? endPoint, [NotNullWhen(false)] out string? error)
    {
        endPoint = null;
        if (!HostPort.TryParse(text, allowZeroPort: true, out var hostPort, out error))
        {
            return false;
        }

        if (hostPort.Address is not { } address)
        {
            error = "a listen address must be an IP address (0.0.0.0 or [::] for all), not a host name";
            return false;
        }

        endPoint = new IPEndPoint(address, hostPort.Port);
        return true;
    }

    /// <summary>Formats like the config: <c>ip:port</c> or <c>[v6]:port</c>.</summary>
    public static string Format(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return new HostPort(endPoint.Address.ToString(), endPoint.Port).ToString();
    }
}
