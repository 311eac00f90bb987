using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Packets;

/// <summary>
/// Writes the headers of packets that carry frames (RFC 9000 section 17.2 and 17.3.1), unprotected: the
/// caller then writes the payload, patches the Length, encrypts, and applies header protection.
/// <code>
/// Initial / 0-RTT / Handshake:
///   1 1 TT RR PP | Version (32) | DCID Len (8) | DCID | SCID Len (8) | SCID
///   | [Initial: Token Length (i), Token] | Length (i) | Packet Number (8..32) | Payload
/// 1-RTT:
///   0 1 S RR K PP | DCID | Packet Number (8..32) | Payload
/// </code>
/// Reserved bits are written as 0. The Length field is always a 2-byte varint so it can be patched once
/// the payload is known: a long header packet is therefore at most 16383 bytes past its Length field.
/// </summary>
public static class PacketHeaderWriter
{
    /// <summary>The largest value the fixed 2-byte Length field can hold.</summary>
    public const int MaxLengthFieldValue = 16383;

    private const int LengthFieldSize = 2;

    /// <summary>The bytes <see cref="WriteLongHeader"/> writes.</summary>
    public static int GetLongHeaderLength(PacketType type, int destinationIdLength, int sourceIdLength, int tokenLength, int packetNumberLength)
    {
        int length = 1 + 4 + 1 + destinationIdLength + 1 + sourceIdLength + LengthFieldSize + packetNumberLength;
        if (type == PacketType.Initial) length += VarInt.GetLength((ulong)tokenLength) + tokenLength;
        return length;
    }

    /// <summary>The bytes <see cref="WriteShortHeader"/> writes.</summary>
    public static int GetShortHeaderLength(int destinationIdLength, int packetNumberLength) => 1 + destinationIdLength + packetNumberLength;

    /// <summary>
    /// Writes an Initial, 0-RTT or Handshake header with a placeholder Length field.
    /// </summary>
    /// <param name="writer">The datagram being built.</param>
    /// <param name="type">Initial, ZeroRtt or Handshake.</param>
    /// <param name="version">The version (normally <see cref="QuicVersion.Version1"/>).</param>
    /// <param name="destinationConnectionId">The peer's connection ID.</param>
    /// <param name="sourceConnectionId">Our connection ID.</param>
    /// <param name="token">The Initial token (empty if none); must be empty for other types.</param>
    /// <param name="packetNumber">The full packet number; its low <paramref name="packetNumberLength"/> bytes are written.</param>
    /// <param name="packetNumberLength">1 to 4, from <see cref="PacketNumber.GetEncodedLength"/>.</param>
    public static HeaderLayout WriteLongHeader(
        ref SpanWriter writer, PacketType type, uint version, scoped ReadOnlySpan<byte> destinationConnectionId, scoped ReadOnlySpan<byte> sourceConnectionId,
        scoped ReadOnlySpan<byte> token, ulong packetNumber, int packetNumberLength)
    {
        if (type is not (PacketType.Initial or PacketType.ZeroRtt or PacketType.Handshake))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Only Initial, 0-RTT and Handshake packets have this header.");
        }

        if (type != PacketType.Initial && !token.IsEmpty) throw new ArgumentException("Only Initial packets carry a token.", nameof(token));
        ValidateConnectionId(destinationConnectionId, nameof(destinationConnectionId));
        ValidateConnectionId(sourceConnectionId, nameof(sourceConnectionId));
        ValidatePacketNumberLength(packetNumberLength);

        int headerOffset = writer.Position;
        writer.WriteByte((byte)(0xc0 | ((int)type << 4) | (packetNumberLength - 1)));
        writer.WriteUInt32(version);
        writer.WriteByte((byte)destinationConnectionId.Length);
        destinationConnectionId.CopyTo(writer.Reserve(destinationConnectionId.Length));
        writer.WriteByte((byte)sourceConnectionId.Length);
        sourceConnectionId.CopyTo(writer.Reserve(sourceConnectionId.Length));
        if (type == PacketType.Initial)
        {
            writer.WriteVarInt((ulong)token.Length);
            token.CopyTo(writer.Reserve(token.Length));
        }

        int lengthOffset = writer.Position;
        writer.WriteVarInt(0, LengthFieldSize);
        int packetNumberOffset = writer.Position;
        PacketNumber.Write(writer.Reserve(packetNumberLength), packetNumber, packetNumberLength);
        return new HeaderLayout(headerOffset, lengthOffset, packetNumberOffset, writer.Position);
    }

    /// <summary>
    /// Fills in the Length field written by <see cref="WriteLongHeader"/>: the packet number length plus the
    /// payload length including the AEAD tag. Patch before sealing: the header, Length included, is the
    /// AEAD's associated data, so count the tag that sealing will append.
    /// </summary>
    public static void PatchLength(Span<byte> buffer, int lengthOffset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)MaxLengthFieldValue, nameof(length));
        VarInt.TryWrite(buffer[lengthOffset..], (ulong)length, LengthFieldSize, out _);
    }

    /// <summary>Fills in the Length field from where the packet will end once sealed (payload plus AEAD tag).</summary>
    public static void PatchLength(Span<byte> buffer, HeaderLayout layout, int packetEnd) =>
        PatchLength(buffer, layout.LengthOffset, packetEnd - layout.PacketNumberOffset);

    /// <summary>Writes a 1-RTT (short) header.</summary>
    /// <param name="writer">The datagram being built.</param>
    /// <param name="destinationConnectionId">The peer's connection ID.</param>
    /// <param name="packetNumber">The full packet number; its low <paramref name="packetNumberLength"/> bytes are written.</param>
    /// <param name="packetNumberLength">1 to 4.</param>
    /// <param name="keyPhase">The Key Phase bit.</param>
    /// <param name="spinBit">The latency Spin Bit (RFC 9000 section 17.4).</param>
    public static HeaderLayout WriteShortHeader(
        ref SpanWriter writer, scoped ReadOnlySpan<byte> destinationConnectionId, ulong packetNumber, int packetNumberLength, bool keyPhase, bool spinBit = false)
    {
        ValidateConnectionId(destinationConnectionId, nameof(destinationConnectionId));
        ValidatePacketNumberLength(packetNumberLength);
        int headerOffset = writer.Position;
        writer.WriteByte((byte)(0x40 | (spinBit ? 0x20 : 0) | (keyPhase ? 0x04 : 0) | (packetNumberLength - 1)));
        destinationConnectionId.CopyTo(writer.Reserve(destinationConnectionId.Length));
        int packetNumberOffset = writer.Position;
        PacketNumber.Write(writer.Reserve(packetNumberLength), packetNumber, packetNumberLength);
        return new HeaderLayout(headerOffset, -1, packetNumberOffset, writer.Position);
    }

    private static void ValidateConnectionId(ReadOnlySpan<byte> connectionId, string name)
    {
        if (connectionId.Length > ConnectionId.MaxLength) throw new ArgumentException("A connection ID is at most 20 bytes.", name);
    }

    private static void ValidatePacketNumberLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, PacketNumber.MaxLength);
    }
}
