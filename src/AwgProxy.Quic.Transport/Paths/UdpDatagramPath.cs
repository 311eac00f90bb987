using System.Net;
using System.Net.Sockets;

namespace AwgProxy.Quic.Transport.Paths;

/// <summary>Settings of a <see cref="UdpDatagramPath"/>.</summary>
public sealed class UdpDatagramPathOptions
{
    /// <summary>Wire limit for one UDP payload. 1472 fits a 1500-byte IPv4 MTU; 1452 an IPv6 one.</summary>
    public int MaxDatagramSize { get; set; } = 1452;

    /// <summary>SO_RCVBUF. Sized explicitly: small kernel defaults drop bursts at high rates.</summary>
    public int ReceiveBufferSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>SO_SNDBUF.</summary>
    public int SendBufferSize { get; set; } = 4 * 1024 * 1024;
}

/// <summary>
/// A datagram path over one UDP socket. Receives block for the first datagram of a batch and then drain
/// what the kernel already holds; sends go out one <c>sendto</c> per datagram. Nothing allocates per datagram:
/// the <see cref="SocketAddress"/> overloads of the socket API are used with the batch's reusable addresses.
/// </summary>
public sealed class UdpDatagramPath : IDatagramPath, IDatagramPathCapabilities
{
    private readonly Socket _socket;
    private long _sendErrors;
    private int _disposed;

    private UdpDatagramPath(Socket socket, int maxDatagramSize)
    {
        _socket = socket;
        MaxDatagramSize = maxDatagramSize;
        LocalEndPoint = socket.LocalEndPoint!;
    }

    /// <summary>Binds a UDP socket to <paramref name="localEndPoint"/> (port 0 picks a free port).</summary>
    public static UdpDatagramPath Bind(IPEndPoint localEndPoint, UdpDatagramPathOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(localEndPoint);
        options ??= new UdpDatagramPathOptions();
        var socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (localEndPoint.AddressFamily == AddressFamily.InterNetworkV6 && localEndPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            TrySetBuffer(socket, SocketOptionName.ReceiveBuffer, options.ReceiveBufferSize);
            TrySetBuffer(socket, SocketOptionName.SendBuffer, options.SendBufferSize);
            socket.Bind(localEndPoint);
            return new UdpDatagramPath(socket, options.MaxDatagramSize);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public EndPoint LocalEndPoint { get; }

    public int MaxDatagramSize { get; }

    public bool SupportsEcn => false;

    public int MaxSendSegments => 1;

    public int MaxReceiveSegments => 1;

    /// <summary>Datagrams the kernel refused to send (e.g. no route); UDP semantics make these drops, not failures.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>The receive buffer size the kernel granted.</summary>
    public int ReceiveBufferSize => _socket.ReceiveBufferSize;

    public async ValueTask<int> ReceiveBatchAsync(DatagramBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        while (true)
        {
            int length;
            try
            {
                length = await _socket.ReceiveFromAsync(batch.GetBuffer(0), SocketFlags.None, batch.GetAddress(0), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e) when (IsTransient(e.SocketErrorCode))
            {
                continue;
            }

            batch.SetPayload(0, 0, length);
            batch.SetEcn(0, Quic.EcnCodepoint.NotEct);
            return 1 + DrainReady(batch, 1);
        }
    }

    private int DrainReady(DatagramBatch batch, int start)
    {
        int count = 0;
        for (int i = start; i < batch.Capacity; i++)
        {
            try
            {
                if (_socket.Available <= 0) break;
                int length = _socket.ReceiveFrom(batch.GetArray(i).AsSpan(), SocketFlags.None, batch.GetAddress(i));
                batch.SetPayload(i, 0, length);
                batch.SetEcn(i, Quic.EcnCodepoint.NotEct);
                count++;
            }
            catch (SocketException e) when (IsTransient(e.SocketErrorCode))
            {
                break;
            }
        }

        return count;
    }

    public ValueTask SendBatchAsync(DatagramBatch batch, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (int i = 0; i < count; i++)
        {
            try
            {
                _socket.SendTo(batch.GetPayloadSpan(i), SocketFlags.None, batch.GetAddress(i));
            }
            catch (SocketException e) when (e.SocketErrorCode != SocketError.OperationAborted && e.SocketErrorCode != SocketError.Shutdown)
            {
                // UDP: a refused or unroutable datagram is a drop, which QUIC's loss recovery handles.
                Interlocked.Increment(ref _sendErrors);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _socket.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static bool IsTransient(SocketError error) =>
        error is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize
            or SocketError.WouldBlock or SocketError.NetworkUnreachable or SocketError.HostUnreachable;

    private static void TrySetBuffer(Socket socket, SocketOptionName option, int size)
    {
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, option, size);
        }
        catch (SocketException)
        {
            // The kernel caps buffer sizes (net.core.rmem_max); the granted size is readable afterwards.
        }
    }
}
