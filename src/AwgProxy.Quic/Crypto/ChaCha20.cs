using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AwgProxy.Quic.Crypto;

/// <summary>
/// RFC 8439 section 2.3, the ChaCha20 block function, for ChaCha20 header protection (RFC 9001 section 5.4.4).
/// No library here exposes raw ChaCha20, so this is the one primitive written in this project.
/// <code>
/// cccccccc  cccccccc  cccccccc  cccccccc      c = constant "expand 32-byte k"
/// kkkkkkkk  kkkkkkkk  kkkkkkkk  kkkkkkkk      k = key (8 little-endian words)
/// kkkkkkkk  kkkkkkkk  kkkkkkkk  kkkkkkkk      b = block count
/// bbbbbbbb  nnnnnnnn  nnnnnnnn  nnnnnnnn      n = nonce (3 little-endian words)
/// </code>
/// 20 rounds (10 column rounds alternating with 10 diagonal rounds), then the input state is added to the
/// result and the 16 words are serialized little-endian. Allocation-free and free of data-dependent branches.
/// Where 128-bit vectors are hardware-accelerated (SSE2, NEON) on a little-endian machine, each row of the state is
/// one vector: a quarter round acts on the four columns at once and the diagonal rounds rotate rows b, c and d into
/// columns and back; only the rows the caller asks for are serialized (header protection needs 5 bytes, one row).
/// </summary>
internal static class ChaCha20
{
    public const int KeyLength = 32;
    public const int NonceLength = 12;
    public const int BlockLength = 64;

    private const uint Constant0 = 0x61707865; // "expa"
    private const uint Constant1 = 0x3320646e; // "nd 3"
    private const uint Constant2 = 0x79622d32; // "2-by"
    private const uint Constant3 = 0x6b206574; // "te k"

    /// <summary>
    /// Writes the first <c>keystream.Length</c> bytes (1 to 64) of the block for
    /// (<paramref name="key"/>, <paramref name="counter"/>, <paramref name="nonce"/>).
    /// </summary>
    public static void Block(ReadOnlySpan<byte> key, uint counter, ReadOnlySpan<byte> nonce, Span<byte> keystream)
    {
        if (key.Length != KeyLength)
            throw new ArgumentException("ChaCha20 keys are 32 bytes.", nameof(key));
        if (nonce.Length != NonceLength)
            throw new ArgumentException("ChaCha20 nonces are 12 bytes.", nameof(nonce));
        if (keystream.Length is < 1 or > BlockLength)
            throw new ArgumentException("A ChaCha20 block is 1 to 64 bytes of output.", nameof(keystream));

        if (IsVectorized) BlockVectorized(key, counter, nonce, keystream);
        else BlockScalar(key, counter, nonce, keystream);
    }

    /// <summary>Whether <see cref="Block"/> uses the vector implementation on this machine.</summary>
    internal static bool IsVectorized => Vector128.IsHardwareAccelerated && BitConverter.IsLittleEndian;

