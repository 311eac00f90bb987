using System.Diagnostics.CodeAnalysis;
using System.Net;
using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic;

/// <summary>
/// QUIC transport parameters (RFC 9000 section 18, RFC 9221 section 3), carried in the TLS
/// quic_transport_parameters extension. Used once per handshake, so this is a plain class.
/// <code>
/// Transport Parameters {
///   Transport Parameter (..) ...,
/// }
///
/// Transport Parameter {
///   Transport Parameter ID (i),
///   Transport Parameter Length (i),
///   Transport Parameter Value (..),
/// }
/// </code>
/// Every property starts at the RFC default; <see cref="Write"/> omits parameters that equal their default.
/// <see cref="TryDecode"/> rejects malformed input with a reason, for a TRANSPORT_PARAMETER_ERROR close.
/// </summary>
public sealed class TransportParameters
{
    public const ulong DefaultMaxUdpPayloadSize = 65527;
    public const ulong MinMaxUdpPayloadSize = 1200;
    public const int DefaultAckDelayExponent = 3;
    public const int MaxAckDelayExponent = 20;
    public const ulong DefaultMaxAckDelayMilliseconds = 25;

    /// <summary>max_ack_delay values of 2^14 or more are invalid.</summary>
    public const ulong MaxAckDelayLimitMilliseconds = 1UL << 14;

    public const ulong DefaultActiveConnectionIdLimit = 2;

    /// <summary>The largest initial_max_streams_bidi/uni value (2^60).</summary>
    public const ulong MaxStreamsLimit = 1UL << 60;

    /// <summary>The error code every decoding failure maps to.</summary>
    public const TransportErrorCode DecodeErrorCode = TransportErrorCode.TRANSPORT_PARAMETER_ERROR;

    /// <summary>original_destination_connection_id (0x00), server only.</summary>
    public ConnectionId? OriginalDestinationConnectionId { get; set; }

    /// <summary>max_idle_timeout (0x01) in milliseconds; 0 means no idle timeout from this side.</summary>
    public ulong MaxIdleTimeoutMilliseconds { get; set; }

    /// <summary>stateless_reset_token (0x02), server only.</summary>
    public StatelessResetToken? StatelessResetToken { get; set; }

    /// <summary>max_udp_payload_size (0x03), default 65527, at least 1200.</summary>
    public ulong MaxUdpPayloadSize { get; set; } = DefaultMaxUdpPayloadSize;

    /// <summary>initial_max_data (0x04).</summary>
    public ulong InitialMaxData { get; set; }

    /// <summary>initial_max_stream_data_bidi_local (0x05).</summary>
    public ulong InitialMaxStreamDataBidiLocal { get; set; }

    /// <summary>initial_max_stream_data_bidi_remote (0x06).</summary>
    public ulong InitialMaxStreamDataBidiRemote { get; set; }

    /// <summary>initial_max_stream_data_uni (0x07).</summary>
    public ulong InitialMaxStreamDataUni { get; set; }

    /// <summary>initial_max_streams_bidi (0x08), at most 2^60.</summary>
    public ulong InitialMaxStreamsBidi { get; set; }

    /// <summary>initial_max_streams_uni (0x09), at most 2^60.</summary>
    public ulong InitialMaxStreamsUni { get; set; }

    /// <summary>ack_delay_exponent (0x0a), default 3, at most 20.</summary>
    public int AckDelayExponent { get; set; } = DefaultAckDelayExponent;

    /// <summary>max_ack_delay (0x0b) in milliseconds, default 25, below 2^14.</summary>
    public ulong MaxAckDelayMilliseconds { get; set; } = DefaultMaxAckDelayMilliseconds;

    /// <summary>disable_active_migration (0x0c).</summary>
    public bool DisableActiveMigration { get; set; }

    /// <summary>preferred_address (0x0d), server only.</summary>
    public PreferredAddress? PreferredAddress { get; set; }

    /// <summary>active_connection_id_limit (0x0e), default 2, at least 2.</summary>
    public ulong ActiveConnectionIdLimit { get; set; } = DefaultActiveConnectionIdLimit;

