using System.Net.Sockets;

namespace AwgProxy.Socks5.Tests.Infrastructure;

/// <summary>Seeded payloads and an echo round trip that sends and receives at the same time.</summary>
internal static class RelayData
{
    public static byte[] Random(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Sends <paramref name="payload"/> while reading as many bytes back; returns what came back.</summary>
    public static async Task<byte[]> RoundTripAsync(Socket socket, byte[] payload)
    {
        CancellationToken token = TestTimeouts.Token();
        Task send = SendInChunksAsync(socket, payload, token);
        byte[] received = new byte[payload.Length];
        int total = 0;
        while (total < received.Length)
        {
            int read = await socket.ReceiveAsync(received.AsMemory(total), SocketFlags.None, token);
            if (read == 0)
            {
                throw new EndOfStreamException($"Closed after {total} of {payload.Length} bytes.");
            }

            total += read;
        }

        await send;
        return received;
    }

    private static async Task SendInChunksAsync(Socket socket, byte[] payload, CancellationToken token)
    {
        for (int offset = 0; offset < payload.Length; offset += 8192)
        {
            await socket.SendAsync(payload.AsMemory(offset, Math.Min(8192, payload.Length - offset)), SocketFlags.None, token);
        }
    }
}
