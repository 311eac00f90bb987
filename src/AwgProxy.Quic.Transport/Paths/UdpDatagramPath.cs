using System.Net;
using System.Net.Sockets;
using AwgProxy.Quic;

namespace AwgProxy.Quic.Transport.Paths;

/// <summary>Settings of a <see cref="UdpDatagramPath"/>.</summary>
public sealed class UdpDatagramPathOptions
{
    /// <summary>Wire limit for one UDP payload. 1472 fits a 1500-byte IPv4 MTU; 1452 an IPv6 one.</summary>
    public int MaxDatagramSize { get; set; } = 1452;

    /// <summary>
    /// SO_RCVBUF. Sized explicitly: small kernel defaults drop bursts at high rates. On Linux SO_RCVBUFFORCE is tried
    /// first (it passes net.core.rmem_max when the process may: CAP_NET_ADMIN), then SO_RCVBUF, which the kernel caps.
    /// </summary>
    public int ReceiveBufferSize { get; set; } = 8 * 1024 * 1024;

    /// <summary>SO_SNDBUF (SO_SNDBUFFORCE first on Linux, as for <see cref="ReceiveBufferSize"/>).</summary>
    public int SendBufferSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Use UDP generic segmentation offload where the kernel has it (Linux UDP_SEGMENT): runs of equal-sized
    /// datagrams to one destination leave in one <c>sendto</c>. Off, or unavailable, means one call per datagram.
    /// </summary>
    public bool UseSegmentationOffload { get; set; } = true;

    /// <summary>
    /// Linux: receive with non-blocking <c>recvmmsg</c>, many datagrams per system call. Off, or on other systems,
    /// the portable path receives with the socket API, one datagram per call.
    /// </summary>
    public bool UseBatchedReceive { get; set; } = true;

    /// <summary>
    /// Linux, with <see cref="UseBatchedReceive"/>: set UDP_GRO so the kernel may hand over runs of datagrams from one
    /// source coalesced into one message, cut back into datagrams here.
    /// </summary>
    public bool UseReceiveOffload { get; set; } = true;

    /// <summary>
    /// Linux, with <see cref="UseBatchedReceive"/>: report the ECN codepoint of received datagrams (IP_RECVTOS,
    /// IPV6_RECVTCLASS) and set the one asked for on sends (IP_TOS, IPV6_TCLASS).
    /// </summary>
    public bool UseEcn { get; set; } = true;
}

/// <summary>
/// A datagram path over one UDP socket. Sends go out one <c>sendto</c> per datagram, or, with segmentation offload
/// (Linux UDP_SEGMENT), one <c>sendto</c> per run of equal-sized datagrams to the same destination (the kernel cuts
/// the run back into datagrams). Receives, on Linux, take what the kernel holds with non-blocking <c>recvmmsg</c>
/// calls (with UDP GRO, one message may carry many datagrams; see <see cref="RecvMMsgReceiver"/>) and wait for
/// readability only when nothing is ready; elsewhere, or when the kernel refuses, they block for the first datagram
/// of a batch and then drain what the kernel already holds, one call per datagram. Capabilities are probed when the
/// socket is bound. Nothing allocates per datagram: the <see cref="SocketAddress"/> overloads of the socket API are
/// used with the batch's reusable addresses. On Linux the path also receives by blocking a thread in <c>poll</c>
/// (<see cref="IBlockingDatagramReceiver"/>), which keeps the socket out of .NET's event loop: no readiness
/// notification per sent datagram, no hop per batch.
/// </summary>
public sealed class UdpDatagramPath : IDatagramPath, IDatagramPathCapabilities, IBlockingDatagramReceiver
{
    /// <summary>recvmmsg messages per call with UDP GRO (each up to 64 datagrams) and without (one datagram each).</summary>
    private const int CoalescedMessagesPerCall = 8;
    private const int DatagramsPerCall = 64;

    /// <summary>Linux: SOL_UDP and UDP_SEGMENT (include/uapi/linux/udp.h).</summary>
    private const int SolUdp = 17;
    private const int UdpSegment = 103;

    /// <summary>Segments per offloaded send, at most (the kernel's UDP_MAX_SEGMENTS is 64 on older kernels).</summary>
    private const int MaxSegments = 64;

    /// <summary>Bytes per offloaded send, at most: one UDP payload (65,535 − 8 − 20).</summary>
    private const int MaxSegmentedBytes = 65507;

    /// <summary>The largest UDP payload of any datagram: 65,535 − 8 (IPv6; IPv4 also subtracts its 20-byte header).</summary>
    private const int MaxUdpPayloadSize = 65527;

