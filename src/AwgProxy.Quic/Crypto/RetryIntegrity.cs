using System.Buffers;
using System.Security.Cryptography;

namespace AwgProxy.Quic.Crypto;

/// <summary>
/// RFC 9001 section 5.8, Retry Packet Integrity: the Retry Integrity Tag is AEAD_AES_128_GCM with a fixed key and
/// nonce, an empty plaintext, and the Retry Pseudo-Packet as associated data.
/// <code>
/// Retry Pseudo-Packet {
///   ODCID Length (8),
///   Original Destination Connection ID (0..160),
///   Header Form (1) = 1,
///   Fixed Bit (1) = 1,
///   Long Packet Type (2) = 3,
///   Unused (4),
///   Version (32),
///   DCID Len (8),
///   Destination Connection ID (0..160),
///   SCID Len (8),
///   Source Connection ID (0..160),
///   Retry Token (..),
/// }
/// </code>
/// That is the transmitted Retry packet without its 16-byte tag, prefixed by ODCID Length and ODCID.
/// Each thread keeps one AES-GCM instance, so computing or verifying a tag allocates nothing after the first use.
/// </summary>
public static class RetryIntegrity
{
    /// <summary>Length of the Retry Integrity Tag.</summary>
    public const int TagLength = 16;

    /// <summary>Pseudo-packets up to this size are assembled on the stack; larger ones in a pooled array.</summary>
    private const int StackPseudoPacketLimit = 512;

    [ThreadStatic]
    private static AesGcm? t_aead;

    /// <summary>The secret key K of QUIC version 1: 0xbe0c690b9f66575a1d766b54e368c84e.</summary>
    public static ReadOnlySpan<byte> KeyV1 =>
    [
        0xbe, 0x0c, 0x69, 0x0b, 0x9f, 0x66, 0x57, 0x5a,
        0x1d, 0x76, 0x6b, 0x54, 0xe3, 0x68, 0xc8, 0x4e,
    ];

    /// <summary>The nonce N of QUIC version 1: 0x461599d35d632bf2239825bb.</summary>
    public static ReadOnlySpan<byte> NonceV1 =>
    [
        0x46, 0x15, 0x99, 0xd3, 0x5d, 0x63, 0x2b, 0xf2, 0x23, 0x98, 0x25, 0xbb,
    ];

    /// <summary>Writes the tag of a Retry Pseudo-Packet into <paramref name="tag"/> (16 bytes).</summary>
    public static void ComputeTag(ReadOnlySpan<byte> pseudoPacket, Span<byte> tag)
    {
        if (tag.Length != TagLength)
            throw new ArgumentException($"The Retry Integrity Tag is {TagLength} bytes.", nameof(tag));
        Aead.Encrypt(NonceV1, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, tag, pseudoPacket);
    }

    /// <summary>Checks, in constant time, that <paramref name="tag"/> is the tag of <paramref name="pseudoPacket"/>.</summary>
    public static bool VerifyTag(ReadOnlySpan<byte> pseudoPacket, ReadOnlySpan<byte> tag)
    {
        if (tag.Length != TagLength)
            return false;
        Span<byte> expected = stackalloc byte[TagLength];
        ComputeTag(pseudoPacket, expected);
        return CryptographicOperations.FixedTimeEquals(expected, tag);
    }

    /// <summary>
    /// Writes the tag for a Retry packet (<paramref name="retryWithoutTag"/>: the packet up to, not including, the tag)
    /// sent in response to an Initial whose Destination Connection ID was <paramref name="originalDestinationConnectionId"/>.
    /// </summary>
    public static void ComputeTag(ReadOnlySpan<byte> originalDestinationConnectionId, ReadOnlySpan<byte> retryWithoutTag, Span<byte> tag)
    {
        if (originalDestinationConnectionId.Length > InitialSecrets.MaxConnectionIdLength)
            throw new ArgumentException($"A QUIC v1 connection ID is at most {InitialSecrets.MaxConnectionIdLength} bytes.", nameof(originalDestinationConnectionId));
        int length = 1 + originalDestinationConnectionId.Length + retryWithoutTag.Length;
        byte[]? rented = null;
        Span<byte> pseudoPacket = length <= StackPseudoPacketLimit
            ? stackalloc byte[StackPseudoPacketLimit]
            : rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            pseudoPacket = pseudoPacket[..length];
            pseudoPacket[0] = (byte)originalDestinationConnectionId.Length;
            originalDestinationConnectionId.CopyTo(pseudoPacket[1..]);
            retryWithoutTag.CopyTo(pseudoPacket[(1 + originalDestinationConnectionId.Length)..]);
            ComputeTag(pseudoPacket, tag);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Checks the tag at the end of a received <paramref name="retryPacket"/> (the whole packet, tag included) against
    /// the client's <paramref name="originalDestinationConnectionId"/>. Returns false for packets shorter than a tag.
    /// </summary>
    public static bool VerifyRetryPacket(ReadOnlySpan<byte> originalDestinationConnectionId, ReadOnlySpan<byte> retryPacket)
    {
        if (retryPacket.Length < TagLength)
            return false;
        Span<byte> expected = stackalloc byte[TagLength];
        ComputeTag(originalDestinationConnectionId, retryPacket[..^TagLength], expected);
        return CryptographicOperations.FixedTimeEquals(expected, retryPacket[^TagLength..]);
    }

    private static AesGcm Aead => t_aead ??= new AesGcm(KeyV1, TagLength);
}
