using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// The one table of per-frame-type rules, consulted by <see cref="FrameReader"/> and by whoever builds
/// packets: in which packet types a frame may appear (RFC 9000 Table 3, "Pkts"; RFC 9221 section 4),
/// whether it is ack-eliciting and counts toward bytes in flight (RFC 9002 section 2), whether it is a
/// probing frame (RFC 9000 section 9.1), and whether only a server may send it (sections 19.7, 19.20).
/// Unknown frame types get "no" for every question.
/// </summary>
public static class FrameRules
{
    private const int TableSize = 0x32;
    private static readonly Rule[] Table = BuildTable();

    /// <summary>True for every frame type this stack understands.</summary>
    public static bool IsKnown(ulong type) => type < TableSize && Table[type].Known;

    /// <inheritdoc cref="IsKnown(ulong)"/>
    public static bool IsKnown(FrameType type) => IsKnown((ulong)type);

    /// <summary>True if a frame of <paramref name="type"/> may appear in a packet of <paramref name="packetType"/>.</summary>
    public static bool IsAllowedIn(FrameType type, PacketType packetType)
    {
        if ((ulong)type >= TableSize) return false;
        PacketMask mask = packetType switch
        {
            PacketType.Initial => PacketMask.Initial,
            PacketType.Handshake => PacketMask.Handshake,
            PacketType.ZeroRtt => PacketMask.ZeroRtt,
            PacketType.OneRtt => PacketMask.OneRtt,
            _ => PacketMask.None,
        };
        return (Table[(ulong)type].Packets & mask) != 0;
    }

    /// <summary>All frames but ACK, PADDING and CONNECTION_CLOSE elicit an acknowledgment (RFC 9002 section 2).</summary>
    public static bool IsAckEliciting(FrameType type) => (ulong)type < TableSize && Table[(ulong)type].AckEliciting;

    /// <summary>A packet is in flight if it carries an ack-eliciting frame or PADDING (RFC 9002 section 2).</summary>
    public static bool CountsTowardBytesInFlight(FrameType type) => (ulong)type < TableSize && Table[(ulong)type].InFlight;

    /// <summary>PATH_CHALLENGE, PATH_RESPONSE, NEW_CONNECTION_ID and PADDING (RFC 9000 section 9.1).</summary>
    public static bool IsProbing(FrameType type) => (ulong)type < TableSize && Table[(ulong)type].Probing;

    /// <summary>NEW_TOKEN and HANDSHAKE_DONE: a server receiving one closes with PROTOCOL_VIOLATION.</summary>
    public static bool IsSentOnlyByServer(FrameType type) => (ulong)type < TableSize && Table[(ulong)type].ServerOnly;

    private static Rule[] BuildTable()
    {
        var table = new Rule[TableSize];

        // Frame type                                Pkts    ack-eliciting  probing  server only
        Add(table, FrameType.Padding,                "IH01", ackEliciting: false, probing: true);
        Add(table, FrameType.Ping,                   "IH01", ackEliciting: true);
        Add(table, FrameType.Ack,                    "IH_1", ackEliciting: false);
        Add(table, FrameType.AckEcn,                 "IH_1", ackEliciting: false);
        Add(table, FrameType.ResetStream,            "__01", ackEliciting: true);
        Add(table, FrameType.StopSending,            "__01", ackEliciting: true);
        Add(table, FrameType.Crypto,                 "IH_1", ackEliciting: true);
        Add(table, FrameType.NewToken,               "___1", ackEliciting: true, serverOnly: true);
        for (ulong stream = 0x08; stream <= 0x0f; stream++)
        {
            Add(table, (FrameType)stream,            "__01", ackEliciting: true);
        }

        Add(table, FrameType.MaxData,                "__01", ackEliciting: true);
        Add(table, FrameType.MaxStreamData,          "__01", ackEliciting: true);
        Add(table, FrameType.MaxStreamsBidi,         "__01", ackEliciting: true);
        Add(table, FrameType.MaxStreamsUni,          "__01", ackEliciting: true);
        Add(table, FrameType.DataBlocked,            "__01", ackEliciting: true);
        Add(table, FrameType.StreamDataBlocked,      "__01", ackEliciting: true);
        Add(table, FrameType.StreamsBlockedBidi,     "__01", ackEliciting: true);
        Add(table, FrameType.StreamsBlockedUni,      "__01", ackEliciting: true);
        Add(table, FrameType.NewConnectionId,        "__01", ackEliciting: true, probing: true);
        Add(table, FrameType.RetireConnectionId,     "__01", ackEliciting: true);
        Add(table, FrameType.PathChallenge,          "__01", ackEliciting: true, probing: true);
        Add(table, FrameType.PathResponse,           "___1", ackEliciting: true, probing: true);

        // Table 3's "ih01": only the transport-error variant may appear in Initial and Handshake packets.
        Add(table, FrameType.ConnectionClose,        "IH01", ackEliciting: false);
        Add(table, FrameType.ConnectionCloseApplication, "__01", ackEliciting: false);
        Add(table, FrameType.HandshakeDone,          "___1", ackEliciting: true, serverOnly: true);
        Add(table, FrameType.Datagram,               "__01", ackEliciting: true);
        Add(table, FrameType.DatagramWithLength,     "__01", ackEliciting: true);
        return table;
    }

    private static void Add(Rule[] table, FrameType type, string pkts, bool ackEliciting, bool probing = false, bool serverOnly = false)
    {
        PacketMask packets = PacketMask.None;
        if (pkts[0] == 'I') packets |= PacketMask.Initial;
        if (pkts[1] == 'H') packets |= PacketMask.Handshake;
        if (pkts[2] == '0') packets |= PacketMask.ZeroRtt;
        if (pkts[3] == '1') packets |= PacketMask.OneRtt;
        bool inFlight = ackEliciting || type == FrameType.Padding;
        table[(ulong)type] = new Rule(Known: true, packets, ackEliciting, inFlight, probing, serverOnly);
    }

    [Flags]
    private enum PacketMask : byte
    {
        None = 0,
        Initial = 1,
        Handshake = 2,
        ZeroRtt = 4,
        OneRtt = 8,
    }

    private readonly record struct Rule(bool Known, PacketMask Packets, bool AckEliciting, bool InFlight, bool Probing, bool ServerOnly);
}