    /// <summary>initial_source_connection_id (0x0f); both sides must send it.</summary>
    public ConnectionId? InitialSourceConnectionId { get; set; }

    /// <summary>retry_source_connection_id (0x10), server only, after a Retry.</summary>
    public ConnectionId? RetrySourceConnectionId { get; set; }

    /// <summary>max_datagram_frame_size (0x20, RFC 9221); null when DATAGRAM frames are not supported.</summary>
    public ulong? MaxDatagramFrameSize { get; set; }

    /// <summary>max_idle_timeout as a <see cref="TimeSpan"/> (saturating); zero when disabled.</summary>
    public TimeSpan MaxIdleTimeout => MillisecondsToTimeSpan(MaxIdleTimeoutMilliseconds);

    /// <summary>max_ack_delay as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan MaxAckDelay => MillisecondsToTimeSpan(MaxAckDelayMilliseconds);

    /// <summary>The bytes <see cref="Write"/> produces.</summary>
    public int GetEncodedLength()
    {
        var counter = new LengthCounter();
        Encode(ref counter);
        return counter.Length;
    }

    /// <summary>
    /// Writes the parameters. Throws if a value is out of its valid range (a programming error). The caller is
    /// responsible for not setting server-only parameters on a client.
    /// </summary>
    public void Write(ref SpanWriter writer)
    {
        var sink = new WriterSink(writer);
        Encode(ref sink);
        writer = sink.Writer;
    }

    /// <summary>The encoding as a new array (handshake path).</summary>
    public byte[] ToArray()
    {
        byte[] buffer = new byte[GetEncodedLength()];
        var writer = new SpanWriter(buffer);
        Write(ref writer);
        return buffer;
    }

    /// <summary>
    /// Decodes the peer's transport parameters. Unknown identifiers (including reserved 31 * N + 27 ones)
    /// are ignored. Returns false with a reason for any error, which closes the connection with
    /// TRANSPORT_PARAMETER_ERROR: truncation, a duplicate parameter, a value of the wrong length or out of
    /// range, or a server-only parameter sent by a client.
    /// </summary>
    /// <param name="data">The extension_data of quic_transport_parameters.</param>
    /// <param name="senderIsServer">True when decoding the server's parameters (on the client).</param>
    /// <param name="parameters">The decoded parameters.</param>
    /// <param name="error">A constant reason phrase.</param>
    public static bool TryDecode(
        ReadOnlySpan<byte> data, bool senderIsServer, [NotNullWhen(true)] out TransportParameters? parameters, [NotNullWhen(false)] out string? error)
    {
        parameters = null;
        var result = new TransportParameters();
        var reader = new SpanReader(data);
        ulong seenKnown = 0;
        HashSet<ulong>? seenUnknown = null;
        while (!reader.IsEmpty)
        {
            if (!reader.TryReadVarInt(out ulong id) || !reader.TryReadVarIntLengthPrefixed(out ReadOnlySpan<byte> value))
            {
                error = "Truncated transport parameter";
                return false;
            }

            if (!IsKnown(id))
            {
                seenUnknown ??= [];
                if (!seenUnknown.Add(id))
                {
                    error = "Duplicate transport parameter";
                    return false;
                }

                continue;
            }

            ulong bit = 1UL << (int)id;
            if ((seenKnown & bit) != 0)
            {
                error = "Duplicate transport parameter";
                return false;
            }

            seenKnown |= bit;
            var knownId = (TransportParameterId)id;
            if (!senderIsServer && IsServerOnly(knownId))
            {
                error = "Server-only transport parameter sent by a client";
                return false;
            }

            error = result.DecodeOne(knownId, value);
            if (error is not null) return false;
        }

        parameters = result;
        error = null;
        return true;
    }

    /// <summary>True for the reserved identifiers 31 * N + 27, sent to exercise the "ignore unknown" rule (RFC 9000 section 18.1).</summary>
    public static bool IsReservedId(ulong id) => id % 31 == 27;

    private static bool IsKnown(ulong id) => id <= (ulong)TransportParameterId.RetrySourceConnectionId || id == (ulong)TransportParameterId.MaxDatagramFrameSize;