    private readonly Socket _socket;
    private readonly byte[]? _segmentBuffer;
    private readonly RecvMMsgReceiver? _receiver;
    private bool _segmentationOffload;
    private int _segmentSize;
    private bool _ecn;
    private EcnCodepoint _sendEcn;
    private long _sendErrors;
    private long _sendCalls;
    private int _disposed;

    private UdpDatagramPath(Socket socket, int maxDatagramSize, bool segmentationOffload, RecvMMsgReceiver? receiver, bool ecn)
    {
        _socket = socket;
        MaxDatagramSize = maxDatagramSize;
        LocalEndPoint = socket.LocalEndPoint!;
        _segmentationOffload = segmentationOffload;
        if (segmentationOffload) _segmentBuffer = GC.AllocateUninitializedArray<byte>(MaxSegmentedBytes, pinned: true);
        _receiver = receiver;
        _ecn = ecn;
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

            TrySetBuffer(socket, SocketOptionName.ReceiveBuffer, LinuxSocketNative.SoRcvBufForce, options.ReceiveBufferSize);
            TrySetBuffer(socket, SocketOptionName.SendBuffer, LinuxSocketNative.SoSndBufForce, options.SendBufferSize);
            socket.Bind(localEndPoint);
            bool offload = options.UseSegmentationOffload && TrySetSegmentSize(socket, 0);
            RecvMMsgReceiver? receiver = null;
            bool ecn = false;
            if (options.UseBatchedReceive && LinuxSocketNative.IsSupportedPlatform)
            {
                bool gro = options.UseReceiveOffload && TrySetRawInt(socket, LinuxSocketNative.SolUdp, LinuxSocketNative.UdpGro, 1);
                ecn = options.UseEcn && TryEnableEcnReports(socket);
                receiver = new RecvMMsgReceiver(socket, gro, gro ? CoalescedMessagesPerCall : DatagramsPerCall);
            }

            return new UdpDatagramPath(socket, options.MaxDatagramSize, offload, receiver, ecn);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public EndPoint LocalEndPoint { get; }

    public int MaxDatagramSize { get; }

    /// <summary>
    /// The largest UDP payload (65,527 bytes, IPv6 without jumbograms; IPv4 allows 65,507): receive slots hold any
    /// datagram whole. A smaller slot would let the kernel truncate a larger datagram, which then is lost: a
    /// client's first Initial (sent before it knows our max_udp_payload_size, often 1,472 bytes or more), or a
    /// peer's path MTU probe on loopback.
    /// </summary>
    public int MaxReceiveDatagramSize => MaxUdpPayloadSize;

    /// <summary>Whether received datagrams carry their ECN codepoint and sends apply theirs (Linux, batched receive).</summary>
    public bool SupportsEcn => _ecn;

    /// <summary>Datagrams one offloaded send may carry; 1 without segmentation offload.</summary>
    public int MaxSendSegments => _segmentationOffload ? MaxSegments : 1;

    /// <summary>Datagrams one received message may carry: 64 with UDP GRO, else 1.</summary>
    public int MaxReceiveSegments => ReceiveOffload ? MaxSegments : 1;

    /// <summary>Whether receives use <c>recvmmsg</c> (Linux) rather than one socket call per datagram.</summary>
    public bool BatchedReceive => _receiver is not null;

    /// <summary>Whether the kernel may coalesce received datagrams (UDP_GRO accepted).</summary>
    public bool ReceiveOffload => _receiver is { ReceiveOffload: true };

    /// <summary><c>recvmmsg</c> calls made (0 on the portable path).</summary>
    public long ReceiveCalls => _receiver?.Calls ?? 0;

    /// <summary>Received messages that carried more than one datagram (UDP GRO).</summary>
    public long CoalescedReceives => _receiver?.CoalescedMessages ?? 0;

    /// <summary>Received datagrams dropped because they were larger than the receive slots (batched receive).</summary>
    public long TruncatedDatagrams => _receiver?.TruncatedDatagrams ?? 0;

    /// <summary>Datagrams the kernel refused to send (e.g. no route); UDP semantics make these drops, not failures.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary><c>sendto</c> calls made (fewer than datagrams sent when segmentation offload groups them).</summary>
    public long SendCalls => Interlocked.Read(ref _sendCalls);

    /// <summary>Whether runs of equal-sized datagrams are sent with one call (UDP_SEGMENT).</summary>
    public bool SegmentationOffload => _segmentationOffload;

    /// <summary>The receive buffer size the kernel granted (Linux reports twice the requested size: it counts overhead).</summary>
    public int ReceiveBufferSize => _socket.ReceiveBufferSize;

    /// <summary>The send buffer size the kernel granted.</summary>
    public int SendBufferSize => _socket.SendBufferSize;

    /// <summary>Linux with batched receive: a dedicated thread may block in <see cref="ReceiveBatch"/>.</summary>
    public bool SupportsBlockingReceive => _receiver is not null;

    /// <inheritdoc/>
    public int ReceiveBatch(DatagramBatch batch, int timeoutMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_receiver is not { } receiver) throw new NotSupportedException("Blocking receive needs the Linux batched receive path.");
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        int count = receiver.Receive(batch);
        if (count > 0 || !receiver.WaitReadable(timeoutMilliseconds)) return count;
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return receiver.Receive(batch);
    }

