using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AwgProxy.IntegrationTests.Support;

/// <summary>
/// A SOCKS5 client written out byte by byte (RFC 1928/1929), to see the exact answers: the chosen method,
/// the authentication status and the reply code.
/// </summary>
internal sealed class Socks5Probe : IAsyncDisposable
{
    public const byte NoAuthentication = 0x00;
    public const byte UserPassword = 0x02;
    public const byte NoAcceptableMethods = 0xFF;
    public const byte Connect = 0x01;
    public const byte Bind = 0x02;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private Socks5Probe(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public NetworkStream Stream => _stream;

    public Socket Socket => _tcp.Client;

    public static async Task<Socks5Probe> ConnectAsync(IPEndPoint proxy)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(proxy, Bounds.StepToken());
        return new Socks5Probe(tcp);
    }

    /// <summary>
    /// Connects to the proxy, authenticates and sends CONNECT to <paramref name="host"/>:<paramref name="port"/>
    /// (an IP literal or a name); returns the reply code and the probe, open on success.
    /// </summary>
    public static async Task<(byte Reply, Socks5Probe Probe)> OpenAsync(IPEndPoint proxy, string user, string password, string host, int port, byte command = Connect)
    {
        Socks5Probe probe = await ConnectAsync(proxy);
        byte method = await probe.GreetAsync(UserPassword);
        if (method != UserPassword)
        {
            throw new InvalidOperationException($"The proxy chose method {method:x2}.");
        }

        byte status = await probe.AuthenticateAsync(user, password);
        if (status != 0)
        {
            throw new InvalidOperationException($"Authentication failed with status {status}.");
        }

        return (await probe.RequestAsync(command, host, port), probe);
    }

    /// <summary>Sends the greeting with <paramref name="methods"/>; returns the method the server chose.</summary>
    public async Task<byte> GreetAsync(params byte[] methods)
    {
        byte[] greeting = [0x05, (byte)methods.Length, .. methods];
        await _stream.WriteAsync(greeting, Bounds.StepToken());
        byte[] answer = await ReadExactlyAsync(2);
        return answer[1];
    }

    /// <summary>RFC 1929: returns the status (0 = success).</summary>
    public async Task<byte> AuthenticateAsync(string user, string password)
    {
        byte[] u = Encoding.UTF8.GetBytes(user);
        byte[] p = Encoding.UTF8.GetBytes(password);
        byte[] request = [0x01, (byte)u.Length, .. u, (byte)p.Length, .. p];
        await _stream.WriteAsync(request, Bounds.StepToken());
        byte[] answer = await ReadExactlyAsync(2);
        return answer[1];
    }

    /// <summary>Sends a request and reads the whole reply; returns REP.</summary>
    public async Task<byte> RequestAsync(byte command, string host, int port)
    {
        var request = new List<byte> { 0x05, command, 0x00 };
        if (IPAddress.TryParse(host, out IPAddress? address))
        {
            request.Add(address.AddressFamily == AddressFamily.InterNetwork ? (byte)0x01 : (byte)0x04);
            request.AddRange(address.GetAddressBytes());
        }
        else
        {
            byte[] name = Encoding.ASCII.GetBytes(host);
            request.Add(0x03);
            request.Add((byte)name.Length);
            request.AddRange(name);
        }

        request.Add((byte)(port >> 8));
        request.Add((byte)port);
        await _stream.WriteAsync(request.ToArray(), Bounds.StepToken());
        byte[] head = await ReadExactlyAsync(4);
        int rest = head[3] switch
        {
            0x01 => 4,
            0x04 => 16,
            0x03 => (await ReadExactlyAsync(1))[0],
            _ => throw new InvalidDataException($"ATYP {head[3]:x2} in the reply"),
        };
        await ReadExactlyAsync(rest + 2);
        return head[1];
    }

    /// <summary>Reads until the peer closes; returns everything.</summary>
    public async Task<byte[]> ReadToEndAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? Bounds.Step);
        using var buffer = new MemoryStream();
        await _stream.CopyToAsync(buffer, cancellation.Token);
        return buffer.ToArray();
    }

    public async Task<byte[]> ReadExactlyAsync(int count)
    {
        byte[] buffer = new byte[count];
        await _stream.ReadExactlyAsync(buffer, Bounds.StepToken());
        return buffer;
    }

    /// <summary>Half-closes: no more bytes from this side.</summary>
    public void CompleteWrites() => _tcp.Client.Shutdown(SocketShutdown.Send);

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    public static ushort ReadPort(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt16BigEndian(bytes);
}