    private static bool IsServerOnly(TransportParameterId id) => id is TransportParameterId.OriginalDestinationConnectionId
        or TransportParameterId.PreferredAddress or TransportParameterId.RetrySourceConnectionId or TransportParameterId.StatelessResetToken;

    /// <summary>Applies one known parameter; returns null on success or the reason it is invalid.</summary>
    private string? DecodeOne(TransportParameterId id, ReadOnlySpan<byte> value)
    {
        switch (id)
        {
            case TransportParameterId.OriginalDestinationConnectionId:
                if (!ConnectionId.TryCreate(value, out ConnectionId odcid)) return "Connection ID too long";
                OriginalDestinationConnectionId = odcid;
                return null;
            case TransportParameterId.InitialSourceConnectionId:
                if (!ConnectionId.TryCreate(value, out ConnectionId iscid)) return "Connection ID too long";
                InitialSourceConnectionId = iscid;
                return null;
            case TransportParameterId.RetrySourceConnectionId:
                if (!ConnectionId.TryCreate(value, out ConnectionId rscid)) return "Connection ID too long";
                RetrySourceConnectionId = rscid;
                return null;
            case TransportParameterId.StatelessResetToken:
                if (!Packets.StatelessResetToken.TryCreate(value, out StatelessResetToken token)) return "Stateless reset token is not 16 bytes";
                StatelessResetToken = token;
                return null;
            case TransportParameterId.DisableActiveMigration:
                if (!value.IsEmpty) return "disable_active_migration must be empty";
                DisableActiveMigration = true;
                return null;
            case TransportParameterId.PreferredAddress:
                return DecodePreferredAddress(value);
        }

        if (!TryReadSingleVarInt(value, out ulong number)) return "Malformed integer transport parameter";
        switch (id)
        {
            case TransportParameterId.MaxIdleTimeout:
                MaxIdleTimeoutMilliseconds = number;
                break;
            case TransportParameterId.MaxUdpPayloadSize:
                if (number < MinMaxUdpPayloadSize) return "max_udp_payload_size below 1200";
                MaxUdpPayloadSize = number;
                break;
            case TransportParameterId.InitialMaxData:
                InitialMaxData = number;
                break;
            case TransportParameterId.InitialMaxStreamDataBidiLocal:
                InitialMaxStreamDataBidiLocal = number;
                break;
            case TransportParameterId.InitialMaxStreamDataBidiRemote:
                InitialMaxStreamDataBidiRemote = number;
                break;
            case TransportParameterId.InitialMaxStreamDataUni:
                InitialMaxStreamDataUni = number;
                break;
            case TransportParameterId.InitialMaxStreamsBidi:
                if (number > MaxStreamsLimit) return "initial_max_streams_bidi above 2^60";
                InitialMaxStreamsBidi = number;
                break;
            case TransportParameterId.InitialMaxStreamsUni:
                if (number > MaxStreamsLimit) return "initial_max_streams_uni above 2^60";
                InitialMaxStreamsUni = number;
                break;
            case TransportParameterId.AckDelayExponent:
                if (number > MaxAckDelayExponent) return "ack_delay_exponent above 20";
                AckDelayExponent = (int)number;
                break;
            case TransportParameterId.MaxAckDelay:
                if (number >= MaxAckDelayLimitMilliseconds) return "max_ack_delay of 2^14 or more";
                MaxAckDelayMilliseconds = number;
                break;
            case TransportParameterId.ActiveConnectionIdLimit:
                if (number < DefaultActiveConnectionIdLimit) return "active_connection_id_limit below 2";
                ActiveConnectionIdLimit = number;
                break;
            case TransportParameterId.MaxDatagramFrameSize:
                MaxDatagramFrameSize = number;
                break;
        }

        return null;
    }

