using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using AwgProxy.Quic;

namespace AwgProxy.Quic.Transport.Paths;

/// <summary>
/// The Linux receive path of <see cref="UdpDatagramPath"/>: non-blocking <c>recvmmsg</c> calls that take many
/// datagrams, with their source addresses and ancillary data, per system call, instead of one <c>recvmsg</c> plus
/// one <c>FIONREAD</c> per datagram.
/// <list type="bullet">
/// <item>Without receive offload the kernel writes each datagram straight into a batch slot.</item>
/// <item>With UDP GRO (<c>UDP_GRO</c> set on the socket) one message may carry a run of datagrams from one source
/// coalesced by the kernel, all of the size given by its <c>UDP_GRO</c> control message except a possibly shorter
/// last one. Messages land in 64 KiB staging buffers and are cut back into datagrams, one per slot; segments that do
/// not fit in the batch wait for the next call.</item>
/// <item>With ECN reporting (<c>IP_RECVTOS</c>/<c>IPV6_RECVTCLASS</c>) each message's TOS or Traffic Class
/// control message gives the ECN codepoint of its datagrams.</item>
/// </list>
/// A truncated message (a datagram larger than its buffer) is dropped and counted. Nothing allocates per call:
/// headers, I/O vectors, address and control buffers are pinned arrays allocated once.
/// Not thread-safe: one receiver loop uses it.
/// </summary>
internal sealed class RecvMMsgReceiver
{
    /// <summary>Bytes of a staging buffer: the largest coalesced message (64 segments, at most 65,535 bytes).</summary>
    public const int CoalescedBufferSize = 65536;

    /// <summary>Room for a <c>struct sockaddr_storage</c>.</summary>
    private const int NameSize = 128;

    /// <summary>Room for the control messages asked for: UDP_GRO (int), IP_TOS (byte) or IPV6_TCLASS (int), 24 bytes each.</summary>
    private const int ControlSize = 96;

    private readonly Socket _socket;
    private readonly int _messages;
    private readonly byte[] _headers;
    private readonly byte[] _iovecs;
    private readonly byte[] _names;
    private readonly byte[] _controls;
    private readonly IntPtr _headersAddress;
    private readonly IntPtr _iovecsAddress;
    private readonly IntPtr _namesAddress;
    private readonly IntPtr _controlsAddress;
    private readonly byte[][]? _staging;
    private readonly int[] _lengths;
    private readonly int[] _segmentSizes;
    private readonly EcnCodepoint[] _ecn;
    private readonly bool[] _truncated;
    private int _stagedCount;
    private int _stagedMessage;
    private int _stagedOffset;
    private long _calls;
    private long _truncatedDatagrams;
    private long _coalescedMessages;