    public ValueTask<int> ReceiveBatchAsync(DatagramBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_receiver is not { } receiver) return ReceivePortableAsync(batch, cancellationToken);

        // What the kernel already holds is taken without waiting (and without an asynchronous hop).
        cancellationToken.ThrowIfCancellationRequested();
        int count = receiver.Receive(batch);
        return count > 0 ? ValueTask.FromResult(count) : ReceiveBatchedAsync(receiver, batch, cancellationToken);
    }

    private async ValueTask<int> ReceiveBatchedAsync(RecvMMsgReceiver receiver, DatagramBatch batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            await WaitReadableAsync(cancellationToken).ConfigureAwait(false);
            int count = receiver.Receive(batch);
            if (count > 0) return count;
        }
    }

    /// <summary>Completes once a datagram is queued: a zero-byte peek, which consumes nothing.</summary>
    private async ValueTask WaitReadableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e) when (IsTransient(e.SocketErrorCode))
        {
            // Readable after all (a truncation report), or an ICMP error: the next recvmmsg tells.
        }
    }

    private async ValueTask<int> ReceivePortableAsync(DatagramBatch batch, CancellationToken cancellationToken)
    {
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
            batch.SetEcn(0, EcnCodepoint.NotEct);
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
                batch.SetEcn(i, EcnCodepoint.NotEct);
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
        int i = 0;
        while (i < count)
        {
            int end = _segmentationOffload ? RunEnd(batch, i, count) : i + 1;
            if (end - i >= 2) SendSegmented(batch, i, end);
            else SendOne(batch, i);
            i = end;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The end of the run starting at <paramref name="start"/>: following datagrams to the same destination with the
    /// same length, the last of the run possibly shorter (what UDP_SEGMENT can carry in one send).
    /// </summary>
    private static int RunEnd(DatagramBatch batch, int start, int count)
    {
        int size = batch.GetLength(start);
        if (size == 0) return start + 1;
        int limit = Math.Min(count, start + Math.Min(MaxSegments, MaxSegmentedBytes / size));
        SocketAddress destination = batch.GetAddress(start);
        EcnCodepoint ecn = batch.GetEcn(start);
        int end = start + 1;
        while (end < limit)
        {
            int length = batch.GetLength(end);
            if (length > size || length == 0 || batch.GetEcn(end) != ecn || !batch.GetAddress(end).Equals(destination)) break;
            end++;
            if (length < size) break;
        }

        return end;
    }

    private void SendOne(DatagramBatch batch, int index)
    {
        ReadOnlySpan<byte> payload = batch.GetPayloadSpan(index);

        // A socket-wide segment size smaller than this datagram would cut it up.
        if (_segmentSize != 0 && payload.Length > _segmentSize && !SetSegmentSize(0)) return;
        SetSendEcn(batch.GetEcn(index));
        try
        {
            Interlocked.Increment(ref _sendCalls);
            _socket.SendTo(payload, SocketFlags.None, batch.GetAddress(index));
        }
        catch (SocketException e) when (e.SocketErrorCode != SocketError.OperationAborted && e.SocketErrorCode != SocketError.Shutdown)
        {
            // UDP: a refused or unroutable datagram is a drop, which QUIC's loss recovery handles.
            Interlocked.Increment(ref _sendErrors);
        }
    }

    private void SendSegmented(DatagramBatch batch, int start, int end)
    {
        int size = batch.GetLength(start);
        if (_segmentSize != size && !SetSegmentSize(size))
        {
            for (int i = start; i < end; i++) SendOne(batch, i);
            return;
        }

        SetSendEcn(batch.GetEcn(start));
        Span<byte> buffer = _segmentBuffer;
        int total = 0;
        for (int i = start; i < end; i++)
        {
            batch.GetPayloadSpan(i).CopyTo(buffer[total..]);
            total += batch.GetLength(i);
        }

        try
        {
            Interlocked.Increment(ref _sendCalls);
            _socket.SendTo(buffer[..total], SocketFlags.None, batch.GetAddress(start));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.InvalidArgument or SocketError.OperationNotSupported or SocketError.ProtocolOption or SocketError.MessageSize)
        {
            // The route cannot segment (no checksum offload, say): stop trying and send these one by one.
            _segmentationOffload = false;
            SetSegmentSize(0);
            for (int i = start; i < end; i++) SendOne(batch, i);
        }
        catch (SocketException e) when (e.SocketErrorCode != SocketError.OperationAborted && e.SocketErrorCode != SocketError.Shutdown)
        {
            Interlocked.Add(ref _sendErrors, end - start);
        }
    }

    /// <summary>Sets the socket's UDP_SEGMENT; on failure turns offload off. False when the size could not be set.</summary>
    private bool SetSegmentSize(int size)
    {
        if (TrySetSegmentSize(_socket, size))
        {
            _segmentSize = size;
            return true;
        }

        _segmentationOffload = false;
        return false;
    }

    private static bool TrySetSegmentSize(Socket socket, int size) =>
        OperatingSystem.IsLinux() && TrySetRawInt(socket, SolUdp, UdpSegment, size);

    /// <summary>
    /// Applies the ECN codepoint of the next send socket-wide (IP_TOS; IPV6_TCLASS as well on an IPv6 socket, whose
    /// IPv4-mapped destinations use IP_TOS), only when it changes. A refusal turns ECN off for the path.
    /// </summary>
    private void SetSendEcn(EcnCodepoint ecn)
    {
        if (!_ecn || ecn == _sendEcn) return;
        bool set = TrySetRawInt(_socket, LinuxSocketNative.IpProtoIp, LinuxSocketNative.IpTos, (int)ecn);
        if (_socket.AddressFamily == AddressFamily.InterNetworkV6)
        {
            set = TrySetRawInt(_socket, LinuxSocketNative.IpProtoIpv6, LinuxSocketNative.Ipv6TClass, (int)ecn) && (set || !_socket.DualMode);
        }

        if (set)
        {
            _sendEcn = ecn;
        }
        else
        {
            _ecn = false;
            TrySetRawInt(_socket, LinuxSocketNative.IpProtoIp, LinuxSocketNative.IpTos, 0);
            if (_socket.AddressFamily == AddressFamily.InterNetworkV6) TrySetRawInt(_socket, LinuxSocketNative.IpProtoIpv6, LinuxSocketNative.Ipv6TClass, 0);
        }
    }

    /// <summary>Asks for the TOS / Traffic Class of received datagrams as control messages (Linux).</summary>
    private static bool TryEnableEcnReports(Socket socket)
    {
        if (socket.AddressFamily == AddressFamily.InterNetwork)
        {
            return TrySetRawInt(socket, LinuxSocketNative.IpProtoIp, LinuxSocketNative.IpRecvTos, 1);
        }

        bool v6 = TrySetRawInt(socket, LinuxSocketNative.IpProtoIpv6, LinuxSocketNative.Ipv6RecvTClass, 1);
        // A dual-mode socket receives IPv4 datagrams too; their TOS comes with IP_RECVTOS.
        bool v4 = !socket.DualMode || TrySetRawInt(socket, LinuxSocketNative.IpProtoIp, LinuxSocketNative.IpRecvTos, 1);
        return v6 && v4;
    }

    private static bool TrySetRawInt(Socket socket, int level, int name, int value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BitConverter.TryWriteBytes(bytes, value);
        try
        {
            socket.SetRawSocketOption(level, name, bytes);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            if (_receiver is not null)
            {
                // Wakes a receiver blocked in poll (Linux wakes the pollers of an unconnected UDP socket on shutdown,
                // then reports ENOTCONN).
                try
                {
                    _socket.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                }
            }

            _socket.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static bool IsTransient(SocketError error) =>
        error is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize
            or SocketError.WouldBlock or SocketError.NetworkUnreachable or SocketError.HostUnreachable;

    /// <summary>Sets a buffer size: on Linux the FORCE variant first (ignores the sysctl cap; needs CAP_NET_ADMIN).</summary>
    private static void TrySetBuffer(Socket socket, SocketOptionName option, int forceOption, int size)
    {
        if (LinuxSocketNative.IsSupportedPlatform && TrySetRawInt(socket, LinuxSocketNative.SolSocket, forceOption, size)) return;
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
