using System.Net;
using System.Net.Sockets;
using System.Text;
using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5.Tests.Infrastructure;

/// <summary>
/// A SOCKS5 client for tests, on a raw socket. It reads answers by their RFC lengths (never more), so the
/// bytes after a reply are left for the relay checks.
/// </summary>
internal sealed class Socks5TestClient : IDisposable
{
    private Socks5TestClient(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    public static async Task<Socks5TestClient> ConnectAsync(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, TestTimeouts.Token());
        return new Socks5TestClient(socket);
    }

    /// <summary>Connects, authenticates and sends CONNECT; returns the reply.</summary>
    public static async Task<(Socks5TestClient Client, Socks5Reply Reply)> ConnectThroughAsync(
        IPEndPoint server, Socks5Address destination, ushort port, string userName = TestServer.UserName, string password = TestServer.Password)
    {
        Socks5TestClient client = await ConnectAsync(server);
        Assert.Equal(Socks5AuthMethod.UsernamePassword, (await client.GreetAsync(Socks5AuthMethod.UsernamePassword)).Method);
        Assert.True((await client.AuthenticateAsync(userName, password)).Succeeded);
        Socks5Reply reply = await client.RequestAsync(Socks5Command.Connect, destination, port);
        return (client, reply);
    }

    public Task SendAsync(byte[] bytes) => Socket.SendAsync(bytes, SocketFlags.None, TestTimeouts.Token()).AsTask();

    public async Task<MethodSelectionReply> GreetAsync(params Socks5AuthMethod[] methods)
    {
        byte[] message = new byte[MethodSelectionRequest.GetEncodedLength(methods.Length)];
        MethodSelectionRequest.Write(message, methods);
        await SendAsync(message);
        return await ReadMethodSelectionReplyAsync();
    }

    public async Task<MethodSelectionReply> ReadMethodSelectionReplyAsync()
    {
        byte[] bytes = await ReceiveExactlyAsync(MethodSelectionReply.EncodedLength);
        Assert.Equal(Socks5ParseStatus.Complete, MethodSelectionReply.TryParse(bytes, out MethodSelectionReply reply).Status);
        return reply;
    }

    public async Task<UsernamePasswordResponse> AuthenticateAsync(string userName, string password)
    {
        await SendAsync(EncodeAuthentication(userName, password));
        return await ReadAuthenticationResponseAsync();
    }

    public async Task<UsernamePasswordResponse> ReadAuthenticationResponseAsync()
    {
        byte[] bytes = await ReceiveExactlyAsync(UsernamePasswordResponse.EncodedLength);
        Assert.Equal(Socks5ParseStatus.Complete, UsernamePasswordResponse.TryParse(bytes, out UsernamePasswordResponse response).Status);
        return response;
    }

    public async Task<Socks5Reply> RequestAsync(Socks5Command command, Socks5Address destination, ushort port)
    {
        await SendAsync(EncodeRequest(command, destination, port));
        return await ReadReplyAsync();
    }

    /// <summary>Reads a reply: VER REP RSV ATYP, then as many address octets as ATYP says, then the port.</summary>
    public async Task<Socks5Reply> ReadReplyAsync()
    {
        byte[] head = await ReceiveExactlyAsync(4);
        int addressLength = head[3] switch
        {
            0x01 => 4,
            0x04 => 16,
            0x03 => 1 + (await ReceiveExactlyAsync(1))[0],
            _ => throw new InvalidDataException($"Reply with ATYP {head[3]}."),
        };
        byte[] rest;
        byte[] whole;
        if (head[3] == 0x03)
        {
            rest = await ReceiveExactlyAsync(addressLength - 1 + 2);
            whole = [.. head, (byte)(addressLength - 1), .. rest];
        }
        else
        {
            rest = await ReceiveExactlyAsync(addressLength + 2);
            whole = [.. head, .. rest];
        }

        Socks5ParseResult result = Socks5Reply.TryParse(whole, out Socks5Reply reply);
        Assert.Equal(Socks5ParseResult.Complete(whole.Length), result);
        return reply;
    }

    public async Task<byte[]> ReceiveExactlyAsync(int count)
    {
        byte[] buffer = new byte[count];
        int received = 0;
        CancellationToken token = TestTimeouts.Token();
        while (received < count)
        {
            int read = await Socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, token);
            if (read == 0)
            {
                throw new EndOfStreamException($"The server closed after {received} of {count} expected bytes.");
            }

            received += read;
        }

        return buffer;
    }

    /// <summary>Reads until the server's FIN; returns everything read before it.</summary>
    public async Task<byte[]> ReceiveToEndAsync()
    {
        var all = new MemoryStream();
        byte[] buffer = new byte[16 * 1024];
        CancellationToken token = TestTimeouts.Token();
        while (true)
        {
            int read = await Socket.ReceiveAsync(buffer, SocketFlags.None, token);
            if (read == 0)
            {
                return all.ToArray();
            }

            all.Write(buffer, 0, read);
        }
    }

    /// <summary>Asserts that the server closes the connection (FIN) without sending another byte.</summary>
    public async Task AssertClosedWithoutDataAsync()
    {
        byte[] rest = await ReceiveToEndAsync();
        Assert.Empty(rest);
    }

    public static byte[] EncodeAuthentication(string userName, string password)
    {
        byte[] name = Encoding.UTF8.GetBytes(userName);
        byte[] pass = Encoding.UTF8.GetBytes(password);
        byte[] message = new byte[UsernamePasswordRequest.GetEncodedLength(name.Length, pass.Length)];
        UsernamePasswordRequest.Write(message, name, pass);
        return message;
    }

    public static byte[] EncodeRequest(Socks5Command command, Socks5Address destination, ushort port)
    {
        var request = new Socks5Request(command, destination, port);
        byte[] message = new byte[request.EncodedLength];
        request.Write(message);
        return message;
    }

    public void Dispose() => Socket.Dispose();
}