    private string? DecodePreferredAddress(ReadOnlySpan<byte> value)
    {
        var reader = new SpanReader(value);
        if (!reader.TryReadBytes(4, out ReadOnlySpan<byte> ipv4)
            || !reader.TryReadUInt16(out ushort ipv4Port)
            || !reader.TryReadBytes(16, out ReadOnlySpan<byte> ipv6)
            || !reader.TryReadUInt16(out ushort ipv6Port)
            || !reader.TryReadUInt8LengthPrefixed(out ReadOnlySpan<byte> connectionId)
            || !reader.TryReadBytes(Packets.StatelessResetToken.Length, out ReadOnlySpan<byte> token)
            || !reader.IsEmpty)
        {
            return "Malformed preferred_address";
        }

        if (connectionId.IsEmpty || connectionId.Length > ConnectionId.MaxLength)
        {
            return "preferred_address connection ID not 1 to 20 bytes";
        }

        PreferredAddress = new PreferredAddress(
            new IPEndPoint(new IPAddress(ipv4), ipv4Port),
            new IPEndPoint(new IPAddress(ipv6), ipv6Port),
            new ConnectionId(connectionId),
            new StatelessResetToken(token));
        return null;
    }

    private static bool TryReadSingleVarInt(ReadOnlySpan<byte> value, out ulong number) =>
        VarInt.TryRead(value, out number, out int consumed) && consumed == value.Length;

    private void Encode<TSink>(ref TSink sink)
        where TSink : struct, IParameterSink, allows ref struct
    {
        if (OriginalDestinationConnectionId is { } odcid) sink.Bytes(TransportParameterId.OriginalDestinationConnectionId, odcid.AsSpan());
        if (MaxIdleTimeoutMilliseconds != 0) sink.Integer(TransportParameterId.MaxIdleTimeout, MaxIdleTimeoutMilliseconds);
        if (StatelessResetToken is { } token)
        {
            Span<byte> bytes = stackalloc byte[Packets.StatelessResetToken.Length];
            token.CopyTo(bytes);
            sink.Bytes(TransportParameterId.StatelessResetToken, bytes);
        }

        if (MaxUdpPayloadSize != DefaultMaxUdpPayloadSize)
        {
            if (MaxUdpPayloadSize < MinMaxUdpPayloadSize) throw new InvalidOperationException("max_udp_payload_size must be at least 1200.");
            sink.Integer(TransportParameterId.MaxUdpPayloadSize, MaxUdpPayloadSize);
        }

        if (InitialMaxData != 0) sink.Integer(TransportParameterId.InitialMaxData, InitialMaxData);
        if (InitialMaxStreamDataBidiLocal != 0) sink.Integer(TransportParameterId.InitialMaxStreamDataBidiLocal, InitialMaxStreamDataBidiLocal);
        if (InitialMaxStreamDataBidiRemote != 0) sink.Integer(TransportParameterId.InitialMaxStreamDataBidiRemote, InitialMaxStreamDataBidiRemote);
        if (InitialMaxStreamDataUni != 0) sink.Integer(TransportParameterId.InitialMaxStreamDataUni, InitialMaxStreamDataUni);
        if (InitialMaxStreamsBidi > MaxStreamsLimit || InitialMaxStreamsUni > MaxStreamsLimit)
        {
            throw new InvalidOperationException("initial_max_streams_bidi/uni must be at most 2^60.");
        }

        if (InitialMaxStreamsBidi != 0) sink.Integer(TransportParameterId.InitialMaxStreamsBidi, InitialMaxStreamsBidi);
        if (InitialMaxStreamsUni != 0) sink.Integer(TransportParameterId.InitialMaxStreamsUni, InitialMaxStreamsUni);
        if (AckDelayExponent != DefaultAckDelayExponent)
        {
            if ((uint)AckDelayExponent > MaxAckDelayExponent) throw new InvalidOperationException("ack_delay_exponent must be 0 to 20.");
            sink.Integer(TransportParameterId.AckDelayExponent, (ulong)AckDelayExponent);
        }

        if (MaxAckDelayMilliseconds != DefaultMaxAckDelayMilliseconds)
        {
            if (MaxAckDelayMilliseconds >= MaxAckDelayLimitMilliseconds) throw new InvalidOperationException("max_ack_delay must be below 2^14.");
            sink.Integer(TransportParameterId.MaxAckDelay, MaxAckDelayMilliseconds);
        }

        if (DisableActiveMigration) sink.Bytes(TransportParameterId.DisableActiveMigration, default);
        if (PreferredAddress is { } preferred)
        {
            Span<byte> bytes = stackalloc byte[PreferredAddress.GetEncodedLength(ConnectionId.MaxLength)];
            int length = EncodePreferredAddress(preferred, bytes);
            sink.Bytes(TransportParameterId.PreferredAddress, bytes[..length]);
        }

        if (ActiveConnectionIdLimit != DefaultActiveConnectionIdLimit)
        {
            if (ActiveConnectionIdLimit < DefaultActiveConnectionIdLimit) throw new InvalidOperationException("active_connection_id_limit must be at least 2.");
            sink.Integer(TransportParameterId.ActiveConnectionIdLimit, ActiveConnectionIdLimit);
        }

        if (InitialSourceConnectionId is { } iscid) sink.Bytes(TransportParameterId.InitialSourceConnectionId, iscid.AsSpan());
        if (RetrySourceConnectionId is { } rscid) sink.Bytes(TransportParameterId.RetrySourceConnectionId, rscid.AsSpan());
        if (MaxDatagramFrameSize is { } maxDatagram) sink.Integer(TransportParameterId.MaxDatagramFrameSize, maxDatagram);
    }

