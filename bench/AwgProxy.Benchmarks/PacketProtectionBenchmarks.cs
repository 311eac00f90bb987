using System.Buffers.Binary;
using AwgProxy.Quic.Crypto;
using BenchmarkDotNet.Attributes;

namespace AwgProxy.Benchmarks;

/// <summary>
/// RFC 9001 packet protection of one 1-RTT packet (8-byte connection ID, 2-byte packet number) in place:
/// <see cref="Protect"/> is the AEAD seal plus header protection, <see cref="Unprotect"/> removes header protection
/// and opens the payload (including a copy of the protected packet into the work buffer, as a receive would have),
/// <see cref="Seal"/> and <see cref="HeaderProtectionMask"/> are the two halves of protecting.
/// </summary>
[MemoryDiagnoser]
public class PacketProtectionBenchmarks
{
    private const int PnOffset = 1 + 8;
    private const int PnLength = 2;

    private readonly byte[] _secret = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
    private byte[] _packet = [];
    private byte[] _protected = [];
    private byte[] _mask = new byte[HeaderProtectionKey.MaskLength];
    private PacketKey _key = null!;
    private HeaderProtectionKey _headerProtection = null!;
    private ulong _packetNumber = 1000;

    [Params(CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_CHACHA20_POLY1305_SHA256)]
    public CipherSuite Suite { get; set; }

    /// <summary>Bytes of the whole packet: an ACK-only packet, and a full-sized one.</summary>
    [Params(48, 1350)]
    public int PacketLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // No AEAD limit: a fast run seals more packets than one key may (2^23 for AES-GCM), which a connection handles with key updates.
        _key = new PacketKey(Suite, _secret, confidentialityLimit: long.MaxValue);
        _headerProtection = new HeaderProtectionKey(Suite, _secret);
        _packet = new byte[PacketLength];
        _protected = new byte[PacketLength];
        _mask = new byte[HeaderProtectionKey.MaskLength];
        WriteHeader(_packet, _packetNumber);
        PacketProtection.Protect(_packet, PnOffset, PnLength, _packetNumber, _key, _headerProtection);
        _packet.CopyTo(_protected, 0);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _key.Dispose();
        _headerProtection.Dispose();
    }

    [Benchmark]
    public void Protect()
    {
        ulong pn = ++_packetNumber;
        WriteHeader(_packet, pn);
        PacketProtection.Protect(_packet, PnOffset, PnLength, pn, _key, _headerProtection);
    }

    [Benchmark]
    public void Seal()
    {
        ulong pn = ++_packetNumber;
        Span<byte> packet = _packet;
        _key.Encrypt(pn, packet[..(PnOffset + PnLength)], packet[(PnOffset + PnLength)..^PacketKey.TagLength], packet[^PacketKey.TagLength..]);
    }

    [Benchmark]
    public void HeaderProtectionMask() => _headerProtection.ComputeMask(_packet.AsSpan(PnOffset + HeaderProtection.SampleOffset, HeaderProtectionKey.SampleLength), _mask);

    [Benchmark]
    public bool Unprotect()
    {
        Span<byte> packet = _packet;
        _protected.CopyTo(packet);
        if (!PacketProtection.TryRemoveHeaderProtection(packet, PnOffset, _headerProtection, out uint truncated, out int pnLength)) return false;
        ulong pn = Quic.Packets.PacketNumber.Decode(1000, truncated, pnLength);
        return PacketProtection.TryDecryptPayload(packet, PnOffset, pnLength, pn, _key, out _);
    }

    private static void WriteHeader(Span<byte> packet, ulong packetNumber)
    {
        packet[0] = 0x40 | (PnLength - 1);
        packet.Slice(1, 8).Fill(0xcd);
        BinaryPrimitives.WriteUInt16BigEndian(packet[PnOffset..], (ushort)packetNumber);
    }
}
