using System.Net;
using System.Net.Sockets;
using AwgProxy.Quic;

namespace AwgProxy.Quic.Transport.Paths;

/// <summary>
/// A reusable set of datagram slots for batched send and receive. Each slot owns a fixed buffer
/// (allocated once, pinned: the Linux receive path hands its address to the kernel), a payload window inside it (offset and length, so a decorator can strip or reserve a
/// prefix without copying), a reusable remote <see cref="SocketAddress"/> and an ECN codepoint.
/// Nothing here allocates after construction.
/// </summary>
public sealed class DatagramBatch
{
    private readonly byte[][] _buffers;
    private readonly int[] _offsets;
    private readonly int[] _lengths;
    private readonly SocketAddress[] _addresses;
    private readonly EcnCodepoint[] _ecn;
    private readonly DatagramFlags[] _flags;

    /// <param name="capacity">Number of slots.</param>
    /// <param name="bufferSize">Bytes per slot: the largest datagram plus any headroom a decorator needs.</param>
    /// <param name="addressFamily">Family of the remote addresses (InterNetworkV6 holds dual-stack addresses).</param>
    public DatagramBatch(int capacity, int bufferSize, AddressFamily addressFamily = AddressFamily.InterNetworkV6)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        Capacity = capacity;
        BufferSize = bufferSize;
        _buffers = new byte[capacity][];
        _offsets = new int[capacity];
        _lengths = new int[capacity];
        _addresses = new SocketAddress[capacity];
        _ecn = new EcnCodepoint[capacity];
        _flags = new DatagramFlags[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _buffers[i] = GC.AllocateUninitializedArray<byte>(bufferSize, pinned: true);
            _addresses[i] = new SocketAddress(addressFamily);
        }
    }

    public int Capacity { get; }

    public int BufferSize { get; }

    /// <summary>The whole buffer of slot <paramref name="index"/>.</summary>
    public Memory<byte> GetBuffer(int index) => _buffers[index];

    /// <summary>The whole buffer of slot <paramref name="index"/> as an array segment's array.</summary>
    public byte[] GetArray(int index) => _buffers[index];

    /// <summary>The datagram held by slot <paramref name="index"/>.</summary>
    public Memory<byte> GetPayload(int index) => _buffers[index].AsMemory(_offsets[index], _lengths[index]);

    /// <summary>The datagram held by slot <paramref name="index"/>.</summary>
    public Span<byte> GetPayloadSpan(int index) => _buffers[index].AsSpan(_offsets[index], _lengths[index]);

    public int GetOffset(int index) => _offsets[index];

    public int GetLength(int index) => _lengths[index];

    /// <summary>Sets the payload window of slot <paramref name="index"/>.</summary>
    public void SetPayload(int index, int offset, int length)
    {
        if ((uint)offset > (uint)BufferSize || (uint)length > (uint)(BufferSize - offset))
        {
            throw new ArgumentOutOfRangeException(nameof(length), "Payload window outside the slot buffer.");
        }

        _offsets[index] = offset;
        _lengths[index] = length;
    }

    /// <summary>The remote address of slot <paramref name="index"/>: the source on receive, the destination on send.</summary>
    public SocketAddress GetAddress(int index) => _addresses[index];

    /// <summary>Copies <paramref name="address"/> into slot <paramref name="index"/> (no allocation when the sizes fit).</summary>
    public void SetAddress(int index, SocketAddress address)
    {
        SocketAddress target = _addresses[index];
        if (target.Family != address.Family || target.Buffer.Length < address.Size)
        {
            _addresses[index] = target = new SocketAddress(address.Family, address.Size);
        }

        address.Buffer.Span[..address.Size].CopyTo(target.Buffer.Span);
        target.Size = address.Size;
    }

    /// <summary>Sets the destination of slot <paramref name="index"/> from an <see cref="IPEndPoint"/>.</summary>
    public void SetAddress(int index, IPEndPoint endPoint) => SetAddress(index, endPoint.Serialize());

    public EcnCodepoint GetEcn(int index) => _ecn[index];

    public void SetEcn(int index, EcnCodepoint ecn) => _ecn[index] = ecn;

    /// <summary>What the sender knows about the datagram in slot <paramref name="index"/> (see <see cref="DatagramFlags"/>).</summary>
    public DatagramFlags GetFlags(int index) => _flags[index];

    public void SetFlags(int index, DatagramFlags flags) => _flags[index] = flags;

    /// <summary>Exchanges the contents (buffer, window, address, ECN, flags) of two slots without copying bytes.</summary>
    public void Swap(int i, int j)
    {
        if (i == j) return;
        (_buffers[i], _buffers[j]) = (_buffers[j], _buffers[i]);
        (_offsets[i], _offsets[j]) = (_offsets[j], _offsets[i]);
        (_lengths[i], _lengths[j]) = (_lengths[j], _lengths[i]);
        (_addresses[i], _addresses[j]) = (_addresses[j], _addresses[i]);
        (_ecn[i], _ecn[j]) = (_ecn[j], _ecn[i]);
        (_flags[i], _flags[j]) = (_flags[j], _flags[i]);
    }
}

/// <summary>Facts about an outgoing datagram that a path decorator may act on.</summary>
[Flags]
public enum DatagramFlags
{
    None = 0,

    /// <summary>
    /// The datagram carries the client's ClientHello (a CRYPTO frame at offset 0 in an Initial packet): its
    /// first transmission, every retransmission, and the new one after a Retry. The AWG envelope sends its
    /// I-packets and junk right before such a datagram.
    /// </summary>
    ClientHello = 1,
}
