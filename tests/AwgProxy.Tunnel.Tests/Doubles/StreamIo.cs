using System.Net.Sockets;

namespace AwgProxy.Tunnel.Tests.Doubles;

/// <summary>Read/write helpers for tests.</summary>
internal static class StreamIo
{
    public static async Task<byte[]> ReadToEndAsync(IDuplexStream stream, CancellationToken cancellationToken = default)
    {
        using var output = new MemoryStream();
        byte[] buffer = new byte[16 * 1024];
        while (true)
        {
            int read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return output.ToArray();
            }

            output.Write(buffer, 0, read);
        }
    }

    public static async Task<byte[]> ReadExactlyAsync(IDuplexStream stream, int count)
    {
        byte[] buffer = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(filled));
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            filled += read;
        }

        return buffer;
    }

    public static async Task<byte[]> ReceiveToEndAsync(Socket socket)
    {
        using var output = new MemoryStream();
        byte[] buffer = new byte[16 * 1024];
        while (true)
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None);
            if (read == 0)
            {
                return output.ToArray();
            }

            output.Write(buffer, 0, read);
        }
    }

    public static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count)
    {
        byte[] buffer = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            filled += read;
        }

        return buffer;
    }

    public static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            int sent = await socket.SendAsync(data, SocketFlags.None);
            data = data[sent..];
        }
    }

    /// <summary>Resets a TCP connection (SO_LINGER 0, close).</summary>
    public static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Dispose();
    }

    public static byte[] RandomBytes(int count, int seed)
    {
        byte[] data = new byte[count];
        new Random(seed).NextBytes(data);
        return data;
    }
}