    /// <param name="socket">A bound UDP socket.</param>
    /// <param name="receiveOffload">Whether <c>UDP_GRO</c> is set on the socket (messages may be coalesced).</param>
    /// <param name="messagesPerCall">Messages asked of each <c>recvmmsg</c>.</param>
    public RecvMMsgReceiver(Socket socket, bool receiveOffload, int messagesPerCall)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(messagesPerCall, 1);
        _socket = socket;
        _messages = messagesPerCall;
        ReceiveOffload = receiveOffload;
        _headers = GC.AllocateArray<byte>(messagesPerCall * LinuxSocketNative.MMsgHdrSize, pinned: true);
        _iovecs = GC.AllocateArray<byte>(messagesPerCall * LinuxSocketNative.IovecSize, pinned: true);
        _names = GC.AllocateArray<byte>(messagesPerCall * NameSize, pinned: true);
        _controls = GC.AllocateArray<byte>(messagesPerCall * ControlSize, pinned: true);
        _headersAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_headers, 0);
        _iovecsAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_iovecs, 0);
        _namesAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_names, 0);
        _controlsAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_controls, 0);
        _lengths = new int[messagesPerCall];
        _segmentSizes = new int[messagesPerCall];
        _ecn = new EcnCodepoint[messagesPerCall];
        _truncated = new bool[messagesPerCall];
        if (receiveOffload)
        {
            _staging = new byte[messagesPerCall][];
            for (int i = 0; i < messagesPerCall; i++) _staging[i] = GC.AllocateUninitializedArray<byte>(CoalescedBufferSize, pinned: true);
        }
    }

    /// <summary>Whether messages may be coalesced runs of datagrams (UDP GRO).</summary>
    public bool ReceiveOffload { get; }

    /// <summary><c>recvmmsg</c> calls made.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Datagrams dropped because they did not fit their buffer (or slot).</summary>
    public long TruncatedDatagrams => Interlocked.Read(ref _truncatedDatagrams);

    /// <summary>Messages that carried more than one datagram.</summary>
    public long CoalescedMessages => Interlocked.Read(ref _coalescedMessages);

    /// <summary>
    /// Fills slots of <paramref name="batch"/> from index 0 with what the kernel already holds, without waiting.
    /// Returns the number of filled slots; 0 when nothing is ready.
    /// </summary>
    /// <exception cref="IOException">The socket failed (not for would-block or ICMP-reported errors).</exception>
    public int Receive(DatagramBatch batch)
    {
        int filled = 0;
        bool drained = false;
        if (_staging is not null)
        {
            filled = DrainStaged(batch, 0);
            while (filled < batch.Capacity && !drained)
            {
                int received = ReceiveMessages(batch, 0, _messages, staging: true);
                if (received <= 0) break;
                drained = received < _messages;
                _stagedCount = received;
                _stagedMessage = 0;
                _stagedOffset = 0;
                filled = DrainStaged(batch, filled);
            }

            return filled;
        }

        while (filled < batch.Capacity && !drained)
        {
            int asked = Math.Min(_messages, batch.Capacity - filled);
            int received = ReceiveMessages(batch, filled, asked, staging: false);
            if (received <= 0) break;
            drained = received < asked;
            filled = KeepComplete(batch, filled, received);
        }

        return filled;
    }

    /// <summary>One <c>recvmmsg</c> into batch slots from <paramref name="firstSlot"/> or into the staging buffers; messages received, 0 for none.</summary>
    private int ReceiveMessages(DatagramBatch batch, int firstSlot, int count, bool staging)
    {
        Span<byte> headers = _headers;
        Span<byte> iovecs = _iovecs;
        for (int i = 0; i < count; i++)
        {
            byte[] buffer = staging ? _staging![i] : batch.GetArray(firstSlot + i);
            Span<byte> iovec = iovecs.Slice(i * LinuxSocketNative.IovecSize, LinuxSocketNative.IovecSize);
            MemoryMarshal.Write(iovec, Marshal.UnsafeAddrOfPinnedArrayElement(buffer, 0));
            MemoryMarshal.Write(iovec[8..], (long)buffer.Length);

            Span<byte> header = headers.Slice(i * LinuxSocketNative.MMsgHdrSize, LinuxSocketNative.MMsgHdrSize);
            header.Clear();
            MemoryMarshal.Write(header[LinuxSocketNative.MsgNameOffset..], _namesAddress + (i * NameSize));
            MemoryMarshal.Write(header[LinuxSocketNative.MsgNameLenOffset..], NameSize);
            MemoryMarshal.Write(header[LinuxSocketNative.MsgIovOffset..], _iovecsAddress + (i * LinuxSocketNative.IovecSize));
            MemoryMarshal.Write(header[LinuxSocketNative.MsgIovLenOffset..], 1L);
            MemoryMarshal.Write(header[LinuxSocketNative.MsgControlOffset..], _controlsAddress + (i * ControlSize));
            MemoryMarshal.Write(header[LinuxSocketNative.MsgControlLenOffset..], (long)ControlSize);
        }

        int received;
        int error;
        SafeHandle handle = _socket.SafeHandle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            do
            {
                Interlocked.Increment(ref _calls);
                received = LinuxSocketNative.RecvMMsg(handle.DangerousGetHandle(), _headersAddress, (uint)count, LinuxSocketNative.MsgDontWait, IntPtr.Zero);
                error = received < 0 ? Marshal.GetLastPInvokeError() : 0;
            }
            while (received < 0 && error == LinuxSocketNative.EIntr);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }

        if (received < 0)
        {
            // Would-block, and ICMP errors reported on the socket (refused, unreachable), do not end the path.
            if (error == LinuxSocketNative.EAgain || LinuxSocketNative.IsTransientReceiveError(error)) return 0;
            throw new IOException($"recvmmsg failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}).");
        }

        for (int i = 0; i < received; i++) ParseMessage(i);
        return received;
    }

    /// <summary>
    /// Blocks until the socket is readable (or reports an error or hang-up), or <paramref name="timeoutMilliseconds"/>
    /// pass: <c>poll</c> on the socket. True when it is worth calling <see cref="Receive"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The socket was closed.</exception>
    /// <exception cref="IOException">poll failed.</exception>
    public bool WaitReadable(int timeoutMilliseconds)
    {
        // Staged segments of a coalesced message are ready without asking the kernel.
        if (_stagedMessage < _stagedCount) return true;
        SafeHandle handle = _socket.SafeHandle;
        bool added = false;
        int ready;
        int error;
        try
        {
            handle.DangerousAddRef(ref added);
            var poll = new LinuxSocketNative.PollFd { Fd = (int)handle.DangerousGetHandle(), Events = LinuxSocketNative.PollIn };
            ready = LinuxSocketNative.Poll(ref poll, 1, timeoutMilliseconds);
            error = ready < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }

        if (ready >= 0) return ready > 0;
        if (error == LinuxSocketNative.EIntr) return true;
        throw new IOException($"poll failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}).");
    }

    /// <summary>Reads message <paramref name="index"/>'s length, flags and control messages.</summary>
    private void ParseMessage(int index)
    {
        ReadOnlySpan<byte> header = _headers.AsSpan(index * LinuxSocketNative.MMsgHdrSize, LinuxSocketNative.MMsgHdrSize);
        int flags = MemoryMarshal.Read<int>(header[LinuxSocketNative.MsgFlagsOffset..]);
        _lengths[index] = (int)MemoryMarshal.Read<uint>(header[LinuxSocketNative.MsgLenOffset..]);
        _truncated[index] = (flags & LinuxSocketNative.MsgTrunc) != 0;
        _segmentSizes[index] = 0;
        _ecn[index] = EcnCodepoint.NotEct;

        long controlLength = MemoryMarshal.Read<long>(header[LinuxSocketNative.MsgControlLenOffset..]);
        ReadOnlySpan<byte> control = _controls.AsSpan(index * ControlSize, (int)Math.Clamp(controlLength, 0, ControlSize));
        while (control.Length >= LinuxSocketNative.CmsgHeaderSize)
        {
            long length = MemoryMarshal.Read<long>(control);
            if (length < LinuxSocketNative.CmsgHeaderSize || length > control.Length) break;
            int level = MemoryMarshal.Read<int>(control[8..]);
            int type = MemoryMarshal.Read<int>(control[12..]);
            ReadOnlySpan<byte> data = control[LinuxSocketNative.CmsgHeaderSize..(int)length];
            if (level == LinuxSocketNative.SolUdp && type == LinuxSocketNative.UdpGro && data.Length >= sizeof(int))
                _segmentSizes[index] = MemoryMarshal.Read<int>(data);
            else if (level == LinuxSocketNative.IpProtoIp && type == LinuxSocketNative.IpTos && data.Length >= 1)
                _ecn[index] = (EcnCodepoint)(data[0] & 0x03);
            else if (level == LinuxSocketNative.IpProtoIpv6 && type == LinuxSocketNative.Ipv6TClass && data.Length >= sizeof(int))
                _ecn[index] = (EcnCodepoint)(MemoryMarshal.Read<int>(data) & 0x03);

            int advance = (int)((length + 7) & ~7L);
            if (advance >= control.Length) break;
            control = control[advance..];
        }
    }

    /// <summary>Completes the slots the kernel wrote directly; truncated or empty ones are dropped and the rest close ranks.</summary>
    private int KeepComplete(DatagramBatch batch, int firstSlot, int received)
    {
        int kept = firstSlot;
        for (int i = 0; i < received; i++)
        {
            int slot = firstSlot + i;
            if (_truncated[i] || _lengths[i] == 0 || !TryCopyAddress(i, batch.GetAddress(slot)))
            {
                if (_truncated[i]) Interlocked.Increment(ref _truncatedDatagrams);
                continue;
            }

            batch.Swap(kept, slot);
            batch.SetPayload(kept, 0, _lengths[i]);
            batch.SetEcn(kept, _ecn[i]);
            kept++;
        }

        return kept;
    }

    /// <summary>Cuts staged (possibly coalesced) messages into datagrams, one per slot from <paramref name="filled"/>, until the batch is full.</summary>
    private int DrainStaged(DatagramBatch batch, int filled)
    {
        while (filled < batch.Capacity && _stagedMessage < _stagedCount)
        {
            int message = _stagedMessage;
            int length = _lengths[message];
            int remaining = length - _stagedOffset;
            if (_truncated[message] || remaining <= 0)
            {
                if (_truncated[message]) Interlocked.Increment(ref _truncatedDatagrams);
                NextStaged();
                continue;
            }

            int segmentSize = _segmentSizes[message] > 0 ? _segmentSizes[message] : length;
            if (_stagedOffset == 0 && segmentSize < length) Interlocked.Increment(ref _coalescedMessages);
            int take = Math.Min(segmentSize, remaining);
            int offset = _stagedOffset;
            _stagedOffset += take;
            if (take > batch.BufferSize)
            {
                Interlocked.Increment(ref _truncatedDatagrams);
                continue;
            }

            if (!TryCopyAddress(message, batch.GetAddress(filled))) continue;
            _staging![message].AsSpan(offset, take).CopyTo(batch.GetArray(filled));
            batch.SetPayload(filled, 0, take);
            batch.SetEcn(filled, _ecn[message]);
            filled++;
        }

        return filled;
    }

    private void NextStaged()
    {
        _stagedMessage++;
        _stagedOffset = 0;
    }

    /// <summary>Copies message <paramref name="index"/>'s source address (native sockaddr, as <see cref="SocketAddress"/> holds it).</summary>
    private bool TryCopyAddress(int index, SocketAddress target)
    {
        ReadOnlySpan<byte> header = _headers.AsSpan(index * LinuxSocketNative.MMsgHdrSize, LinuxSocketNative.MMsgHdrSize);
        int nameLength = MemoryMarshal.Read<int>(header[LinuxSocketNative.MsgNameLenOffset..]);
        if (nameLength <= 0 || nameLength > NameSize || nameLength > target.Buffer.Length) return false;
        _names.AsSpan(index * NameSize, nameLength).CopyTo(target.Buffer.Span);
        target.Size = nameLength;
        return true;
    }
}