    private static int EncodePreferredAddress(PreferredAddress preferred, Span<byte> destination)
    {
        ConnectionId connectionId = preferred.ConnectionId;
        if (connectionId.IsEmpty) throw new InvalidOperationException("preferred_address needs a non-empty connection ID.");
        var writer = new SpanWriter(destination);
        if (!preferred.IPv4.Address.TryWriteBytes(writer.Reserve(4), out int v4) || v4 != 4)
        {
            throw new InvalidOperationException("preferred_address IPv4 must be an IPv4 address.");
        }

        writer.WriteUInt16((ushort)preferred.IPv4.Port);
        if (!preferred.IPv6.Address.TryWriteBytes(writer.Reserve(16), out int v6) || v6 != 16)
        {
            throw new InvalidOperationException("preferred_address IPv6 must be an IPv6 address.");
        }

        writer.WriteUInt16((ushort)preferred.IPv6.Port);
        writer.WriteByte((byte)connectionId.Length);
        connectionId.CopyTo(writer.Reserve(connectionId.Length));
        preferred.StatelessResetToken.CopyTo(writer.Reserve(Packets.StatelessResetToken.Length));
        return writer.Position;
    }

    private static TimeSpan MillisecondsToTimeSpan(ulong milliseconds) =>
        milliseconds >= (ulong)TimeSpan.MaxValue.TotalMilliseconds ? TimeSpan.MaxValue : TimeSpan.FromMilliseconds(milliseconds);

    /// <summary>Receives the parameters in order, so one encoder both measures and writes.</summary>
    private interface IParameterSink
    {
        void Integer(TransportParameterId id, ulong value);

        void Bytes(TransportParameterId id, scoped ReadOnlySpan<byte> value);
    }

    private struct LengthCounter : IParameterSink
    {
        public int Length;

        public void Integer(TransportParameterId id, ulong value) =>
            Length += VarInt.GetLength((ulong)id) + VarInt.GetLength((ulong)VarInt.GetLength(value)) + VarInt.GetLength(value);

        public void Bytes(TransportParameterId id, scoped ReadOnlySpan<byte> value) =>
            Length += VarInt.GetLength((ulong)id) + VarInt.GetLength((ulong)value.Length) + value.Length;
    }

    private ref struct WriterSink(SpanWriter writer) : IParameterSink
    {
        public SpanWriter Writer = writer;

        public void Integer(TransportParameterId id, ulong value)
        {
            Writer.WriteVarInt((ulong)id);
            Writer.WriteVarInt((ulong)VarInt.GetLength(value));
            Writer.WriteVarInt(value);
        }

        public void Bytes(TransportParameterId id, scoped ReadOnlySpan<byte> value)
        {
            Writer.WriteVarInt((ulong)id);
            Writer.WriteVarInt((ulong)value.Length);
            value.CopyTo(Writer.Reserve(value.Length));
        }
    }
}
