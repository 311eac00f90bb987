using System.Net.Sockets;

namespace AwgProxy.Socks5;

/// <summary>Socket helpers shared by the session and the relay.</summary>
internal static class SocketExtensions
{
    /// <summary>Closes abortively: with linger on and a zero timeout, close() sends RST instead of FIN.</summary>
    public static void ResetAndDispose(this Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed or reset: nothing left to abort.
        }

        socket.Dispose();
    }
}
