using System.Buffers.Binary;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Obfuscation;

/// <summary>
/// The envelope's classification rules (../shared/design/envelope.md, "Mapping onto QUIC datagrams"):
/// which class a QUIC datagram is sent in, and whether a received datagram is one of ours. Only the
/// first QUIC packet of a datagram decides, and only its invariant fields are read (RFC 9000 §17.2,
/// §17.3.1):
/// <code>
/// Long Header Packet {          1-RTT Packet {
///   Header Form (1) = 1,          Header Form (1) = 0,
///   Fixed Bit (1) = 1,            Fixed Bit (1) = 1,
///   Long Packet Type (2),         Spin Bit (1),
///   Type-Specific Bits (4),       ...
///   Version (32),               }
///   ...
/// }
/// </code>
/// Long Packet Type (version 1, RFC 9000 Table 5): 0 Initial, 1 0-RTT, 2 Handshake, 3 Retry.
/// </summary>
/// <remarks>
/// A long header counts only when its Version is QUIC v1 (the one version this stack speaks). The
/// first byte alone would let a quarter to a half of random bytes through; requiring the 32-bit
/// version as well makes the check about 2^32 times stronger for long headers, so a datagram whose
/// header happens to land in H_k is still almost never taken for a handshake datagram. Short headers
/// have no version; for them the fixed bit is all there is (the header range does the rest).
/// </remarks>
public static class AwgDatagramClassifier
{
    /// <summary>Header Form: 1 for a long header.</summary>
    private const byte HeaderFormBit = 0x80;

    /// <summary>Fixed Bit: 1 in every QUIC v1 packet (RFC 9000 §17.2; no grease_quic_bit here).</summary>
    private const byte FixedBit = 0x40;

    /// <summary>Long Packet Type, bits 0x30 of the first byte.</summary>
    private const byte LongPacketTypeMask = 0x30;

    private const int LongPacketTypeShift = 4;

    /// <summary>First byte plus the 32-bit Version.</summary>
    private const int LongHeaderInvariantLength = 5;

    private static readonly AwgMessageClass[] s_clientSends = [AwgMessageClass.Initiation, AwgMessageClass.Transport];
    private static readonly AwgMessageClass[] s_serverSends = [AwgMessageClass.Response, AwgMessageClass.Cookie, AwgMessageClass.Transport];

    /// <summary>
    /// The classes an endpoint of <paramref name="role"/> sends, in the order a receiver tries them:
    /// client 1, 4; server 2, 3, 4.
    /// </summary>
    public static IReadOnlyList<AwgMessageClass> ClassesSentBy(AwgEnvelopeRole role) =>
        role == AwgEnvelopeRole.Client ? s_clientSends : s_serverSends;

    /// <summary>
    /// The class a QUIC datagram sent by <paramref name="sender"/> travels in: a client's datagram
    /// whose first packet is a v1 Initial is class 1; a server's whose first packet is a v1 Initial or
    /// Handshake is class 2, a v1 Retry class 3; everything else (client Handshake and 0-RTT, short
    /// headers, stateless resets) is class 4.
    /// </summary>
    public static AwgMessageClass ClassifyOutgoing(AwgEnvelopeRole sender, ReadOnlySpan<byte> quicDatagram)
    {
        if (TryReadLongHeaderType(quicDatagram, out var type))
        {
            if (sender == AwgEnvelopeRole.Client)
            {
                if (type == PacketType.Initial)
                {
                    return AwgMessageClass.Initiation;
                }
            }
            else if (type is PacketType.Initial or PacketType.Handshake)
            {
                return AwgMessageClass.Response;
            }
            else if (type == PacketType.Retry)
            {
                return AwgMessageClass.Cookie;
            }
        }

        return AwgMessageClass.Transport;
    }

    /// <summary>
    /// Whether <paramref name="quicDatagram"/> can start a datagram of class <paramref name="messageClass"/>:
    /// a v1 long-header Initial for 1; a v1 Initial or Handshake for 2; a v1 Retry for 3; for 4 a short
    /// header with the fixed bit set, or a v1 Handshake or 0-RTT.
    /// </summary>
    public static bool IsPlausible(AwgMessageClass messageClass, ReadOnlySpan<byte> quicDatagram)
    {
        if (quicDatagram.IsEmpty)
        {
            return false;
        }

        var isLongV1 = TryReadLongHeaderType(quicDatagram, out var type);
        return messageClass switch
        {
            AwgMessageClass.Initiation => isLongV1 && type == PacketType.Initial,
            AwgMessageClass.Response => isLongV1 && type is PacketType.Initial or PacketType.Handshake,
            AwgMessageClass.Cookie => isLongV1 && type == PacketType.Retry,
            AwgMessageClass.Transport => isLongV1
                ? type is PacketType.Handshake or PacketType.ZeroRtt
                : (quicDatagram[0] & (HeaderFormBit | FixedBit)) == FixedBit,
            _ => throw new ArgumentOutOfRangeException(nameof(messageClass), messageClass, "Not an AWG message class."),
        };
    }

    /// <summary>
    /// Tries the classes <paramref name="receiver"/>'s peer sends, in order (server: 1, 4; client: 2, 3, 4).
    /// Class k matches when the datagram is longer than S_k + 4, the little-endian uint32 at offset S_k
    /// lies in H_k, and the QUIC bytes after it are <see cref="IsPlausible">plausible</see> for k.
    /// On a match the QUIC datagram is <c>datagram[(S_k + 4)..]</c>; otherwise
    /// <paramref name="reason"/> is the furthest check any class reached. Never throws on network bytes.
    /// </summary>
    public static bool TryMatch(
        AwgProfile profile,
        AwgEnvelopeRole receiver,
        ReadOnlySpan<byte> datagram,
        out AwgMessageClass messageClass,
        out AwgDropReason reason)
    {
        ArgumentNullException.ThrowIfNull(profile);
        // The array itself, not IReadOnlyList: no enumerator is boxed per datagram.
        var peerSends = receiver == AwgEnvelopeRole.Client ? s_serverSends : s_clientSends;
        reason = AwgDropReason.TooShort;
        foreach (var k in peerSends)
        {
            var padding = profile.Padding(k);
            if (datagram.Length <= padding + WireSizeBudget.HeaderSize)
            {
                continue;
            }

            var header = BinaryPrimitives.ReadUInt32LittleEndian(datagram[padding..]);
            if (!profile.Header(k).Validate(header))
            {
                reason = Furthest(reason, AwgDropReason.HeaderOutOfRange);
                continue;
            }

            if (!IsPlausible(k, datagram[(padding + WireSizeBudget.HeaderSize)..]))
            {
                reason = AwgDropReason.ImplausibleFirstByte;
                continue;
            }

            messageClass = k;
            return true;
        }

        messageClass = default;
        return false;
    }

    private static AwgDropReason Furthest(AwgDropReason a, AwgDropReason b) => a > b ? a : b;

    /// <summary>True when the datagram starts with a QUIC v1 long header (form and fixed bits set, Version 1).</summary>
    private static bool TryReadLongHeaderType(ReadOnlySpan<byte> quicDatagram, out PacketType type)
    {
        if (quicDatagram.Length < LongHeaderInvariantLength
            || (quicDatagram[0] & (HeaderFormBit | FixedBit)) != (HeaderFormBit | FixedBit)
            || BinaryPrimitives.ReadUInt32BigEndian(quicDatagram[1..]) != QuicVersion.Version1)
        {
            type = default;
            return false;
        }

        type = (PacketType)((quicDatagram[0] & LongPacketTypeMask) >> LongPacketTypeShift);
        return true;
    }
}
