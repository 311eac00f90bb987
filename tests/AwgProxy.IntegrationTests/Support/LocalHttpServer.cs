using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace AwgProxy.IntegrationTests.Support;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 for the tests, one request per connection:
/// <c>GET /blob</c> returns <see cref="Blob"/>; <c>GET /text</c> returns <see cref="TextBody"/>; <c>PUT</c> or
/// <c>POST /upload</c> (Content-Length, <c>Expect: 100-continue</c> honoured) answers the lowercase hex SHA-256
/// of the body it received.
/// </summary>
internal sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public LocalHttpServer(byte[] blob, string textBody = "hello from the local web server\n")
    {
        Blob = blob;
        TextBody = textBody;
        _listener.Start(256);
        _accepting = AcceptAsync();
    }

    public byte[] Blob { get; }

    public string TextBody { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The number of uploads received completely.</summary>
    public int Uploads { get; private set; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                await using var stream = new NetworkStream(socket, ownsSocket: false);
                (string requestLine, Dictionary<string, string> headers, byte[] early) = await ReadHeadAsync(stream);
                string[] parts = requestLine.Split(' ');
                (string method, string path) = (parts[0], parts.Length > 1 ? parts[1] : "/");
                if (method == "GET" && path == "/blob")
                {
                    await RespondAsync(stream, "200 OK", "application/octet-stream", Blob);
                }
                else if (method == "GET" && path == "/text")
                {
                    await RespondAsync(stream, "200 OK", "text/plain", Encoding.UTF8.GetBytes(TextBody));
                }
                else if (method is "PUT" or "POST" && path == "/upload" && headers.TryGetValue("content-length", out string? lengthText))
                {
                    long length = long.Parse(lengthText, CultureInfo.InvariantCulture);
                    if (headers.TryGetValue("expect", out string? expect) && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
                    {
                        await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), _stop.Token);
                    }

                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    hash.AppendData(early);
                    long remaining = length - early.Length;
                    byte[] buffer = new byte[256 * 1024];
                    while (remaining > 0)
                    {
                        int read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        hash.AppendData(buffer, 0, read);
                        remaining -= read;
                    }

                    Uploads++;
                    await RespondAsync(stream, "200 OK", "text/plain", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(hash.GetHashAndReset())));
                }
                else
                {
                    await RespondAsync(stream, "404 Not Found", "text/plain", "not found\n"u8.ToArray());
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or FormatException)
            {
            }
        }
    }

    private async Task<(string RequestLine, Dictionary<string, string> Headers, byte[] Early)> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        byte[] one = new byte[4096];
        while (true)
        {
            int read = await stream.ReadAsync(one, _stop.Token);
            if (read == 0)
            {
                throw new IOException("The client closed before the request head ended.");
            }

            head.AddRange(one.AsSpan(0, read));
            int end = IndexOfHeadEnd(head);
            if (end >= 0)
            {
                string text = Encoding.ASCII.GetString(head.GetRange(0, end).ToArray());
                byte[] early = head.GetRange(end + 4, head.Count - end - 4).ToArray();
                string[] lines = text.Split("\r\n");
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (string line in lines.Skip(1))
                {
                    int colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                    }
                }

                return (lines[0], headers, early);
            }

            if (head.Count > 64 * 1024)
            {
                throw new IOException("The request head is too long.");
            }
        }
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (int i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private async Task RespondAsync(NetworkStream stream, string status, string contentType, byte[] body)
    {
        string head = $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
        await stream.WriteAsync(body, _stop.Token);
    }
}
