using System.Net;
using System.Net.Sockets;

namespace AwgProxy.Obfuscation.Tests.Support;

/// <summary>
/// A plain UDP socket on 127.0.0.1 standing between the two envelopes: it records every datagram on the wire
/// and forwards it. Receives are bounded by <see cref="PathIo.Bound"/>; a missing datagram fails the test.
/// </summary>
public sealed class WireObserver : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public WireObserver()
    {
        _socket.ReceiveBufferSize = 1 << 20;
        _socket.ReceiveTimeout = (int)PathIo.Bound.TotalMilliseconds;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Bytes waiting in the socket (nothing was sent to it when this is 0).</summary>
    public int Available => _socket.Available;

    /// <summary>Receives exactly <paramref name="count"/> datagrams.</summary>
    public List<byte[]> Capture(int count)
    {
        var captured = new List<byte[]>(count);
        var buffer = new byte[65536];
        for (var i = 0; i < count; i++)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            var length = _socket.ReceiveFrom(buffer, ref from);
            captured.Add(buffer.AsSpan(0, length).ToArray());
        }

        return captured;
    }

    /// <summary>Sends <paramref name="datagrams"/> to <paramref name="to"/> from the observer's address.</summary>
    public void Send(IEnumerable<byte[]> datagrams, EndPoint to)
    {
        ArgumentNullException.ThrowIfNull(datagrams);
        foreach (var datagram in datagrams)
        {
            _socket.SendTo(datagram, to);
        }
    }

    public void Dispose() => _socket.Dispose();
}
