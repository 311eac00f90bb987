using System.Net;
using System.Net.Sockets;

namespace AwgProxy.IntegrationTests.Support;

/// <summary>
/// A UDP relay on 127.0.0.1 between one client and a server, recording every datagram in order: the
/// wire as an observer between the two would see it.
/// </summary>
internal sealed class UdpRelay : IAsyncDisposable
{
    private readonly Socket _front = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _back = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(bool FromClient, byte[] Datagram)> _captured = [];
    private readonly Lock _lock = new();
    private readonly Task _forward;
    private readonly Task _backward;
    private IPEndPoint? _client;
    private IPEndPoint? _server;

    public UdpRelay()
    {
        _front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _back.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _forward = ForwardAsync();
        _backward = BackwardAsync();
    }

    /// <summary>Where the client sends.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_front.LocalEndPoint!;

    /// <summary>Where datagrams from the client go; set before the client starts.</summary>
    public IPEndPoint? Server
    {
        get => _server;
        set => _server = value;
    }

    /// <summary>Everything relayed so far, in the order it passed.</summary>
    public IReadOnlyList<(bool FromClient, byte[] Datagram)> Captured
    {
        get
        {
            lock (_lock)
            {
                return [.. _captured];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _front.Dispose();
        _back.Dispose();
        try
        {
            await Task.WhenAll(_forward, _backward);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task ForwardAsync()
    {
        byte[] buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _front.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                continue;
            }

            _client = (IPEndPoint)received.RemoteEndPoint;
            Record(true, buffer.AsSpan(0, received.ReceivedBytes));
            if (_server is { } server)
            {
                await _back.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, server, _stop.Token);
            }
        }
    }

    private async Task BackwardAsync()
    {
        byte[] buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _back.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                continue; // an ICMP port unreachable from an earlier send
            }

            Record(false, buffer.AsSpan(0, received.ReceivedBytes));
            if (_client is { } client)
            {
                await _front.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, client, _stop.Token);
            }
        }
    }

    private void Record(bool fromClient, ReadOnlySpan<byte> datagram)
    {
        lock (_lock)
        {
            _captured.Add((fromClient, datagram.ToArray()));
        }
    }
}
