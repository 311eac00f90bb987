using System.Buffers.Binary;
using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Packets;

/// <summary>
/// The public part of a packet, read before any key is applied (the first phase of a two-phase decode):
/// header form, version, connection IDs, token and Length, the offset of the still-protected packet
/// number and where the packet ends in its datagram, so coalesced packets can be split (RFC 9000 section
/// 12.2). Header protection is removed afterwards with <see cref="PacketNumberOffset"/>; the first byte's
/// low bits and the packet number are only meaningful then.
/// <code>
/// Long Header Packet {             1-RTT Packet {
///   Header Form (1) = 1,             Header Form (1) = 0,
///   Fixed Bit (1) = 1,               Fixed Bit (1) = 1,
///   Long Packet Type (2),            Spin Bit (1),
///   Type-Specific Bits (4),          Reserved Bits (2),
///   Version (32),                    Key Phase (1),
///   Destination Connection ID Length (8),   Packet Number Length (2),
///   Destination Connection ID (0..160),     Destination Connection ID (0..160),
///   Source Connection ID Length (8), Packet Number (8..32),
///   Source Connection ID (0..160),   Packet Payload (8..),
///   Type-Specific Payload (..),    }
/// }
///
/// Initial: Token Length (i), Token (..), Length (i), Packet Number (8..32), Packet Payload (8..)
/// 0-RTT, Handshake: Length (i), Packet Number (8..32), Packet Payload (8..)
/// Retry: Retry Token (..), Retry Integrity Tag (128)
/// Version Negotiation (Version = 0): Supported Version (32) ...
/// </code>
/// All spans point into the datagram.
/// </summary>
public readonly ref struct PacketHeader
{
    /// <summary>The bits of a long header's first byte covered by header protection.</summary>
    public const byte LongHeaderProtectedBits = 0x0f;

    /// <summary>The bits of a short header's first byte covered by header protection.</summary>
    public const byte ShortHeaderProtectedBits = 0x1f;

    /// <summary>Header protection samples 16 bytes starting 4 bytes after the packet number offset (RFC 9001 section 5.4.2).</summary>
    public const int HeaderProtectionSampleLength = 16;

    /// <summary>The length of a Retry Integrity Tag (RFC 9001 section 5.8).</summary>
    public const int RetryIntegrityTagLength = 16;

    /// <summary>The longest connection ID RFC 8999 lets any version use (Version Negotiation echoes them).</summary>
    public const int MaxInvariantConnectionIdLength = 255;

    private const byte HeaderFormBit = 0x80;
    private const byte FixedBit = 0x40;

    public PacketType Type { get; init; }

    /// <summary>The first byte as received (for protected packets its low bits are still masked).</summary>
    public byte FirstByte { get; init; }

    public bool IsLongHeader => (FirstByte & HeaderFormBit) != 0;

    /// <summary>The version of a long header; 0 for a short header, which has no version field.</summary>
    public uint Version { get; init; }

    public ReadOnlySpan<byte> DestinationConnectionId { get; init; }

    /// <summary>Empty for a short header.</summary>
    public ReadOnlySpan<byte> SourceConnectionId { get; init; }

    /// <summary>The Token of an Initial packet or the Retry Token of a Retry packet; empty otherwise.</summary>
    public ReadOnlySpan<byte> Token { get; init; }

    /// <summary>The Retry Integrity Tag of a Retry packet; empty otherwise.</summary>
    public ReadOnlySpan<byte> RetryIntegrityTag { get; init; }

    /// <summary>The raw Supported Version list of a Version Negotiation packet (4 bytes each); empty otherwise.</summary>
    public ReadOnlySpan<byte> SupportedVersions { get; init; }

    /// <summary>
    /// The Length field of an Initial, 0-RTT or Handshake packet: packet number plus protected payload.
    /// For a 1-RTT packet, the same quantity up to the end of the datagram. 0 for Retry and Version Negotiation.
    /// </summary>
    public int Length { get; init; }

    /// <summary>Offset of the (protected) packet number from the start of the packet; 0 if the type has none.</summary>
    public int PacketNumberOffset { get; init; }

    /// <summary>The bytes this packet occupies in the datagram; the next coalesced packet starts there.</summary>
    public int PacketLength { get; init; }

    /// <summary>This packet's bytes within the datagram.</summary>
    public ReadOnlySpan<byte> Packet { get; init; }

    /// <summary>The number of versions in <see cref="SupportedVersions"/>.</summary>
    public int SupportedVersionCount => SupportedVersions.Length / 4;

    /// <summary>The <paramref name="index"/>th version of a Version Negotiation packet.</summary>
    public uint GetSupportedVersion(int index) => BinaryPrimitives.ReadUInt32BigEndian(SupportedVersions.Slice(index * 4, 4));

    /// <summary>True if a Version Negotiation packet lists <paramref name="version"/>.</summary>
    public bool ListsVersion(uint version)
    {
        for (int i = 0; i < SupportedVersionCount; i++)
        {
            if (GetSupportedVersion(i) == version) return true;
        }

        return false;
    }

    /// <summary>The packet number length encoded in a first byte whose header protection has been removed.</summary>
    public static int GetPacketNumberLength(byte unprotectedFirstByte) => (unprotectedFirstByte & 0x03) + 1;

    /// <summary>
    /// False if the Reserved Bits of an unprotected first byte are not 0, which after successful decryption is
    /// a PROTOCOL_VIOLATION (RFC 9000 section 17.2 and 17.3.1).
    /// </summary>
    public static bool ReservedBitsAreZero(byte unprotectedFirstByte) =>
        (unprotectedFirstByte & HeaderFormBit) != 0 ? (unprotectedFirstByte & 0x0c) == 0 : (unprotectedFirstByte & 0x18) == 0;

    /// <summary>The Key Phase bit of an unprotected short header first byte.</summary>
    public static bool GetKeyPhase(byte unprotectedFirstByte) => (unprotectedFirstByte & 0x04) != 0;

    /// <summary>
    /// Reads the header of the packet at the start of <paramref name="datagram"/> without any key.
    /// </summary>
    /// <param name="datagram">The datagram, or what is left of it after earlier coalesced packets.</param>
    /// <param name="shortHeaderConnectionIdLength">The length of the connection IDs this endpoint issues, which a short header does not state.</param>
    /// <param name="header">The header; on failure only meaningful for <see cref="PacketHeaderError.UnsupportedVersion"/>.</param>
    /// <param name="error">Why the packet was rejected.</param>
    public static bool TryParse(ReadOnlySpan<byte> datagram, int shortHeaderConnectionIdLength, out PacketHeader header, out PacketHeaderError error)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)shortHeaderConnectionIdLength, (uint)ConnectionId.MaxLength, nameof(shortHeaderConnectionIdLength));
        header = default;
        var reader = new SpanReader(datagram);
        if (!reader.TryReadByte(out byte firstByte))
        {
            error = PacketHeaderError.Truncated;
            return false;
        }

        if ((firstByte & HeaderFormBit) == 0)
        {
            return TryParseShort(datagram, firstByte, shortHeaderConnectionIdLength, out header, out error);
        }

        if (!reader.TryReadUInt32(out uint version)
            || !reader.TryReadUInt8LengthPrefixed(out ReadOnlySpan<byte> dcid)
            || !reader.TryReadUInt8LengthPrefixed(out ReadOnlySpan<byte> scid))
        {
            error = PacketHeaderError.Truncated;
            return false;
        }

        if (version == QuicVersion.Negotiation)
        {
            ReadOnlySpan<byte> versions = reader.RemainingSpan;
            if (versions.IsEmpty || versions.Length % 4 != 0)
            {
                error = PacketHeaderError.InvalidVersionNegotiation;
                return false;
            }

            header = new PacketHeader
            {
                Type = PacketType.VersionNegotiation,
                FirstByte = firstByte,
                Version = version,
                DestinationConnectionId = dcid,
                SourceConnectionId = scid,
                SupportedVersions = versions,
                PacketLength = datagram.Length,
                Packet = datagram,
            };
            error = PacketHeaderError.None;
            return true;
        }

        if (!QuicVersion.IsSupported(version))
        {
            header = new PacketHeader
            {
                FirstByte = firstByte,
                Version = version,
                DestinationConnectionId = dcid,
                SourceConnectionId = scid,
                PacketLength = datagram.Length,
                Packet = datagram,
            };
            error = PacketHeaderError.UnsupportedVersion;
            return false;
        }

        if ((firstByte & FixedBit) == 0)
        {
            error = PacketHeaderError.FixedBitZero;
            return false;
        }

        if (dcid.Length > ConnectionId.MaxLength || scid.Length > ConnectionId.MaxLength)
        {
            error = PacketHeaderError.ConnectionIdTooLong;
            return false;
        }

        var type = (PacketType)((firstByte >> 4) & 0x03);
        ReadOnlySpan<byte> token = default;
        if (type == PacketType.Retry)
        {
            ReadOnlySpan<byte> rest = reader.RemainingSpan;
            if (rest.Length <= RetryIntegrityTagLength)
            {
                error = PacketHeaderError.InvalidRetry;
                return false;
            }

            header = new PacketHeader
            {
                Type = type,
                FirstByte = firstByte,
                Version = version,
                DestinationConnectionId = dcid,
                SourceConnectionId = scid,
                Token = rest[..^RetryIntegrityTagLength],
                RetryIntegrityTag = rest[^RetryIntegrityTagLength..],
                PacketLength = datagram.Length,
                Packet = datagram,
            };
            error = PacketHeaderError.None;
            return true;
        }

        if ((type == PacketType.Initial && !reader.TryReadVarIntLengthPrefixed(out token))
            || !reader.TryReadVarInt(out ulong length))
        {
            error = PacketHeaderError.Truncated;
            return false;
        }

        if (length > (ulong)reader.Remaining)
        {
            error = PacketHeaderError.LengthBeyondDatagram;
            return false;
        }

        int packetNumberOffset = reader.Position;
        int packetLength = packetNumberOffset + (int)length;
        if ((int)length < PacketNumber.MaxLength + HeaderProtectionSampleLength)
        {
            error = PacketHeaderError.TooShortForSample;
            return false;
        }

        header = new PacketHeader
        {
            Type = type,
            FirstByte = firstByte,
            Version = version,
            DestinationConnectionId = dcid,
            SourceConnectionId = scid,
            Token = token,
            Length = (int)length,
            PacketNumberOffset = packetNumberOffset,
            PacketLength = packetLength,
            Packet = datagram[..packetLength],
        };
        error = PacketHeaderError.None;
        return true;
    }

    private static bool TryParseShort(ReadOnlySpan<byte> datagram, byte firstByte, int connectionIdLength, out PacketHeader header, out PacketHeaderError error)
    {
        header = default;
        if ((firstByte & FixedBit) == 0)
        {
            error = PacketHeaderError.FixedBitZero;
            return false;
        }

        int packetNumberOffset = 1 + connectionIdLength;
        if (datagram.Length < packetNumberOffset)
        {
            error = PacketHeaderError.Truncated;
            return false;
        }

        if (datagram.Length < packetNumberOffset + PacketNumber.MaxLength + HeaderProtectionSampleLength)
        {
            error = PacketHeaderError.TooShortForSample;
            return false;
        }

        header = new PacketHeader
        {
            Type = PacketType.OneRtt,
            FirstByte = firstByte,
            DestinationConnectionId = datagram.Slice(1, connectionIdLength),
            Length = datagram.Length - packetNumberOffset,
            PacketNumberOffset = packetNumberOffset,
            PacketLength = datagram.Length,
            Packet = datagram,
        };
        error = PacketHeaderError.None;
        return true;
    }
}
