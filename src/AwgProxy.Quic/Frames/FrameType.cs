namespace AwgProxy.Quic.Frames;

/// <summary>
/// Frame types (RFC 9000 section 19 and Table 3; RFC 9221 section 4 for DATAGRAM). STREAM uses the
/// eight values 0x08-0x0f, whose low bits are the OFF (0x04), LEN (0x02) and FIN (0x01) flags.
/// </summary>
public enum FrameType : ulong
{
    Padding = 0x00,
    Ping = 0x01,
    Ack = 0x02,

    /// <summary>ACK with ECN counts.</summary>
    AckEcn = 0x03,
    ResetStream = 0x04,
    StopSending = 0x05,
    Crypto = 0x06,
    NewToken = 0x07,

    /// <summary>STREAM with no flags; 0x09-0x0f are STREAM too (see <see cref="StreamFrame"/>).</summary>
    Stream = 0x08,
    MaxData = 0x10,
    MaxStreamData = 0x11,
    MaxStreamsBidi = 0x12,
    MaxStreamsUni = 0x13,
    DataBlocked = 0x14,
    StreamDataBlocked = 0x15,
    StreamsBlockedBidi = 0x16,
    StreamsBlockedUni = 0x17,
    NewConnectionId = 0x18,
    RetireConnectionId = 0x19,
    PathChallenge = 0x1a,
    PathResponse = 0x1b,

    /// <summary>CONNECTION_CLOSE signalling a QUIC transport error.</summary>
    ConnectionClose = 0x1c,

    /// <summary>CONNECTION_CLOSE signalling an application error.</summary>
    ConnectionCloseApplication = 0x1d,
    HandshakeDone = 0x1e,

    /// <summary>DATAGRAM without a Length field: the data runs to the end of the packet (RFC 9221).</summary>
    Datagram = 0x30,

    /// <summary>DATAGRAM with a Length field (RFC 9221).</summary>
    DatagramWithLength = 0x31,
}

public static class FrameTypeExtensions
{
    /// <summary>True for the eight STREAM types 0x08-0x0f.</summary>
    public static bool IsStream(this FrameType type) => (ulong)type is >= 0x08 and <= 0x0f;

    /// <summary>The RFC name of the frame type, for logs and error reasons.</summary>
    public static string GetRfcName(this FrameType type) => type switch
    {
        FrameType.Padding => "PADDING",
        FrameType.Ping => "PING",
        FrameType.Ack or FrameType.AckEcn => "ACK",
        FrameType.ResetStream => "RESET_STREAM",
        FrameType.StopSending => "STOP_SENDING",
        FrameType.Crypto => "CRYPTO",
        FrameType.NewToken => "NEW_TOKEN",
        _ when type.IsStream() => "STREAM",
        FrameType.MaxData => "MAX_DATA",
        FrameType.MaxStreamData => "MAX_STREAM_DATA",
        FrameType.MaxStreamsBidi or FrameType.MaxStreamsUni => "MAX_STREAMS",
        FrameType.DataBlocked => "DATA_BLOCKED",
        FrameType.StreamDataBlocked => "STREAM_DATA_BLOCKED",
        FrameType.StreamsBlockedBidi or FrameType.StreamsBlockedUni => "STREAMS_BLOCKED",
        FrameType.NewConnectionId => "NEW_CONNECTION_ID",
        FrameType.RetireConnectionId => "RETIRE_CONNECTION_ID",
        FrameType.PathChallenge => "PATH_CHALLENGE",
        FrameType.PathResponse => "PATH_RESPONSE",
        FrameType.ConnectionClose or FrameType.ConnectionCloseApplication => "CONNECTION_CLOSE",
        FrameType.HandshakeDone => "HANDSHAKE_DONE",
        FrameType.Datagram or FrameType.DatagramWithLength => "DATAGRAM",
        _ => "UNKNOWN",
    };
}