    /// <summary>The block with one 32-bit local per state word (any machine). Arguments are checked by <see cref="Block"/>.</summary>
    internal static void BlockScalar(ReadOnlySpan<byte> key, uint counter, ReadOnlySpan<byte> nonce, Span<byte> keystream)
    {
        uint k0 = BinaryPrimitives.ReadUInt32LittleEndian(key);
        uint k1 = BinaryPrimitives.ReadUInt32LittleEndian(key[4..]);
        uint k2 = BinaryPrimitives.ReadUInt32LittleEndian(key[8..]);
        uint k3 = BinaryPrimitives.ReadUInt32LittleEndian(key[12..]);
        uint k4 = BinaryPrimitives.ReadUInt32LittleEndian(key[16..]);
        uint k5 = BinaryPrimitives.ReadUInt32LittleEndian(key[20..]);
        uint k6 = BinaryPrimitives.ReadUInt32LittleEndian(key[24..]);
        uint k7 = BinaryPrimitives.ReadUInt32LittleEndian(key[28..]);
        uint n0 = BinaryPrimitives.ReadUInt32LittleEndian(nonce);
        uint n1 = BinaryPrimitives.ReadUInt32LittleEndian(nonce[4..]);
        uint n2 = BinaryPrimitives.ReadUInt32LittleEndian(nonce[8..]);

        uint x0 = Constant0, x1 = Constant1, x2 = Constant2, x3 = Constant3;
        uint x4 = k0, x5 = k1, x6 = k2, x7 = k3;
        uint x8 = k4, x9 = k5, x10 = k6, x11 = k7;
        uint x12 = counter, x13 = n0, x14 = n1, x15 = n2;

        for (int i = 0; i < 10; i++)
        {
            // Column round.
            QuarterRound(ref x0, ref x4, ref x8, ref x12);
            QuarterRound(ref x1, ref x5, ref x9, ref x13);
            QuarterRound(ref x2, ref x6, ref x10, ref x14);
            QuarterRound(ref x3, ref x7, ref x11, ref x15);
            // Diagonal round.
            QuarterRound(ref x0, ref x5, ref x10, ref x15);
            QuarterRound(ref x1, ref x6, ref x11, ref x12);
            QuarterRound(ref x2, ref x7, ref x8, ref x13);
            QuarterRound(ref x3, ref x4, ref x9, ref x14);
        }

        Span<byte> block = keystream.Length == BlockLength ? keystream : stackalloc byte[BlockLength];
        BinaryPrimitives.WriteUInt32LittleEndian(block, x0 + Constant0);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], x1 + Constant1);
        BinaryPrimitives.WriteUInt32LittleEndian(block[8..], x2 + Constant2);
        BinaryPrimitives.WriteUInt32LittleEndian(block[12..], x3 + Constant3);
        BinaryPrimitives.WriteUInt32LittleEndian(block[16..], x4 + k0);
        BinaryPrimitives.WriteUInt32LittleEndian(block[20..], x5 + k1);
        BinaryPrimitives.WriteUInt32LittleEndian(block[24..], x6 + k2);
        BinaryPrimitives.WriteUInt32LittleEndian(block[28..], x7 + k3);
        BinaryPrimitives.WriteUInt32LittleEndian(block[32..], x8 + k4);
        BinaryPrimitives.WriteUInt32LittleEndian(block[36..], x9 + k5);
        BinaryPrimitives.WriteUInt32LittleEndian(block[40..], x10 + k6);
        BinaryPrimitives.WriteUInt32LittleEndian(block[44..], x11 + k7);
        BinaryPrimitives.WriteUInt32LittleEndian(block[48..], x12 + counter);
        BinaryPrimitives.WriteUInt32LittleEndian(block[52..], x13 + n0);
        BinaryPrimitives.WriteUInt32LittleEndian(block[56..], x14 + n1);
        BinaryPrimitives.WriteUInt32LittleEndian(block[60..], x15 + n2);
        if (keystream.Length != BlockLength)
            block[..keystream.Length].CopyTo(keystream);
    }

    /// <summary>The block with one <see cref="Vector128{T}"/> per state row (little-endian machines). Arguments are checked by <see cref="Block"/>.</summary>
    internal static void BlockVectorized(ReadOnlySpan<byte> key, uint counter, ReadOnlySpan<byte> nonce, Span<byte> keystream)
    {
        ReadOnlySpan<uint> keyWords = MemoryMarshal.Cast<byte, uint>(key);
        ReadOnlySpan<uint> nonceWords = MemoryMarshal.Cast<byte, uint>(nonce);
        Vector128<uint> a0 = Vector128.Create(Constant0, Constant1, Constant2, Constant3);
        Vector128<uint> b0 = Vector128.Create(keyWords[..4]);
        Vector128<uint> c0 = Vector128.Create(keyWords[4..8]);
        Vector128<uint> d0 = Vector128.Create(counter, nonceWords[0], nonceWords[1], nonceWords[2]);
        Vector128<uint> a = a0, b = b0, c = c0, d = d0;

        for (int i = 0; i < 10; i++)
        {
            // Column round: the quarter round on the four columns at once.
            QuarterRound(ref a, ref b, ref c, ref d);

            // Diagonal round: rotate rows b, c, d left by 1, 2, 3 words so the diagonals become columns, and back.
            b = Vector128.Shuffle(b, Vector128.Create(1u, 2, 3, 0));
            c = Vector128.Shuffle(c, Vector128.Create(2u, 3, 0, 1));
            d = Vector128.Shuffle(d, Vector128.Create(3u, 0, 1, 2));
            QuarterRound(ref a, ref b, ref c, ref d);
            b = Vector128.Shuffle(b, Vector128.Create(3u, 0, 1, 2));
            c = Vector128.Shuffle(c, Vector128.Create(2u, 3, 0, 1));
            d = Vector128.Shuffle(d, Vector128.Create(1u, 2, 3, 0));
        }

        Span<byte> block = stackalloc byte[BlockLength];
        int rows = (keystream.Length + 15) / 16;
        (a + a0).AsByte().CopyTo(block);
        if (rows > 1) (b + b0).AsByte().CopyTo(block[16..]);
        if (rows > 2) (c + c0).AsByte().CopyTo(block[32..]);
        if (rows > 3) (d + d0).AsByte().CopyTo(block[48..]);
        block[..keystream.Length].CopyTo(keystream);
    }

    /// <summary>RFC 8439 section 2.1, the quarter round on four columns of the state at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuarterRound(ref Vector128<uint> a, ref Vector128<uint> b, ref Vector128<uint> c, ref Vector128<uint> d)
    {
        a += b; d ^= a; d = RotateLeft(d, 16);
        c += d; b ^= c; b = RotateLeft(b, 12);
        a += b; d ^= a; d = RotateLeft(d, 8);
        c += d; b ^= c; b = RotateLeft(b, 7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> RotateLeft(Vector128<uint> value, [ConstantExpected(Min = 1, Max = 31)] int count) =>
        Vector128.ShiftLeft(value, count) | Vector128.ShiftRightLogical(value, 32 - count);

    /// <summary>RFC 8439 section 2.1, the quarter round on four state words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuarterRound(ref uint a, ref uint b, ref uint c, ref uint d)
    {
        a += b; d ^= a; d = BitOperations.RotateLeft(d, 16);
        c += d; b ^= c; b = BitOperations.RotateLeft(b, 12);
        a += b; d ^= a; d = BitOperations.RotateLeft(d, 8);
        c += d; b ^= c; b = BitOperations.RotateLeft(b, 7);
    }
}
