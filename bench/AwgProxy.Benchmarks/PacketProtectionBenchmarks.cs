using System.Buffers.Binary;
using AwgProxy.Quic.Crypto;
using BenchmarkDotNet.Attributes;

namespace AwgProxy.Benchmarks;

/// <summary>
/// RFC 9001 packet protection of one 1-RTT packet (8-byte connection ID, 2-byte packet number) in place:
/// <see cref="Protect"/> is the AEAD seal plus header protection, <see cref="Unprotect"/> removes header protection
/// and opens the payload (including a copy of the protected packet into the work buffer, as a receive would have),
/// <see cref="Seal"/> and <see cref="HeaderProtectionMask"/> are the two halves of protecting.
/// <para>
/// <see cref="Aead"/> is the suite and the library behind its AEAD: the default backends of <see cref="PacketKey"/>
/// (libsodium through NSec for AES-256-GCM on AES hardware and for ChaCha20-Poly1305, the platform's AesGcm for
/// AES-128-GCM) next to the platform's AesGcm / ChaCha20Poly1305 for the same suites, which the core used before,
/// so one run compares them.
/// </para>
/// </summary>
[MemoryDiagnoser]
public class PacketProtectionBenchmarks
{
    private const int PnOffset = 1 + 8;
    private const int PnLength = 2;

    private byte[] _secret = [];
    private byte[] _packet = [];
    private byte[] _protected = [];
    private byte[] _mask = new byte[HeaderProtectionKey.MaskLength];
    private PacketKey _key = null!;
    private HeaderProtectionKey _headerProtection = null!;
    private ulong _packetNumber = 1000;

    /// <summary>A suite and the library that runs its AEAD.</summary>
    public enum AeadChoice
    {
        /// <summary>TLS_AES_128_GCM_SHA256, platform AesGcm (the only backend for it).</summary>
        Aes128Platform,

        /// <summary>TLS_AES_256_GCM_SHA384, platform AesGcm.</summary>
        Aes256Platform,

        /// <summary>TLS_AES_256_GCM_SHA384, libsodium (the default on AES hardware).</summary>
        Aes256Sodium,

        /// <summary>TLS_CHACHA20_POLY1305_SHA256, platform ChaCha20Poly1305.</summary>
        ChaCha20Platform,

        /// <summary>TLS_CHACHA20_POLY1305_SHA256, libsodium (the default).</summary>
        ChaCha20Sodium,
    }

    [Params(AeadChoice.Aes128Platform, AeadChoice.Aes256Platform, AeadChoice.Aes256Sodium, AeadChoice.ChaCha20Platform, AeadChoice.ChaCha20Sodium)]
    public AeadChoice Aead { get; set; }

    /// <summary>Bytes of the whole packet: an ACK-only packet, and a full-sized one.</summary>
    [Params(48, 1350)]
    public int PacketLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (CipherSuite suite, AeadBackend backend) = Aead switch
        {
            AeadChoice.Aes128Platform => (CipherSuite.TLS_AES_128_GCM_SHA256, AeadBackend.PlatformAesGcm),
            AeadChoice.Aes256Platform => (CipherSuite.TLS_AES_256_GCM_SHA384, AeadBackend.PlatformAesGcm),
            AeadChoice.Aes256Sodium => (CipherSuite.TLS_AES_256_GCM_SHA384, AeadBackend.SodiumAes256Gcm),
            AeadChoice.ChaCha20Platform => (CipherSuite.TLS_CHACHA20_POLY1305_SHA256, AeadBackend.PlatformChaCha20Poly1305),
            _ => (CipherSuite.TLS_CHACHA20_POLY1305_SHA256, AeadBackend.SodiumChaCha20Poly1305),
        };
        _secret = Enumerable.Range(0, suite.HashLength()).Select(i => (byte)(i * 7)).ToArray();
        // No AEAD limit: a fast run seals more packets than one key may (2^23 for AES-GCM), which a connection handles with key updates.
        _key = new PacketKey(suite, _secret, long.MaxValue, backend);
        _headerProtection = new HeaderProtectionKey(suite, _secret);
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
        _key.Seal(pn, packet[..(PnOffset + PnLength)], packet[(PnOffset + PnLength)..]);
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
